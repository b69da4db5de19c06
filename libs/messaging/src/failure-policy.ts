import type { ConsumerOptions } from './bus';
import { CONSUMER_DEFAULTS, backoffDelay, errorMessage } from './codec';
import { FailureClass, FailureClassifier, classifyFailure } from './failure-class';

/** Why a message was dead-lettered; travels with the dead letter (NATS header, in-process field). */
export interface DeadLetterInfo {
  /** The error message (or the limit that ran out), one line. */
  reason: string;
  /** `content`: failed maxDeliver times; `permanent`: the error said it never can succeed; `transient-limit`: an outage outlasted the limit; `malformed`: not an envelope. */
  kind: 'content' | 'permanent' | 'transient-limit' | 'malformed';
  /** The durable consumer that gave up. */
  consumer: string;
  /** The subject it was published on, relative to the prefix. */
  originalSubject: string;
  /** Deliveries it had, transient retries included. */
  deliveryCount: number;
  /** ISO time it was dead-lettered. */
  at: string;
}

/** The part of ConsumerOptions that decides between "retry", "wait" and "give up". */
export interface FailurePolicyOptions {
  maxDeliver: number;
  backoffMs: number[];
  classifiers: readonly FailureClassifier[];
  /** How long a message may keep failing transiently before it is dead-lettered anyway. */
  transientRetryMs: number;
  /** The cap of the doubling delay between transient retries. */
  transientBackoffMaxMs: number;
}

/** One message's failure history, kept by the consumer while the message is held. */
export interface FailureState {
  /** Failures that count toward maxDeliver (not transient ones), this one included once decide() has run. */
  failures: number;
  transientAttempts: number;
  transientSince?: number;
}

export type FailureDecision =
  | { action: 'retry'; delayMs: number; failureClass: FailureClass }
  | { action: 'dead-letter'; kind: DeadLetterInfo['kind']; reason: string };

const MAX_REASON = 1000;

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_REASON ? `${flat.slice(0, MAX_REASON - 1)}…` : flat;
}

/**
 * An outage is waited out (transient failures do not count toward maxDeliver, retried with a
 * doubling delay up to a cap, for up to transientRetryMs); a message that fails for its own content
 * is dead-lettered after maxDeliver failures, or at once when the error says it is permanent.
 */
export function decideFailure(err: unknown, state: FailureState, opts: FailurePolicyOptions, now = Date.now()): FailureDecision {
  const failureClass = classifyFailure(err, opts.classifiers);
  const message = oneLine(errorMessage(err));
  if (failureClass === 'permanent') return { action: 'dead-letter', kind: 'permanent', reason: message };
  if (failureClass === 'transient') {
    state.transientSince ??= now;
    state.transientAttempts++;
    if (now - state.transientSince >= opts.transientRetryMs) {
      const minutes = Math.round(opts.transientRetryMs / 60_000);
      return { action: 'dead-letter', kind: 'transient-limit', reason: oneLine(`still failing after ${minutes} min of retries: ${message}`) };
    }
    const base = Math.max(1, opts.backoffMs[0] ?? 200);
    const delayMs = Math.min(opts.transientBackoffMaxMs, base * 2 ** Math.min(state.transientAttempts - 1, 20));
    return { action: 'retry', delayMs, failureClass };
  }
  state.failures++;
  if (state.failures >= opts.maxDeliver) return { action: 'dead-letter', kind: 'content', reason: message };
  return { action: 'retry', delayMs: backoffDelay(opts.backoffMs, state.failures), failureClass };
}

/** Bus-wide failure settings (MessagingModule options), under each consumer's own. */
export interface BusFailureOptions {
  /** Tried in order before the generic classifier, e.g. the database's SQLSTATE classes. */
  classifiers?: FailureClassifier[];
  transientRetryMs?: number;
  transientBackoffMaxMs?: number;
}

export function failurePolicyOptions(
  consumer: Pick<ConsumerOptions, 'maxDeliver' | 'backoffMs' | 'classify' | 'transientRetryMs' | 'transientBackoffMaxMs'>,
  bus: BusFailureOptions = {},
): FailurePolicyOptions {
  return {
    maxDeliver: consumer.maxDeliver ?? CONSUMER_DEFAULTS.maxDeliver,
    backoffMs: consumer.backoffMs ?? CONSUMER_DEFAULTS.backoffMs,
    classifiers: [...(consumer.classify ? [consumer.classify] : []), ...(bus.classifiers ?? [])],
    transientRetryMs: consumer.transientRetryMs ?? bus.transientRetryMs ?? CONSUMER_DEFAULTS.transientRetryMs,
    transientBackoffMaxMs: consumer.transientBackoffMaxMs ?? bus.transientBackoffMaxMs ?? CONSUMER_DEFAULTS.transientBackoffMaxMs,
  };
}

export const DEAD_LETTER_HEADER = 'Cs-Dead-Letter';

/** NATS header value (ASCII, one line) carrying a DeadLetterInfo. */
export function encodeDeadLetterInfo(info: DeadLetterInfo): string {
  return encodeURIComponent(JSON.stringify(info));
}

export function decodeDeadLetterInfo(value: string | undefined): DeadLetterInfo | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(decodeURIComponent(value)) as DeadLetterInfo;
  } catch {
    return undefined;
  }
}
