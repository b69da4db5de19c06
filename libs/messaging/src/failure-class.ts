import { BusNoRespondersError, BusTimeoutError } from './bus';

/**
 * What a handler failure says about its message:
 * - `transient`: something the handler needs is unreachable (database, bus, a timeout). The message
 *   is fine; it is kept and retried with capped backoff until the outage ends (or a long limit).
 * - `permanent`: the message can never succeed (bad data): dead-lettered at once, with the reason.
 * - `retry`: unknown; retried the usual few times (`maxDeliver`), then dead-lettered.
 */
export type FailureClass = 'transient' | 'permanent' | 'retry';

/** Classifies a handler error; `undefined` means "no opinion" and the next classifier (or `retry`) decides. */
export type FailureClassifier = (err: unknown) => FailureClass | undefined;

/** Throw it from a handler for a message that will never succeed: it is dead-lettered at once, with this message as the reason. */
export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = 'PermanentError';
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** Throw it (or wrap a cause in it) for a failure that only waiting can fix. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = 'TransientError';
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** Node socket errors that mean "the other side is not there (now)". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'CONNECTION_CLOSED',
  'CONNECTION_DRAINING',
  'DISCONNECT',
  'TIMEOUT',
  // nats.js codes for a server that is gone or slow
  '503',
  'NO_RESPONDERS',
]);

/**
 * What the bus knows without knowing any database: our own markers, the bus's own timeouts, and
 * socket error codes anywhere in the `cause` chain (never message text: a tenant's webhook endpoint
 * that hangs up is its problem, not an outage). Apps add a database classifier (SQLSTATEs) in front.
 */
export const classifyGenericFailure: FailureClassifier = (err) => {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (e instanceof PermanentError) return 'permanent';
    if (e instanceof TransientError || e instanceof BusTimeoutError || e instanceof BusNoRespondersError) return 'transient';
    if (typeof e === 'object') {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'transient';
      // AggregateError (a connect to several addresses failed) carries the socket errors in `errors`.
      const errors = (e as { errors?: unknown }).errors;
      if (Array.isArray(errors) && errors.some((x) => classifyGenericFailure(x) === 'transient')) return 'transient';
      e = (e as { cause?: unknown }).cause;
    } else {
      break;
    }
  }
  return undefined;
};

/** The first opinion wins: the app's classifiers in order, then the generic one, else `retry`. */
export function classifyFailure(err: unknown, classifiers: readonly FailureClassifier[] = []): FailureClass {
  for (const classify of [...classifiers, classifyGenericFailure]) {
    try {
      const verdict = classify(err);
      if (verdict) return verdict;
    } catch {
      // a broken classifier must not break the consumer: fall through to the next
    }
  }
  return 'retry';
}
