import { AckPolicy, DeliverPolicy, JetStreamManager, NatsError, RetentionPolicy, StorageType, nanos } from 'nats';
import { streamSubjects } from '@cs/contracts';
import type { ConsumerOptions } from './bus';
import { CONSUMER_DEFAULTS, DEDUPE_WINDOW_MS } from './codec';

const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;
const WEEK_MS = 7 * 24 * 3600_000;

function isApiError(err: unknown, code: number): boolean {
  return err instanceof NatsError && err.api_error?.err_code === code;
}

/** Creates the product's streams (CS_MSG, CS_EVENTS under this prefix) or brings their config up to date. */
export async function ensureStreams(jsm: JetStreamManager, prefix: string): Promise<void> {
  for (const [name, subjects] of Object.entries(streamSubjects(prefix))) {
    const wanted = { subjects, duplicate_window: nanos(DEDUPE_WINDOW_MS), max_age: nanos(WEEK_MS) };
    try {
      await jsm.streams.info(name);
      await jsm.streams.update(name, wanted);
    } catch (err) {
      if (!isApiError(err, STREAM_NOT_FOUND)) throw err;
      await jsm.streams.add({ name, storage: StorageType.File, retention: RetentionPolicy.Limits, ...wanted });
    }
  }
}

/**
 * Durable pull consumer with explicit ack and no server-side max_deliver: the bus counts
 * deliveries itself and dead-letters, so the failed message is never silently dropped.
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  opts: ConsumerOptions,
  absoluteFilters: string[],
): Promise<void> {
  const concurrency = opts.concurrency ?? CONSUMER_DEFAULTS.concurrency;
  const filters =
    absoluteFilters.length === 1 ? { filter_subject: absoluteFilters[0] } : { filter_subjects: absoluteFilters };
  const updatable = {
    ack_wait: nanos(opts.ackWaitMs ?? CONSUMER_DEFAULTS.ackWaitMs),
    max_ack_pending: Math.max(1000, concurrency * 4),
    max_deliver: -1,
    ...filters,
  };
  try {
    await jsm.consumers.info(stream, opts.durable);
    await jsm.consumers.update(stream, opts.durable, updatable);
  } catch (err) {
    if (!isApiError(err, CONSUMER_NOT_FOUND)) throw err;
    await jsm.consumers.add(stream, {
      durable_name: opts.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ...updatable,
    });
  }
}
