import { Logger } from '@nestjs/common';
import type { BusPattern, BusSubject, Durable, Envelope, Live, RequestReply } from '@cs/contracts';
import {
  Bus,
  BusHandler,
  BusNoRespondersError,
  BusTimeoutError,
  ConsumerOptions,
  PublishOptions,
  Subscription,
} from './bus';
import { CONSUMER_DEFAULTS, DEDUPE_WINDOW_MS, decodeJson, encodeJson, errorMessage, replyFrame, unwrapReply } from './codec';
import type { BusFailureOptions, DeadLetterInfo } from './failure-policy';
import { InProcessDurable, StoredMessage } from './in-process-durable';
import { streamFor, streamForFilters, subjectMatches } from './subject-match';

export interface InProcessBusOptions {
  prefix: string;
  /** How long a stored message stays for durables that subscribe later. Default 10 minutes. */
  retentionMs?: number;
  /** Upper bound on stored messages; the oldest settled ones go first. Default 100 000. */
  maxMessages?: number;
  /** Failure classification and the transient retry limit for every consumer. */
  failures?: BusFailureOptions;
}

interface CoreSub {
  subject: string;
  queue?: string;
  kind: 'on' | 'reply';
  handler: (payload: unknown, subject: string) => unknown;
}

/**
 * The bus of the embedded mode: one process, no NATS, the same semantics as `NatsBus`. The durable
 * part keeps an in-memory stream so a durable that subscribes after a publish still gets it.
 * Not crash-safe: what is in memory is lost with the process, which the embedded mode accepts.
 */
export class InProcessBus implements Bus {
  private readonly logger = new Logger(InProcessBus.name);
  private readonly log: StoredMessage[] = [];
  private readonly durables = new Map<string, InProcessDurable>();
  private readonly dedupe = new Map<string, number>();
  private readonly subs: CoreSub[] = [];
  private readonly sweeper: NodeJS.Timeout;
  private readonly retentionMs: number;
  private readonly maxMessages: number;
  private readonly failures: BusFailureOptions;
  private seq = 0;
  private closed = false;

  readonly prefix: string;

  constructor(opts: InProcessBusOptions) {
    this.prefix = opts.prefix;
    this.retentionMs = opts.retentionMs ?? 10 * 60_000;
    this.maxMessages = opts.maxMessages ?? 100_000;
    this.failures = opts.failures ?? {};
    this.sweeper = setInterval(() => this.sweep(), 5_000);
    this.sweeper.unref();
  }

  async publish<T>(subject: BusSubject<Durable<T>>, envelope: Envelope<NoInfer<T>>, opts: PublishOptions = {}): Promise<void> {
    this.assertOpen();
    streamFor(this.prefix, [subject]);
    const now = Date.now();
    if (opts.msgId) {
      const until = this.dedupe.get(opts.msgId);
      if (until !== undefined && until > now) return;
      this.dedupe.delete(opts.msgId);
      this.dedupe.set(opts.msgId, now + DEDUPE_WINDOW_MS);
    }
    this.store(subject, encodeJson(envelope), opts.msgId);
  }

  async consume<T>(opts: ConsumerOptions<T>, handler: BusHandler<T>): Promise<Subscription> {
    this.assertOpen();
    streamForFilters(this.prefix, opts.filterSubjects);
    let durable = this.durables.get(opts.durable);
    if (durable) {
      durable.configure(opts);
    } else {
      durable = new InProcessDurable(opts.durable, opts, (subject, data, info) => this.store(subject, data, undefined, info), this.failures);
      this.durables.set(opts.durable, durable);
      // A new durable starts at the beginning of the stream, like JetStream's deliver policy "all".
      for (const stored of this.log) durable.offer(stored);
    }
    // The subject's map entry promised T; what arrives is the JSON its producers sent under the same entry.
    const detach = durable.attach(handler as BusHandler, opts.concurrency ?? CONSUMER_DEFAULTS.concurrency);
    return { unsubscribe: async () => detach() };
  }

  emit<T>(subject: BusSubject<Live<T>>, payload: NoInfer<T>): void {
    if (this.closed) return;
    const data = encodeJson(payload);
    for (const sub of this.pickPerQueue(subject, 'on')) {
      queueMicrotask(() => {
        try {
          sub.handler(decodeJson(data), subject);
        } catch (err) {
          this.logger.error(`handler of ${sub.subject} failed on ${subject}: ${errorMessage(err)}`);
        }
      });
    }
  }

  on<T>(subject: BusPattern<Live<T>>, handler: (payload: NoInfer<T>, subject: string) => void, queue?: string): Subscription {
    return this.addSub({ subject, queue, kind: 'on', handler: handler as CoreSub['handler'] });
  }

  async request<Req, Res>(subject: BusSubject<RequestReply<Req, Res>>, payload: NoInfer<Req>, timeoutMs: number): Promise<Res> {
    this.assertOpen();
    const responders = this.subs.filter((s) => s.kind === 'reply' && subjectMatches(s.subject, subject));
    if (responders.length === 0) throw new BusNoRespondersError(subject);
    const responder = responders[Math.floor(Math.random() * responders.length)];
    const data = encodeJson(payload);
    const answer = (async () => {
      await Promise.resolve();
      return responder.handler(decodeJson(data), subject);
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BusTimeoutError(subject, timeoutMs)), timeoutMs);
    });
    try {
      const settled = await Promise.race([
        answer.then(
          (value) => ({ status: 'fulfilled', value }) as const,
          (reason: unknown) => ({ status: 'rejected', reason }) as const,
        ),
        timeout,
      ]);
      return unwrapReply<Res>(subject, decodeJson(encodeJson(replyFrame(settled))));
    } finally {
      clearTimeout(timer);
    }
  }

  reply<Req, Res>(
    subject: BusPattern<RequestReply<Req, Res>>,
    handler: (payload: NoInfer<Req>, subject: string) => Promise<NoInfer<Res>>,
    queue?: string,
  ): Subscription {
    return this.addSub({ subject, queue, kind: 'reply', handler: handler as CoreSub['handler'] });
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    for (const d of this.durables.values()) d.close();
    this.subs.length = 0;
  }

  private store(subject: string, data: string, msgId?: string, deadLetter?: DeadLetterInfo): void {
    if (this.closed) return;
    const stored: StoredMessage = { seq: ++this.seq, subject, data, msgId, storedAt: Date.now(), deadLetter };
    this.log.push(stored);
    if (this.log.length > this.maxMessages) this.sweep();
    for (const d of this.durables.values()) d.offer(stored);
  }

  private addSub(sub: CoreSub): Subscription {
    this.subs.push(sub);
    return {
      unsubscribe: async () => {
        const i = this.subs.indexOf(sub);
        if (i >= 0) this.subs.splice(i, 1);
      },
    };
  }

  /** Every plain subscriber gets the message; each queue group gives it to one random member. */
  private pickPerQueue(subject: string, kind: CoreSub['kind']): CoreSub[] {
    const plain: CoreSub[] = [];
    const groups = new Map<string, CoreSub[]>();
    for (const s of this.subs) {
      if (s.kind !== kind || !subjectMatches(s.subject, subject)) continue;
      if (s.queue === undefined) plain.push(s);
      else groups.set(s.queue, [...(groups.get(s.queue) ?? []), s]);
    }
    for (const members of groups.values()) plain.push(members[Math.floor(Math.random() * members.length)]);
    return plain;
  }

  /** Drops settled messages past retention (and the oldest settled ones past maxMessages), and old dedupe ids; a detached durable's pending ones go too. */
  private sweep(): void {
    const now = Date.now();
    for (const [id, until] of this.dedupe) {
      if (until > now) break;
      this.dedupe.delete(id);
    }
    while (this.log.length > 0) {
      const head = this.log[0];
      const expired = now - head.storedAt > this.retentionMs || this.log.length > this.maxMessages;
      // A durable nobody consumes (detached, like the webhooks' delivery consumer while no webhook
      // takes it) does not hold the stream: past retention its messages go, as in JetStream.
      const settled = [...this.durables.values()].every((d) => !d.isPending(head.seq) || d.detached);
      if (!expired || !settled) break;
      for (const d of this.durables.values()) d.drop(head.seq);
      this.log.shift();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('bus is closed');
  }
}
