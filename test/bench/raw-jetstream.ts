import { AckPolicy, connect, JSONCodec, NatsConnection } from 'nats';

/**
 * The baseline: a JetStream round trip with no application code — publish → durable consumer →
 * publish → durable consumer — on the same server, at the same concurrency as the product run.
 */
export class RawJetStreamRoundTrip {
  private nc!: NatsConnection;
  private readonly waiting = new Map<string, () => void>();
  private readonly codec = JSONCodec<{ id: string }>();
  private seq = 0;

  constructor(private readonly url: string, private readonly prefix: string) {}

  private get stream(): string {
    return `${this.prefix.toUpperCase()}_RAW`;
  }

  async start(): Promise<void> {
    this.nc = await connect({ servers: this.url });
    const jsm = await this.nc.jetstreamManager();
    await jsm.streams.add({ name: this.stream, subjects: [`${this.prefix}.raw.>`], duplicate_window: 120e9 });
    for (const leg of ['a', 'b']) {
      await jsm.consumers.add(this.stream, { durable_name: leg, filter_subject: `${this.prefix}.raw.${leg}`, ack_policy: AckPolicy.Explicit, max_ack_pending: 1000 });
    }
    const js = this.nc.jetstream();
    const a = await (await js.consumers.get(this.stream, 'a')).consume({ max_messages: 256 });
    const b = await (await js.consumers.get(this.stream, 'b')).consume({ max_messages: 256 });
    (async () => {
      for await (const m of a) {
        await js.publish(`${this.prefix}.raw.b`, m.data, { msgID: `b:${this.codec.decode(m.data).id}` });
        m.ack();
      }
    })().catch((err: Error) => console.error(`raw JetStream leg a stopped: ${err.message}`));
    (async () => {
      for await (const m of b) {
        m.ack();
        this.waiting.get(this.codec.decode(m.data).id)?.();
      }
    })().catch((err: Error) => console.error(`raw JetStream leg b stopped: ${err.message}`));
  }

  /** One round trip; resolves when the second consumer has it. */
  async roundTrip(): Promise<void> {
    const id = `${process.pid}-${this.seq++}`;
    const done = new Promise<void>((resolve) => this.waiting.set(id, resolve));
    await this.nc.jetstream().publish(`${this.prefix}.raw.a`, this.codec.encode({ id }), { msgID: `a:${id}` });
    await done;
    this.waiting.delete(id);
  }

  async stop(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    await jsm.streams.delete(this.stream).catch(() => undefined);
    await this.nc.drain();
  }
}
