import type { BusPattern, BusSubject, Durable, Envelope, Live, RequestReply } from '@cs/contracts';
import type { FailureClassifier } from './failure-class';
import type { DeadLetterInfo } from './failure-policy';

/** One durable message handed to a consumer. */
export interface BusMessage<T = unknown> {
  subject: string;
  envelope: Envelope<T>;
  /** The `Nats-Msg-Id` it was published with, if any. */
  msgId?: string;
  /** 1 on first delivery, 2 on the first redelivery, ... (retries while an outage is waited out included). */
  deliveryCount: number;
  /**
   * Earlier failures that count toward maxDeliver (transient ones, an outage waited out, do not):
   * `failedAttempts + 1 >= maxDeliver` means this is the last attempt before the dead-letter subject.
   */
  failedAttempts?: number;
  /** Stream sequence: increases in publish order. */
  seq: number;
  /** On a `dlq.` subject: why and where it was dead-lettered. */
  deadLetter?: DeadLetterInfo;
}

export interface PublishOptions {
  /** Deduplication id (`Nats-Msg-Id`): a second publish with the same id inside the window is dropped. */
  msgId?: string;
}

export interface ConsumerOptions<T = unknown> {
  /** Durable consumer name: every process using the same name shares the work. */
  durable: string;
  /** Patterns of one durable map entry, from `BusSubjects` (relative to the bus prefix), e.g. `BusSubjects.msgInAll()`. */
  filterSubjects: BusPattern<Durable<T>>[];
  /**
   * Failures before the message goes to the dead-letter subject (`<prefix>.dlq.<rest>`). Default 5.
   * Transient failures (see `classify`) do not count: an outage is waited out.
   */
  maxDeliver?: number;
  /**
   * Says whether a handler error is transient (a dependency is unreachable: keep the message, retry
   * with capped backoff), permanent (dead-letter at once) or unknown (the usual maxDeliver attempts).
   * Tried before the bus-wide classifiers and the generic one (network errors, bus timeouts,
   * `PermanentError`, `TransientError`).
   */
  classify?: FailureClassifier;
  /** How long transient failures are retried before the message is dead-lettered anyway. Default 24 h (or the bus's). */
  transientRetryMs?: number;
  /** Cap of the doubling delay between transient retries. Default 5 s. */
  transientBackoffMaxMs?: number;
  /** Delay before each redelivery after a failure; the last value repeats. Default [200, 1000, 5000, 15000]. */
  backoffMs?: number[];
  /** Messages handled at once by this process. Default 32. */
  concurrency?: number;
  /** Messages whose key is equal are handled one at a time, in stream order (e.g. per conversation). */
  orderKey?: (envelope: Envelope) => string | undefined;
  /**
   * JetStream's ack wait (default 30 s): a message whose process stops heartbeating it (the process
   * died) for this long is delivered again, elsewhere. A live handler heartbeats at a third of it, so
   * however long it runs it is not redelivered; the in-process bus, whose consumers die with the
   * process, has nothing to redeliver to.
   */
  ackWaitMs?: number;
}

/**
 * Resolve to ack. Throw to have the message redelivered (after backoff) and, past maxDeliver,
 * dead-lettered; a transient error is retried until the dependency is back, a `PermanentError`
 * dead-letters at once.
 */
export type BusHandler<T = unknown> = (message: BusMessage<T>) => Promise<void>;

export interface Subscription {
  unsubscribe(): Promise<void>;
}

/**
 * The one messaging interface of the product. Two implementations: `NatsBus` (JetStream for the
 * durable part, core NATS for the rest) and `InProcessBus` (the embedded mode), same semantics.
 * Every subject given to it is relative to its prefix (`msg.in.webchat.t1` -> `cs.msg.in.webchat.t1`)
 * and made by `BusSubjects` (libs/contracts): the subject's map entry gives the payload type, so
 * what is sent and what a handler receives are checked by the compiler.
 */
export interface Bus {
  readonly prefix: string;
  /** Durable publish (JetStream stream CS_MSG / CS_EVENTS). Resolves once the stream has stored it. */
  publish<T>(subject: BusSubject<Durable<T>>, envelope: Envelope<NoInfer<T>>, opts?: PublishOptions): Promise<void>;
  /** Durable consume with explicit ack after the handler resolves. */
  consume<T>(opts: ConsumerOptions<T>, handler: BusHandler<NoInfer<T>>): Promise<Subscription>;
  /** Core (non-durable, fire and forget) publish: live web-chat deliveries, typing, events for open sockets. */
  emit<T>(subject: BusSubject<Live<T>>, payload: NoInfer<T>): void;
  /** Core subscribe; `queue` makes it a queue group (one member of the group gets each message). */
  on<T>(subject: BusPattern<Live<T>>, handler: (payload: NoInfer<T>, subject: string) => void, queue?: string): Subscription;
  /** Core request/reply; rejects with BusTimeoutError when nobody answers in time, BusNoRespondersError if nobody listens. */
  request<Req, Res>(subject: BusSubject<RequestReply<Req, Res>>, payload: NoInfer<Req>, timeoutMs: number): Promise<Res>;
  /** Answer requests on a subject (wildcards allowed) as a queue group. */
  reply<Req, Res>(
    subject: BusPattern<RequestReply<Req, Res>>,
    handler: (payload: NoInfer<Req>, subject: string) => Promise<NoInfer<Res>>,
    queue?: string,
  ): Subscription;
  /** Resolves when the bus is usable (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const BUS = Symbol('BUS');

export class BusTimeoutError extends Error {
  constructor(subject: string, ms: number) {
    super(`no answer on ${subject} within ${ms} ms`);
    this.name = 'BusTimeoutError';
  }
}

export class BusNoRespondersError extends Error {
  constructor(subject: string) {
    super(`no responders on ${subject}`);
    this.name = 'BusNoRespondersError';
  }
}

/** The responder threw: its message travels back to the requester instead of a timeout. */
export class BusRemoteError extends Error {
  constructor(subject: string, message: string) {
    super(`responder on ${subject} failed: ${message}`);
    this.name = 'BusRemoteError';
  }
}
