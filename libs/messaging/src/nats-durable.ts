import { Logger } from '@nestjs/common';
import { ConsumerMessages, JetStreamClient, JsMsg, headers as natsHeaders } from 'nats';
import { Envelope, envelopeSchema } from '@cs/contracts';
import type { BusHandler, ConsumerOptions } from './bus';
import { busDeadLetters, busDeadLettersByReason, busRedeliveries, busTransientRetries } from './bus-metrics';
import { CONSUMER_DEFAULTS, backoffDelay, decodeJson, errorMessage } from './codec';
import {
  BusFailureOptions,
  DEAD_LETTER_HEADER,
  DeadLetterInfo,
  FailurePolicyOptions,
  FailureState,
  decideFailure,
  decodeDeadLetterInfo,
  encodeDeadLetterInfo,
  oneLine,
  failurePolicyOptions,
} from './failure-policy';
import { KeyedSerializer, Limiter } from './limiter';
import { deadLetterSubject, isDeadLetterSubject } from './subject-match';

const decoder = new TextDecoder();

/**
 * One consume() call on a JetStream durable: pulls messages, runs at most `concurrency` handlers,
 * serializes equal order keys in stream order, acks on success, naks with backoff on failure and
 * dead-letters (publish to `dlq.<subject>`, then term) once deliveries reach maxDeliver.
 * Per-key order is kept within this process, retries included (see handle); across processes the
 * agent's per-conversation database lock keeps two messages of one conversation from running at once.
 */
export class NatsDurableWorker {
  private readonly logger = new Logger(NatsDurableWorker.name);
  private readonly slots: Limiter;
  private readonly keys = new KeyedSerializer();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly policy: FailurePolicyOptions;
  private readonly backoffMs: number[];
  private readonly heartbeatMs: number;
  private readonly heartbeats = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly js: JetStreamClient,
    private readonly prefix: string,
    private readonly opts: ConsumerOptions,
    private readonly handler: BusHandler,
    private readonly messages: ConsumerMessages,
    failures: BusFailureOptions = {},
  ) {
    this.slots = new Limiter(Math.max(1, opts.concurrency ?? CONSUMER_DEFAULTS.concurrency));
    this.policy = failurePolicyOptions(opts, failures);
    this.backoffMs = this.policy.backoffMs;
    // Well inside the ack wait whatever it is (a floor above a third of it would let the server redeliver a running message).
    this.heartbeatMs = Math.max(50, Math.floor((opts.ackWaitMs ?? CONSUMER_DEFAULTS.ackWaitMs) / 3));
    // loop() logs why it stopped; the catch keeps anything past that from going unhandled.
    this.loop().catch((err) => this.logger.error(`consumer ${this.opts.durable} stopped: ${errorMessage(err)}`));
  }

  /**
   * Stops pulling and waits up to `graceMs` for running handlers; one still running after that is
   * left to the server, which redelivers it once ack_wait passes without a heartbeat.
   */
  async stop(graceMs: number): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.messages.close();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    for (const h of this.heartbeats) clearInterval(h);
    this.heartbeats.clear();
  }

  private async loop(): Promise<void> {
    try {
      for await (const m of this.messages) {
        // Waiting here stops the iterator from pulling more: backpressure up to the server.
        await this.slots.acquire();
        const task = this.accept(m).finally(() => {
          this.slots.release();
          this.inFlight.delete(task);
        });
        this.inFlight.add(task);
      }
    } catch (err) {
      this.logger.error(`consumer ${this.opts.durable} stopped: ${errorMessage(err)}`);
    }
  }

  private async accept(m: JsMsg): Promise<void> {
    // Keeps the server from redelivering while the message waits for its key or a long handler runs.
    const heartbeat = setInterval(() => this.working(m), this.heartbeatMs);
    this.heartbeats.add(heartbeat);
    try {
      let envelope: Envelope;
      try {
        // The wire is an edge: a message that is not an envelope can never succeed, so it goes straight to the DLQ.
        envelope = envelopeSchema.parse(decodeJson(decoder.decode(m.data))) as Envelope;
      } catch (err) {
        await this.deadLetter(m, { kind: 'malformed', reason: oneLine(`not an envelope: ${errorMessage(err)}`) }, m.info.redeliveryCount);
        return;
      }
      await this.keys.run(this.keyOf(envelope), () => this.handle(m, envelope));
    } finally {
      clearInterval(heartbeat);
      this.heartbeats.delete(heartbeat);
    }
  }

  private working(m: JsMsg): void {
    try {
      m.working();
    } catch (err) {
      this.logger.warn(`heartbeat for ${m.subject}#${m.seq} failed: ${errorMessage(err)}`);
    }
  }

  private keyOf(envelope: Envelope): string | undefined {
    try {
      return this.opts.orderKey?.(envelope);
    } catch (err) {
      this.logger.warn(`orderKey failed for ${this.opts.durable}: ${errorMessage(err)}`);
      return undefined;
    }
  }

  /**
   * A failure with an order key is retried here, holding the key, so a later message of the same
   * key (a conversation) cannot overtake it; the heartbeat keeps the server from redelivering it
   * meanwhile. A transient failure (an outage) is held here too, whatever the key, and does not
   * count toward maxDeliver: the message waits for the dependency instead of being dead-lettered.
   * Otherwise, without an order key, the server redelivers it after the backoff, maybe elsewhere
   * (earlier server deliveries count as failures then).
   */
  private async handle(m: JsMsg, envelope: Envelope): Promise<void> {
    const ordered = this.keyOf(envelope) !== undefined;
    const state: FailureState = { failures: Math.max(0, m.info.redeliveryCount - 1), transientAttempts: 0 };
    for (let deliveryCount = m.info.redeliveryCount; ; deliveryCount++) {
      if (this.stopped) return; // not acked: the server hands it to another member after ack_wait
      try {
        await this.handler({
          subject: m.subject.slice(this.prefix.length + 1),
          envelope,
          msgId: m.headers?.get('Nats-Msg-Id') || undefined,
          deliveryCount,
          failedAttempts: state.failures,
          seq: m.seq,
          deadLetter: decodeDeadLetterInfo(m.headers?.get(DEAD_LETTER_HEADER)),
        });
        m.ack();
        return;
      } catch (err) {
        const decision = decideFailure(err, state, this.policy);
        if (decision.action === 'dead-letter') {
          await this.deadLetter(m, decision, deliveryCount);
          return;
        }
        const where = `${this.opts.durable} ${m.subject}#${m.seq} (delivery ${deliveryCount})`;
        if (decision.failureClass === 'transient') {
          // One line per outage per message is plenty: the first, then every tenth.
          if (state.transientAttempts % 10 === 1) this.logger.warn(`waiting out an outage for ${where}: ${errorMessage(err)}`);
          busTransientRetries.inc({ consumer: this.opts.durable });
        } else {
          this.logger.warn(`redelivering ${where}: ${errorMessage(err)}`);
          busRedeliveries.inc({ consumer: this.opts.durable });
        }
        if (!ordered && decision.failureClass !== 'transient') {
          m.nak(decision.delayMs);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
      }
    }
  }

  private async deadLetter(m: JsMsg, why: Pick<DeadLetterInfo, 'kind' | 'reason'>, deliveryCount: number): Promise<void> {
    const relative = m.subject.slice(this.prefix.length + 1);
    if (isDeadLetterSubject(relative)) {
      // A dead letter that its own consumer cannot take stays in the stream (dlq.dlq... would loop).
      this.logger.error(`dropping dead letter ${m.subject}#${m.seq} for ${this.opts.durable} (${why.kind}): ${why.reason}`);
      m.term();
      return;
    }
    this.logger.error(`dead-lettering ${this.opts.durable} ${m.subject}#${m.seq} (${why.kind}): ${why.reason}`);
    const info: DeadLetterInfo = {
      ...why,
      consumer: this.opts.durable,
      originalSubject: relative,
      deliveryCount,
      at: new Date().toISOString(),
    };
    const h = natsHeaders();
    h.set(DEAD_LETTER_HEADER, encodeDeadLetterInfo(info));
    try {
      // The msgID keeps a second copy out when this process dies between publish and term.
      await this.js.publish(`${this.prefix}.${deadLetterSubject(relative)}`, m.data, {
        headers: h,
        msgID: `dlq:${this.opts.durable}:${m.info.stream}:${m.seq}`,
      });
    } catch (publishErr) {
      // Never drop it: without a dead-letter copy, let the server deliver it again later.
      this.logger.error(`dead-letter publish failed, keeping ${m.subject}#${m.seq}: ${errorMessage(publishErr)}`);
      m.nak(backoffDelay(this.backoffMs, this.backoffMs.length));
      return;
    }
    busDeadLetters.inc({ consumer: this.opts.durable });
    busDeadLettersByReason.inc({ consumer: this.opts.durable, kind: why.kind });
    m.term();
  }
}
