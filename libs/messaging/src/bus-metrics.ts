import { Counter, register } from 'prom-client';

/**
 * The bus's own counters, on prom-client's default registry (the one every app serves at /metrics),
 * so libs/messaging needs nothing from libs/config, which itself builds on the bus.
 */
export const busRedeliveries = new Counter({
  name: 'cs_bus_redeliveries_total',
  help: 'Durable bus messages delivered more than once, by consumer',
  labelNames: ['consumer'],
  registers: [register],
});

export const busDeadLetters = new Counter({
  name: 'cs_bus_dead_letters_total',
  help: 'Durable bus messages moved to the dead-letter subject after too many attempts',
  labelNames: ['consumer'],
  registers: [register],
});

/** Same event as busDeadLetters, by why: `content` (the message itself fails), `permanent` (the error says so), `transient-limit` (an outage outlasted the limit), `malformed` (not an envelope). */
export const busDeadLettersByReason = new Counter({
  name: 'cs_bus_dead_letters_by_reason_total',
  help: 'Durable bus messages dead-lettered, by consumer and reason kind',
  labelNames: ['consumer', 'kind'],
  registers: [register],
});

/** Retries of a message whose handler failed because something it needs (database, bus) is unreachable. */
export const busTransientRetries = new Counter({
  name: 'cs_bus_transient_retries_total',
  help: 'Durable bus messages retried because a dependency was unreachable (not counted against maxDeliver), by consumer',
  labelNames: ['consumer'],
  registers: [register],
});
