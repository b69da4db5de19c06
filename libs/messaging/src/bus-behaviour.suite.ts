import { Controller, INestMicroservice, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { BusSubjects, Envelope, makeEnvelope, newId } from '@cs/contracts';
import { BUS, Bus, BusMessage, BusNoRespondersError, BusRemoteError, BusTimeoutError } from './bus';
import { PermanentError } from './failure-class';
import { BusContext } from './bus-context';
import { specSubject } from './bus-spec-subjects';
import { BusErrorFilter } from './bus-error.filter';
import { busDeadLetters, busDeadLettersByReason, busRedeliveries, busTransientRetries } from './bus-metrics';
import { BusTransport } from './bus-transport';
import { MessagingModule, MessagingModuleOptions } from './messaging.module';

/**
 * The behaviour both buses promise (bus.ts). Run by in-process-bus.spec.ts and nats-bus.int-spec.ts
 * so the embedded mode cannot drift from the distributed one.
 */
export interface BusUnderTest {
  /** A connected bus; the suite closes it. */
  connect(): Promise<Bus>;
  /** Options for MessagingModule.forRoot reaching the same broker and prefix. */
  moduleOptions: MessagingModuleOptions;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(what: string, cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function counted(
  counter: typeof busRedeliveries | typeof busDeadLettersByReason,
  consumer: string,
  kind?: string,
): Promise<number> {
  const { values } = await counter.get();
  const labels = (v: (typeof values)[number]) => v.labels as Record<string, string | number | undefined>;
  return values.find((v) => labels(v).consumer === consumer && (kind === undefined || labels(v).kind === kind))?.value ?? 0;
}

/** What node's socket gives when PostgreSQL or NATS is down. */
function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

/** A fresh subject and durable name per test, so tests sharing one stream never see each other. */
function fresh() {
  const id = newId().replace(/-/g, '');
  return { subject: specSubject.durable(`msg.in.test.${id}`), durable: `d${id}`, tenant: `t${id}` };
}

export function describeBusBehaviour(label: string, under: BusUnderTest): void {
  describe(`${label}: durable messages`, () => {
    let bus: Bus;
    const subs: Array<{ unsubscribe(): Promise<void> }> = [];

    beforeAll(async () => {
      bus = await under.connect();
    });
    afterEach(async () => {
      await Promise.all(subs.splice(0).map((s) => s.unsubscribe()));
    });
    afterAll(async () => {
      await bus?.close();
    });

    it('acknowledges only once the handler resolves: a handler that throws gets the message again', async () => {
      const { subject, durable, tenant } = fresh();
      const seen: number[] = [];
      subs.push(
        await bus.consume({ durable, filterSubjects: [subject], backoffMs: [50] }, async (m) => {
          seen.push(m.deliveryCount);
          if (m.deliveryCount === 1) throw new Error('database was down');
        }),
      );
      await bus.publish(subject, makeEnvelope('test', tenant, { n: 1 }));
      await waitFor('the redelivery', () => seen.length === 2);
      await sleep(300);
      expect(seen).toEqual([1, 2]);
    });

    it('does not redeliver a message while its handler is still running, however long past the ack wait', async () => {
      const { subject, durable, tenant } = fresh();
      const seen: number[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      subs.push(
        await bus.consume({ durable, filterSubjects: [subject], ackWaitMs: 300 }, async (m) => {
          seen.push(m.deliveryCount);
          await held;
        }),
      );
      await bus.publish(subject, makeEnvelope('test', tenant, {}));
      await waitFor('the first delivery', () => seen.length === 1);
      await sleep(1500);
      release();
      await sleep(200);
      expect(seen).toEqual([1]);
    });

    it('waits roughly the backoff before redelivering', async () => {
      const { subject, durable, tenant } = fresh();
      const at: number[] = [];
      subs.push(
        await bus.consume({ durable, filterSubjects: [subject], backoffMs: [400] }, async () => {
          at.push(Date.now());
          if (at.length === 1) throw new Error('try later');
        }),
      );
      await bus.publish(subject, makeEnvelope('test', tenant, {}));
      await waitFor('the redelivery', () => at.length === 2);
      expect(at[1] - at[0]).toBeGreaterThanOrEqual(350);
      expect(at[1] - at[0]).toBeLessThan(1500);
    });

    it('moves a message that keeps failing to the dead-letter subject after maxDeliver attempts', async () => {
      const { subject, durable, tenant } = fresh();
      let attempts = 0;
      const dead: BusMessage[] = [];
      subs.push(
        await bus.consume({ durable, filterSubjects: [subject], maxDeliver: 3, backoffMs: [20] }, async () => {
          attempts++;
          throw new Error('poison');
        }),
        await bus.consume({ durable: `${durable}dlq`, filterSubjects: [BusSubjects.deadLetter(subject)] }, async (m) => {
          dead.push(m);
        }),
      );
      const envelope = makeEnvelope('test', tenant, { poison: true });
      await bus.publish(subject, envelope);
      await waitFor('the dead letter', () => dead.length === 1);
      await sleep(200);
      expect(attempts).toBe(3);
      expect(dead).toHaveLength(1);
      expect(dead[0].subject).toBe(BusSubjects.deadLetter(subject));
      expect(dead[0].envelope).toEqual(JSON.parse(JSON.stringify(envelope)));
      expect(await counted(busRedeliveries, durable)).toBe(2);
      expect(await counted(busDeadLetters, durable)).toBe(1);
    });

    it('records why a message was dead-lettered, where it came from and after how many deliveries', async () => {
      const { subject, durable, tenant } = fresh();
      const dead: BusMessage[] = [];
      const failed: Array<number | undefined> = [];
      subs.push(
        await bus.consume({ durable, filterSubjects: [subject], maxDeliver: 2, backoffMs: [20] }, async (m) => {
          failed.push(m.failedAttempts);
          throw new Error('cannot parse the order number');
        }),
        await bus.consume({ durable: `${durable}dlq`, filterSubjects: [specSubject.durable(`dlq.${subject}`)] }, async (m) => void dead.push(m)),
      );
      await bus.publish(subject, makeEnvelope('test', tenant, {}));
      await waitFor('the dead letter', () => dead.length === 1);
      expect(dead[0].deadLetter).toMatchObject({
        reason: 'cannot parse the order number',
        kind: 'content',
        consumer: durable,
        originalSubject: subject,
        deliveryCount: 2,
      });
      expect(Number.isNaN(Date.parse(dead[0].deadLetter?.at ?? ''))).toBe(false);
      expect(await counted(busDeadLettersByReason, durable, 'content')).toBe(1);
      expect(failed).toEqual([0, 1]);
    });

    it('waits out an outage: a message failing with connection errors is retried past maxDeliver and handled once the dependency is back', async () => {
      const { subject, durable, tenant } = fresh();
      const seen: number[] = [];
      const failed: Array<number | undefined> = [];
      const dead: BusMessage[] = [];
      subs.push(
        await bus.consume(
          { durable, filterSubjects: [subject], maxDeliver: 2, backoffMs: [10], transientBackoffMaxMs: 40 },
          async (m) => {
            seen.push(m.deliveryCount);
            failed.push(m.failedAttempts);
            if (seen.length <= 6) throw connectionRefused();
          },
        ),
        await bus.consume({ durable: `${durable}dlq`, filterSubjects: [specSubject.durable(`dlq.${subject}`)] }, async (m) => void dead.push(m)),
      );
      await bus.publish(subject, makeEnvelope('test', tenant, {}));
      await waitFor('the seventh delivery', () => seen.length === 7, 5000);
      await sleep(200);
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(failed).toEqual([0, 0, 0, 0, 0, 0, 0]);
      expect(dead).toHaveLength(0);
      expect(await counted(busTransientRetries, durable)).toBe(6);
      expect(await counted(busRedeliveries, durable)).toBe(0);
    });

    it('treats a database outage as transient when the app says so, through the bus-wide or per-consumer classifier', async () => {
      const { subject, durable, tenant } = fresh();
      let attempts = 0;
      subs.push(
        await bus.consume(
          {
            durable,
            filterSubjects: [subject],
            maxDeliver: 1,
            backoffMs: [10],
            classify: (err) => ((err as { code?: string }).code === '57P01' ? 'transient' : undefined),
          },
          async () => {
            if (++attempts <= 3) throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
          },
        ),
      );
      await bus.publish(subject, makeEnvelope('test', tenant, {}));
      await waitFor('the fourth attempt', () => attempts === 4, 5000);
      await sleep(100);
      expect(attempts).toBe(4);
    });

    it('dead-letters a message whose outage outlasts the transient limit, saying so', async () => {
      const { subject, durable, tenant } = fresh();
      const dead: BusMessage[] = [];
      subs.push(
        await bus.consume(
          { durable, filterSubjects: [subject], backoffMs: [20], transientRetryMs: 150, transientBackoffMaxMs: 20 },
          async () => {
            throw connectionRefused();
          },
        ),
        await bus.consume({ durable: `${durable}dlq`, filterSubjects: [specSubject.durable(`dlq.${subject}`)] }, async (m) => void dead.push(m)),
      );
      await bus.publish(subject, makeEnvelope('test', tenant, {}));
      await waitFor('the dead letter', () => dead.length === 1, 5000);
      expect(dead[0].deadLetter?.kind).toBe('transient-limit');
      expect(dead[0].deadLetter?.reason).toMatch(/ECONNREFUSED/);
    });

    it('dead-letters at once, with the reason, a message whose error says it can never succeed', async () => {
      const { subject, durable, tenant } = fresh();
      let attempts = 0;
      const dead: BusMessage[] = [];
      subs.push(
        await bus.consume({ durable, filterSubjects: [subject], maxDeliver: 5, backoffMs: [20] }, async () => {
          attempts++;
          throw new PermanentError('invalid byte sequence for encoding "UTF8": 0x00');
        }),
        await bus.consume({ durable: `${durable}dlq`, filterSubjects: [specSubject.durable(`dlq.${subject}`)] }, async (m) => void dead.push(m)),
      );
      await bus.publish(subject, makeEnvelope('test', tenant, {}));
      await waitFor('the dead letter', () => dead.length === 1);
      await sleep(200);
      expect(attempts).toBe(1);
      expect(dead[0].deadLetter).toMatchObject({ kind: 'permanent', reason: 'invalid byte sequence for encoding "UTF8": 0x00', deliveryCount: 1 });
      expect(await counted(busDeadLetters, durable)).toBe(1);
    });

    it('keeps per-key order while a message waits out an outage: later messages of its key wait, other keys go on', async () => {
      const { subject, durable, tenant } = fresh();
      const handled: string[] = [];
      let outage = true;
      subs.push(
        await bus.consume(
          {
            durable,
            filterSubjects: [subject],
            concurrency: 8,
            backoffMs: [10],
            transientBackoffMaxMs: 30,
            orderKey: (e) => e.conversationId,
          },
          async (m) => {
            const { i } = m.envelope.data as { i: number };
            const key = m.envelope.conversationId as string;
            if (key === 'a' && outage) throw connectionRefused();
            handled.push(`${key}${i}`);
          },
        ),
      );
      for (let i = 0; i < 3; i++) {
        for (const key of ['a', 'b']) await bus.publish(subject, makeEnvelope('test', tenant, { i }, { conversationId: key }));
      }
      await waitFor('key b', () => handled.length === 3);
      await sleep(300);
      expect(handled).toEqual(['b0', 'b1', 'b2']);
      outage = false;
      await waitFor('key a after the outage', () => handled.length === 6, 5000);
      expect(handled.slice(3)).toEqual(['a0', 'a1', 'a2']);
    });

    it('delivers a message published twice with the same msgId once', async () => {
      const { subject, durable, tenant } = fresh();
      const got: BusMessage[] = [];
      subs.push(await bus.consume({ durable, filterSubjects: [subject] }, async (m) => void got.push(m)));
      await bus.publish(subject, makeEnvelope('test', tenant, { copy: 1 }), { msgId: `${tenant}:ext-1` });
      await bus.publish(subject, makeEnvelope('test', tenant, { copy: 2 }), { msgId: `${tenant}:ext-1` });
      await bus.publish(subject, makeEnvelope('test', tenant, { copy: 3 }), { msgId: `${tenant}:ext-2` });
      await waitFor('two messages', () => got.length === 2);
      await sleep(300);
      expect(got.map((m) => (m.envelope.data as { copy: number }).copy)).toEqual([1, 3]);
      expect(got[0].msgId).toBe(`${tenant}:ext-1`);
    });

    it('keeps a message published before the durable subscribes until it does', async () => {
      const { subject, durable, tenant } = fresh();
      const envelope = makeEnvelope('test', tenant, { early: true });
      await bus.publish(subject, envelope);
      const got: Envelope[] = [];
      subs.push(await bus.consume({ durable, filterSubjects: [subject] }, async (m) => void got.push(m.envelope)));
      await waitFor('the early message', () => got.length === 1);
      expect(got[0].id).toBe(envelope.id);
    });

    it('shares the messages of one durable between its consumers, each message handled once overall', async () => {
      const { subject, durable, tenant } = fresh();
      const byConsumer: string[][] = [[], []];
      for (const mine of byConsumer) {
        subs.push(
          await bus.consume({ durable, filterSubjects: [subject], concurrency: 1 }, async (m) => {
            mine.push(m.envelope.id);
            await sleep(15);
          }),
        );
      }
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const e = makeEnvelope('test', tenant, { i });
        ids.push(e.id);
        await bus.publish(subject, e);
      }
      await waitFor('all twenty', () => byConsumer[0].length + byConsumer[1].length >= 20);
      await sleep(200);
      const all = [...byConsumer[0], ...byConsumer[1]];
      expect(all.sort()).toEqual([...ids].sort());
      expect(byConsumer[0].length).toBeGreaterThan(0);
      expect(byConsumer[1].length).toBeGreaterThan(0);
    });

    it('gives every message to each of two different durables', async () => {
      const { subject, durable, tenant } = fresh();
      const a: string[] = [];
      const b: string[] = [];
      subs.push(
        await bus.consume({ durable: `${durable}a`, filterSubjects: [subject] }, async (m) => void a.push(m.envelope.id)),
        await bus.consume({ durable: `${durable}b`, filterSubjects: [subject] }, async (m) => void b.push(m.envelope.id)),
      );
      const ids = [makeEnvelope('test', tenant, 1), makeEnvelope('test', tenant, 2)];
      for (const e of ids) await bus.publish(subject, e);
      await waitFor('both durables', () => a.length === 2 && b.length === 2);
      expect(a).toEqual(ids.map((e) => e.id));
      expect(b).toEqual(ids.map((e) => e.id));
    });

    it('matches wildcard filters like NATS', async () => {
      const { durable, tenant } = fresh();
      const got: string[] = [];
      subs.push(
        await bus.consume({ durable, filterSubjects: [specSubject.durable(`msg.out.${tenant}.*`)] }, async (m) => void got.push(m.subject)),
      );
      await bus.publish(specSubject.durable(`msg.out.${tenant}.one`), makeEnvelope('test', tenant, {}));
      await bus.publish(specSubject.durable(`msg.out.${tenant}.one.deeper`), makeEnvelope('test', tenant, {}));
      await bus.publish(specSubject.durable(`msg.out.${tenant}.two`), makeEnvelope('test', tenant, {}));
      await waitFor('two matches', () => got.length === 2);
      await sleep(200);
      expect(got).toEqual([specSubject.durable(`msg.out.${tenant}.one`), specSubject.durable(`msg.out.${tenant}.two`)]);
    });

    it('refuses durable subjects that no stream captures, as JetStream would', async () => {
      await expect(bus.publish(specSubject.durable(BusSubjects.webhook('slack')), makeEnvelope('test', 't1', {}))).rejects.toThrow(/no durable stream/);
      await expect(bus.consume({ durable: fresh().durable, filterSubjects: [specSubject.durable('webhook.>')] }, async () => undefined)).rejects.toThrow(
        /no durable stream/,
      );
    });

    it('keeps live conversation emits (conv.message, conv.typing) out of durable conv.> consumers, which get the durable events', async () => {
      const { durable, tenant } = fresh();
      const got: string[] = [];
      subs.push(await bus.consume({ durable, filterSubjects: [BusSubjects.convEvents()] }, async (m) => void (m.subject.endsWith(tenant) && got.push(m.subject))));
      // Envelope-shaped on purpose: were they captured, the consumer would take them for durable events.
      bus.emit(specSubject.live(BusSubjects.convMessage(tenant)), makeEnvelope('conversation', tenant, { conversationId: 'c1', detail: { text: 'live only' } }));
      bus.emit(specSubject.live(BusSubjects.convTyping(tenant)), makeEnvelope('conversation', tenant, { conversationId: 'c1' }));
      await bus.publish(specSubject.durable(BusSubjects.convEvent('handoff', tenant)), makeEnvelope('conversation', tenant, { conversationId: 'c1' }));
      await waitFor('the hand-off', () => got.length >= 1);
      await sleep(200);
      expect(got).toEqual([BusSubjects.convEvent('handoff', tenant)]);
      await expect(bus.publish(specSubject.durable(BusSubjects.convMessage(tenant)), makeEnvelope('conversation', tenant, {}))).rejects.toThrow(/no durable stream/);
    });

    it('handles messages of one order key one at a time and in publish order, other keys in parallel', async () => {
      const { subject, durable, tenant } = fresh();
      const order: Record<string, number[]> = { a: [], b: [] };
      const running: Record<string, number> = { a: 0, b: 0 };
      let overlapSameKey = false;
      let maxParallel = 0;
      let parallel = 0;
      subs.push(
        await bus.consume(
          {
            durable,
            filterSubjects: [subject],
            concurrency: 8,
            orderKey: (e) => e.conversationId,
          },
          async (m) => {
            const key = m.envelope.conversationId as string;
            running[key]++;
            parallel++;
            maxParallel = Math.max(maxParallel, parallel);
            if (running[key] > 1) overlapSameKey = true;
            await sleep(5 + Math.random() * 20);
            order[key].push((m.envelope.data as { i: number }).i);
            running[key]--;
            parallel--;
          },
        ),
      );
      for (let i = 0; i < 10; i++) {
        for (const key of ['a', 'b']) await bus.publish(subject, makeEnvelope('test', tenant, { i }, { conversationId: key }));
      }
      await waitFor('twenty messages', () => order.a.length + order.b.length === 20);
      const expected = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      expect(order.a).toEqual(expected);
      expect(order.b).toEqual(expected);
      expect(overlapSameKey).toBe(false);
      expect(maxParallel).toBe(2);
    });
  });

  describe(`${label}: core messages`, () => {
    let bus: Bus;
    const subs: Array<{ unsubscribe(): Promise<void> }> = [];

    beforeAll(async () => {
      bus = await under.connect();
    });
    afterEach(async () => {
      await Promise.all(subs.splice(0).map((s) => s.unsubscribe()));
    });
    afterAll(async () => {
      await bus?.close();
    });

    it('answers a request with the responder result', async () => {
      const { tenant } = fresh();
      subs.push(bus.reply(specSubject.request(`webhook.${tenant}.*`), async (p, subject) => ({ echo: p, subject })));
      await expect(bus.request(specSubject.request(`webhook.${tenant}.twilio`), { body: 'hi' }, 1000)).resolves.toEqual({
        echo: { body: 'hi' },
        subject: specSubject.request(`webhook.${tenant}.twilio`),
      });
    });

    it('rejects with BusTimeoutError when the responder is too slow', async () => {
      const { tenant } = fresh();
      subs.push(bus.reply(specSubject.request(`webhook.${tenant}`), async () => sleep(1000)));
      const started = Date.now();
      await expect(bus.request(specSubject.request(`webhook.${tenant}`), {}, 200)).rejects.toBeInstanceOf(BusTimeoutError);
      expect(Date.now() - started).toBeLessThan(900);
    });

    it('rejects with BusNoRespondersError when nobody listens', async () => {
      const { tenant } = fresh();
      await expect(bus.request(specSubject.request(`webhook.${tenant}`), {}, 1000)).rejects.toBeInstanceOf(BusNoRespondersError);
    });

    it('passes the responder failure back to the requester', async () => {
      const { tenant } = fresh();
      subs.push(
        bus.reply(specSubject.request(`webhook.${tenant}`), async () => {
          throw new Error('bad signature');
        }),
      );
      const failure = bus.request(specSubject.request(`webhook.${tenant}`), {}, 1000);
      await expect(failure).rejects.toBeInstanceOf(BusRemoteError);
      await expect(failure).rejects.toThrow(/bad signature/);
    });

    it('emits to every plain subscriber and to one member of each queue group', async () => {
      const { tenant } = fresh();
      const plain: unknown[] = [];
      const group: unknown[] = [];
      subs.push(
        bus.on(specSubject.live(BusSubjects.webchatDeliver(tenant)), (p) => void plain.push(p)),
        bus.on(specSubject.live(BusSubjects.webchatDeliver(tenant)), (p) => void group.push(p), 'gw'),
        bus.on(specSubject.live(BusSubjects.webchatDeliver(tenant)), (p) => void group.push(p), 'gw'),
      );
      await bus.ping();
      bus.emit(specSubject.live(BusSubjects.webchatDeliver(tenant)), { text: 'hello' });
      await waitFor('the emitted message', () => plain.length === 1 && group.length === 1);
      await sleep(100);
      expect(plain).toEqual([{ text: 'hello' }]);
      expect(group).toEqual([{ text: 'hello' }]);
    });
  });

  describe(`${label}: Nest transport`, () => {
    let app: INestMicroservice;
    let bus: Bus;
    const { subject, tenant } = fresh();
    const received: BusMessage[] = [];
    let failuresLeft = 1;
    const outageAttempts: number[] = [];
    const dead: BusMessage[] = [];

    @Controller()
    class InboxController {
      @EventPattern(specSubject.durable('msg.in.nest.>'), { durable: `nest${tenant}`, backoffMs: [30] })
      async onInbound(@Payload() message: BusMessage): Promise<void> {
        if (failuresLeft-- > 0) throw new Error('first attempt fails');
        received.push(message);
      }

      @MessagePattern(specSubject.request('webhook.nest.*'))
      async onWebhook(@Payload() payload: { n: number }, @Ctx() ctx: BusContext) {
        return { doubled: payload.n * 2, subject: ctx.getSubject() };
      }
    }

    @Controller()
    @UseFilters(BusErrorFilter)
    class FilteredController {
      @EventPattern(specSubject.durable('msg.in.nestfiltered.>'), { durable: `nestf${tenant}`, maxDeliver: 2, backoffMs: [20], transientBackoffMaxMs: 20 })
      async onInbound(@Payload() message: BusMessage): Promise<void> {
        const { kind } = message.envelope.data as { kind: string };
        if (kind === 'outage') {
          outageAttempts.push(message.deliveryCount);
          if (outageAttempts.length <= 4) throw connectionRefused();
          return;
        }
        throw new PermanentError('no such order');
      }

      @EventPattern(specSubject.durable('dlq.msg.in.nestfiltered.>'), { durable: `nestfdlq${tenant}` })
      async onDead(@Payload() message: BusMessage): Promise<void> {
        dead.push(message);
      }
    }

    beforeAll(async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [MessagingModule.forRoot(under.moduleOptions)],
        controllers: [InboxController, FilteredController],
      }).compile();
      app = moduleRef.createNestMicroservice({ strategy: moduleRef.get(BusTransport), logger: false });
      await app.listen();
      bus = app.get<Bus>(BUS);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('hands a published message to the @EventPattern handler, redelivering when it throws', async () => {
      const envelope = makeEnvelope('test', tenant, { hello: 'nest' });
      await bus.publish(specSubject.durable(subject.replace('msg.in.test', 'msg.in.nest')), envelope);
      await waitFor('the handler', () => received.length === 1);
      expect(received[0].envelope.id).toBe(envelope.id);
      expect(received[0].deliveryCount).toBe(2);
    });

    it('lets the bus see the handler error under BusErrorFilter: an outage is waited out, a permanent error dead-letters at once with its reason', async () => {
      await bus.publish(specSubject.durable(`msg.in.nestfiltered.${tenant}`), makeEnvelope('test', tenant, { kind: 'outage' }));
      await waitFor('the handler past the outage', () => outageAttempts.length === 5, 5000);
      await bus.publish(specSubject.durable(`msg.in.nestfiltered.${tenant}`), makeEnvelope('test', tenant, { kind: 'bad' }));
      await waitFor('the dead letter', () => dead.length === 1);
      await sleep(100);
      expect(dead).toHaveLength(1);
      expect(dead[0].deadLetter).toMatchObject({ kind: 'permanent', reason: 'no such order', deliveryCount: 1 });
    });

    it('answers requests with the @MessagePattern handler result', async () => {
      await expect(bus.request(specSubject.request('webhook.nest.slack'), { n: 21 }, 1000)).resolves.toEqual({
        doubled: 42,
        subject: specSubject.request('webhook.nest.slack'),
      });
    });
  });
}
