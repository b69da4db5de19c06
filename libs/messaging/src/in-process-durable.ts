import { Logger } from '@nestjs/common';
import type { Envelope } from '@cs/contracts';
import type { BusHandler, BusMessage, ConsumerOptions } from './bus';
import { busDeadLetters, busDeadLettersByReason, busRedeliveries, busTransientRetries } from './bus-metrics';
import { CONSUMER_DEFAULTS, decodeJson, errorMessage } from './codec';
import {
  BusFailureOptions,
  DeadLetterInfo,
  FailurePolicyOptions,
  FailureState,
  decideFailure,
  failurePolicyOptions,
} from './failure-policy';
import { deadLetterSubject, isDeadLetterSubject, matchesAny } from './subject-match';

/** One message in the in-process stream, stored encoded like JetStream stores bytes. */
export interface StoredMessage {
  seq: number;
  subject: string;
  data: string;
  msgId?: string;
  storedAt: number;
  /** Set on dead letters: why it was dead-lettered (JetStream carries it as a header). */
  deadLetter?: DeadLetterInfo;
}

interface Delivery {
  stored: StoredMessage;
  deliveryCount: number;
  key?: string;
  failure: FailureState;
}

interface Member {
  handler: BusHandler;
  concurrency: number;
  running: number;
}

// ackWaitMs is JetStream's redelivery after a process died: nothing to do when the consumers die with the process.
interface Config {
  filterSubjects: string[];
  concurrency: number;
  orderKey?: ConsumerOptions['orderKey'];
  policy: FailurePolicyOptions;
}

/**
 * The in-process twin of a JetStream durable pull consumer: it sees every stored message matching
 * its filter once, hands each to one member (every consume() call with this name), acks when the
 * handler resolves, redelivers after backoff when it throws, and dead-letters after maxDeliver.
 * Messages of one order key are never in flight together, and a failed one blocks its key until it
 * is acked or dead-lettered, so per-key order holds even across retries.
 */
export class InProcessDurable {
  private readonly logger = new Logger(InProcessDurable.name);
  private config: Config;
  private readonly ready: Delivery[] = [];
  /** Seqs not yet acked or dead-lettered: waiting, running or backing off. */
  private readonly pending = new Set<number>();
  /** Order key -> the seq holding it, from first delivery until acked or dead-lettered. */
  private readonly busyKeys = new Map<string, number>();
  private readonly members: Member[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextMember = 0;
  private closed = false;

  constructor(
    readonly name: string,
    opts: ConsumerOptions,
    private readonly deadLetter: (subject: string, data: string, info: DeadLetterInfo) => void,
    private readonly failures: BusFailureOptions = {},
  ) {
    this.configure(opts);
  }

  /** Like a JetStream consumer update: the latest consume() call defines filter and retry policy. */
  configure(opts: ConsumerOptions): void {
    this.config = {
      filterSubjects: opts.filterSubjects,
      concurrency: opts.concurrency ?? CONSUMER_DEFAULTS.concurrency,
      orderKey: opts.orderKey,
      policy: failurePolicyOptions(opts, this.failures),
    };
  }

  matches(subject: string): boolean {
    return matchesAny(this.config.filterSubjects, subject);
  }

  isPending(seq: number): boolean {
    return this.pending.has(seq);
  }

  /** No consumer is attached: what waits here is kept only as long as the stream keeps it (see `drop`). */
  get detached(): boolean {
    return this.members.length === 0;
  }

  /**
   * The stream let `seq` go past its retention while this durable was detached: it is not offered
   * any more, as JetStream's limits drop a message whatever its consumers still owe it.
   */
  drop(seq: number): void {
    if (!this.pending.delete(seq)) return;
    const i = this.ready.findIndex((d) => d.stored.seq === seq);
    if (i >= 0) this.ready.splice(i, 1);
  }

  offer(stored: StoredMessage): void {
    if (this.closed || !this.matches(stored.subject)) return;
    this.pending.add(stored.seq);
    this.ready.push({ stored, deliveryCount: 1, key: this.keyOf(stored), failure: { failures: 0, transientAttempts: 0 } });
    this.pump();
  }

  attach(handler: BusHandler, concurrency: number): () => void {
    const member: Member = { handler, concurrency: Math.max(1, concurrency), running: 0 };
    this.members.push(member);
    this.pump();
    return () => {
      const i = this.members.indexOf(member);
      if (i >= 0) this.members.splice(i, 1);
    };
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.members.length = 0;
  }

  private keyOf(stored: StoredMessage): string | undefined {
    if (!this.config.orderKey) return undefined;
    try {
      return this.config.orderKey(decodeJson<Envelope>(stored.data));
    } catch (err) {
      this.logger.warn(`orderKey failed on ${stored.subject}#${stored.seq}: ${errorMessage(err)}`);
      return undefined;
    }
  }

  private pickMember(): Member | undefined {
    for (let n = 0; n < this.members.length; n++) {
      const m = this.members[(this.nextMember + n) % this.members.length];
      if (m.running < m.concurrency) {
        this.nextMember = (this.nextMember + n + 1) % this.members.length;
        return m;
      }
    }
    return undefined;
  }

  private pump(): void {
    let i = 0;
    while (!this.closed && i < this.ready.length) {
      const d = this.ready[i];
      const holder = d.key === undefined ? undefined : this.busyKeys.get(d.key);
      if (holder !== undefined && holder !== d.stored.seq) {
        i++;
        continue;
      }
      const member = this.pickMember();
      if (!member) return;
      this.ready.splice(i, 1);
      if (d.key !== undefined) this.busyKeys.set(d.key, d.stored.seq);
      this.deliver(member, d).catch((err) => this.logger.error(`delivery of ${d.stored.subject}#${d.stored.seq} failed: ${errorMessage(err)}`));
    }
  }

  private async deliver(member: Member, d: Delivery): Promise<void> {
    member.running++;
    const message: BusMessage = {
      subject: d.stored.subject,
      envelope: decodeJson<Envelope>(d.stored.data),
      msgId: d.stored.msgId,
      deliveryCount: d.deliveryCount,
      failedAttempts: d.failure.failures,
      seq: d.stored.seq,
      deadLetter: d.stored.deadLetter,
    };
    try {
      await member.handler(message);
      this.settle(d);
    } catch (err) {
      this.fail(d, err);
    } finally {
      member.running--;
      this.pump();
    }
  }

  private settle(d: Delivery): void {
    this.pending.delete(d.stored.seq);
    if (d.key !== undefined) this.busyKeys.delete(d.key);
  }

  /** Transient failures wait for the outage to end (holding the key); others count toward maxDeliver. */
  private fail(d: Delivery, err: unknown): void {
    const where = `${this.name} ${d.stored.subject}#${d.stored.seq} (delivery ${d.deliveryCount})`;
    if (this.closed) return;
    const decision = decideFailure(err, d.failure, this.config.policy);
    if (decision.action === 'dead-letter' && isDeadLetterSubject(d.stored.subject)) {
      // A dead letter that its own consumer cannot take stays in the stream (dlq.dlq... would loop).
      this.logger.error(`dropping dead letter ${where} (${decision.kind}): ${decision.reason}`);
      this.settle(d);
      return;
    }
    if (decision.action === 'dead-letter') {
      this.logger.error(`dead-lettering ${where} (${decision.kind}): ${decision.reason}`);
      this.settle(d);
      busDeadLetters.inc({ consumer: this.name });
      busDeadLettersByReason.inc({ consumer: this.name, kind: decision.kind });
      this.deadLetter(deadLetterSubject(d.stored.subject), d.stored.data, {
        kind: decision.kind,
        reason: decision.reason,
        consumer: this.name,
        originalSubject: d.stored.subject,
        deliveryCount: d.deliveryCount,
        at: new Date().toISOString(),
      });
      return;
    }
    if (decision.failureClass === 'transient') {
      if (d.failure.transientAttempts % 10 === 1) this.logger.warn(`waiting out an outage for ${where}: ${errorMessage(err)}`);
      busTransientRetries.inc({ consumer: this.name });
    } else {
      this.logger.warn(`redelivering ${where}: ${errorMessage(err)}`);
      busRedeliveries.inc({ consumer: this.name });
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.insertReady({ ...d, deliveryCount: d.deliveryCount + 1 });
      this.pump();
    }, decision.delayMs);
    this.timers.add(timer);
  }

  /** Redeliveries go back in stream order, ahead of later messages. */
  private insertReady(d: Delivery): void {
    let i = this.ready.length;
    while (i > 0 && this.ready[i - 1].stored.seq > d.stored.seq) i--;
    this.ready.splice(i, 0, d);
  }
}
