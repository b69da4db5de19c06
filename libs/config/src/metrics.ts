import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

/** The product's metrics, on prom-client's default registry; every app serves them at /metrics. */
let defaultsStarted = false;
export function startDefaultMetrics(app: string): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  register.setDefaultLabels({ app });
  collectDefaultMetrics();
}

export const messagesIn = new Counter({
  name: 'cs_messages_in_total',
  help: 'Customer messages received, by channel',
  labelNames: ['channel'],
});

export const messagesOut = new Counter({
  name: 'cs_messages_out_total',
  help: 'Messages delivered to customers, by channel and author kind',
  labelNames: ['channel', 'author'],
});

export const replyLatency = new Histogram({
  name: 'cs_reply_latency_seconds',
  help: 'From a customer message reaching the agent to its reply being stored and published',
  labelNames: ['channel'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

// The bus counters live with the bus (libs/messaging/src/bus-metrics.ts), on the same registry.
export { busDeadLetters, busRedeliveries } from '@cs/messaging';

export const deadLettersRecorded = new Counter({
  name: 'cs_dead_letters_recorded_total',
  help: 'Dead letters recorded in the database (listable and replayable in the console), by kind',
  labelNames: ['kind'],
});

export const deadLettersReplayed = new Counter({
  name: 'cs_dead_letters_replayed_total',
  help: 'Dead letters published again from the console or the CLI',
});

/** Every HTTP answer by status class (`2xx`, `4xx`, `5xx`...): the error-rate alert divides 5xx by all. */
export const httpRequests = new Counter({
  name: 'cs_http_requests_total',
  help: 'HTTP requests answered, by status class',
  labelNames: ['code'],
});

/** Conversations the bot handed to a person, by channel and reason: the hand-off spike alert. */
export const handoffs = new Counter({
  name: 'cs_handoffs_total',
  help: 'Conversations handed off to a person by the agent, by channel and reason',
  labelNames: ['channel', 'reason'],
});

/** Inbound messages published by connectors, by connector and channel account: "a mailbox went quiet" alert. */
export const inboundByAccount = new Counter({
  name: 'cs_inbound_messages_total',
  help: 'Inbound messages published by the connectors, by connector and channel account',
  labelNames: ['connector', 'channel_account'],
});

/** 1 when the dependency answered at the last scrape (database, bus), else 0; filled by HealthModule. */
export const dependencyUp = new Gauge({
  name: 'cs_dependency_up',
  help: 'Whether a dependency (database, bus) answered this app at scrape time',
  labelNames: ['dependency'],
});

export const errorsTotal = new Counter({
  name: 'cs_errors_total',
  help: 'Errors, by app and kind',
  labelNames: ['app', 'kind'],
});

export { register as metricsRegistry };
