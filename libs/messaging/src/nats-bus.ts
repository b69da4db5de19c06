import { Logger } from '@nestjs/common';
import { ErrorCode, JetStreamClient, JetStreamManager, NatsConnection, NatsError, connect } from 'nats';
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
import { CONSUMER_DEFAULTS, DEFAULT_REPLY_QUEUE, decodeJson, encodeJson, errorMessage, replyFrame, unwrapReply } from './codec';
import type { BusFailureOptions } from './failure-policy';
import { NatsDurableWorker } from './nats-durable';
import { ensureConsumer, ensureStreams } from './nats-streams';
import { streamFor, streamForFilters } from './subject-match';

export interface NatsBusOptions {
  /** One URL or a comma-separated list. */
  servers: string;
  prefix: string;
  name?: string;
  /** On unsubscribe/close, how long to wait for running handlers. Default 10 s. */
  drainTimeoutMs?: number;
  /** Failure classification and the transient retry limit for every consumer. */
  failures?: BusFailureOptions;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const encode = (value: unknown): Uint8Array => encoder.encode(encodeJson(value));
const decode = (data: Uint8Array): unknown => (data.length === 0 ? null : decodeJson(decoder.decode(data)));

/** Several filter subjects on one consumer arrived in NATS 2.10. */
function atLeast(version: string | undefined, major: number, minor: number): boolean {
  const [ma, mi] = (version ?? '0.0').split('.').map(Number);
  return ma > major || (ma === major && mi >= minor);
}

/** The distributed bus: JetStream for durable messages, core NATS for the rest. */
export class NatsBus implements Bus {
  private readonly logger = new Logger(NatsBus.name);
  private readonly workers = new Set<NatsDurableWorker>();
  private readonly js: JetStreamClient;

  private constructor(
    readonly prefix: string,
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly drainTimeoutMs: number,
    private readonly failures: BusFailureOptions,
  ) {
    this.js = nc.jetstream();
  }

  /** Connects (reconnecting forever afterwards) and makes sure the streams exist. */
  static async connect(opts: NatsBusOptions): Promise<NatsBus> {
    const nc = await connect({
      servers: opts.servers.split(',').map((s) => s.trim()),
      name: opts.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
    });
    try {
      const jsm = await nc.jetstreamManager();
      await ensureStreams(jsm, opts.prefix);
      return new NatsBus(opts.prefix, nc, jsm, opts.drainTimeoutMs ?? 10_000, opts.failures ?? {});
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  async publish<T>(subject: BusSubject<Durable<T>>, envelope: Envelope<NoInfer<T>>, opts: PublishOptions = {}): Promise<void> {
    streamFor(this.prefix, [subject]);
    await this.js.publish(this.abs(subject), encode(envelope), opts.msgId ? { msgID: opts.msgId } : undefined);
  }

  async consume<T>(opts: ConsumerOptions<T>, handler: BusHandler<T>): Promise<Subscription> {
    const stream = streamForFilters(this.prefix, opts.filterSubjects);
    const filters = opts.filterSubjects.map((s) => this.abs(s));
    if (filters.length > 1 && !atLeast(this.nc.info?.version, 2, 10)) {
      throw new Error(`several filter subjects need NATS >= 2.10 (server is ${this.nc.info?.version}): use one consume() per subject`);
    }
    await ensureConsumer(this.jsm, stream, opts, filters);
    const consumer = await this.js.consumers.get(stream, opts.durable);
    const concurrency = Math.max(1, opts.concurrency ?? CONSUMER_DEFAULTS.concurrency);
    const messages = await consumer.consume({ max_messages: concurrency });
    // The subject's map entry promised T; what arrives is the JSON its producers sent under the same entry.
    const worker = new NatsDurableWorker(this.js, this.prefix, opts, handler as BusHandler, messages, this.failures);
    this.workers.add(worker);
    return {
      unsubscribe: async () => {
        this.workers.delete(worker);
        await worker.stop(this.drainTimeoutMs);
      },
    };
  }

  emit<T>(subject: BusSubject<Live<T>>, payload: NoInfer<T>): void {
    this.nc.publish(this.abs(subject), encode(payload));
  }

  on<T>(subject: BusPattern<Live<T>>, handler: (payload: NoInfer<T>, subject: string) => void, queue?: string): Subscription {
    const sub = this.nc.subscribe(this.abs(subject), {
      queue,
      callback: (err, msg) => {
        if (err) return this.logger.error(`subscription ${subject} failed: ${err.message}`);
        try {
          handler(decode(msg.data) as T, this.rel(msg.subject));
        } catch (handlerErr) {
          this.logger.error(`handler of ${subject} failed on ${msg.subject}: ${errorMessage(handlerErr)}`);
        }
      },
    });
    return { unsubscribe: async () => sub.unsubscribe() };
  }

  async request<Req, Res>(subject: BusSubject<RequestReply<Req, Res>>, payload: NoInfer<Req>, timeoutMs: number): Promise<Res> {
    try {
      const msg = await this.nc.request(this.abs(subject), encode(payload), { timeout: timeoutMs });
      return unwrapReply<Res>(subject, decode(msg.data));
    } catch (err) {
      if (err instanceof NatsError && err.code === ErrorCode.NoResponders) throw new BusNoRespondersError(subject);
      if (err instanceof NatsError && err.code === ErrorCode.Timeout) throw new BusTimeoutError(subject, timeoutMs);
      throw err;
    }
  }

  reply<Req, Res>(
    subject: BusPattern<RequestReply<Req, Res>>,
    handler: (payload: NoInfer<Req>, subject: string) => Promise<NoInfer<Res>>,
    queue?: string,
  ): Subscription {
    const sub = this.nc.subscribe(this.abs(subject), {
      queue: queue ?? DEFAULT_REPLY_QUEUE,
      callback: (err, msg) => {
        if (err) return this.logger.error(`responder ${subject} failed: ${err.message}`);
        (async () => {
          const settled = await Promise.allSettled([
            (async () => handler(decode(msg.data) as Req, this.rel(msg.subject)))(),
          ]);
          if (msg.reply) msg.respond(encode(replyFrame(settled[0])));
        })().catch((err: Error) => this.logger.error(`responder ${subject} could not answer: ${err.message}`));
      },
    });
    return { unsubscribe: async () => sub.unsubscribe() };
  }

  /** Rejects within `timeoutMs` while the server is unreachable (flush would wait for the reconnect). */
  async ping(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const check = (async () => {
      await this.nc.flush();
      await this.jsm.getAccountInfo();
    })();
    try {
      await Promise.race([
        check,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`NATS did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    await Promise.allSettled([...this.workers].map((w) => w.stop(this.drainTimeoutMs)));
    this.workers.clear();
    await this.nc.drain();
  }

  /** JetStream's management API, for tests and admin tooling (stream cleanup, DLQ inspection). */
  manager(): JetStreamManager {
    return this.jsm;
  }

  private abs(subject: string): string {
    return `${this.prefix}.${subject}`;
  }

  private rel(subject: string): string {
    return subject.slice(this.prefix.length + 1);
  }
}
