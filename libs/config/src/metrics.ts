import { Counter, Histogram, collectDefaultMetrics, register } from 'prom-client';

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

export const errorsTotal = new Counter({
  name: 'cs_errors_total',
  help: 'Errors, by app and kind',
  labelNames: ['app', 'kind'],
});

export { register as metricsRegistry };
