import { randomBytes } from 'crypto';
import { INestApplication, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { DataSource } from 'typeorm';
import {
  BusSubjects,
  ChannelConnector,
  ConnectorError,
  DeliveryStatus,
  InboundMessage,
  OutboundMessage,
  ReceivedWebhook,
  SendResult,
  WebhookRequest,
  makeEnvelope,
  newId,
} from '@cs/contracts';
import { BaseEnv, CoreModule, SecretBox, baseEnvSchema } from '@cs/config';
import { BUS, Bus, BusMessage, Subscription } from '@cs/messaging';
import { ChannelAccount, Message, Tenant } from '@cs/persistence';
import { testEnv, waitFor } from '@cs/testing';
import { ApiConnector } from './channels/api/api.connector';
import { WebchatConnector } from './channels/webchat/webchat.connector';
import { ConnectorsModule } from './connectors.module';
import { OUTBOUND_DISPATCH_OPTIONS, OutboundDispatcher } from './outbound/outbound-dispatcher.service';

/**
 * A fake SMS vendor (its adapter, not ours): each send takes the next scripted outcome. It also
 * takes generic webhooks signed with a shared secret, like a real SMS vendor would send.
 */
@Injectable()
class FakeSmsConnector implements ChannelConnector {
  readonly definition = {
    id: 'fake-sms',
    channel: 'sms' as const,
    displayName: 'Fake SMS',
    settings: z.object({ signingSecret: z.string().meta({ title: 'Signing secret', description: 'Shared webhook secret', secret: true }) }),
    capabilities: { threads: false, attachments: false, maxTextLength: 160, typing: false, richText: false },
  };
  readonly sent: OutboundMessage[] = [];
  readonly attempts: string[] = [];
  readonly script: (ConnectorError | Error | 'ok')[] = [];
  sendDelayMs = 0;

  async send(message: OutboundMessage): Promise<SendResult> {
    this.attempts.push(message.messageId);
    const outcome = this.script.shift() ?? 'ok';
    if (this.sendDelayMs) await new Promise((r) => setTimeout(r, this.sendDelayMs));
    if (outcome !== 'ok') throw outcome;
    this.sent.push(message);
    return { externalMessageId: `SM${this.sent.length}-${message.messageId.slice(-6)}` };
  }

  verify(req: WebhookRequest, account: { settings: Record<string, unknown> } | null): boolean {
    return !!account && req.headers['x-signature'] === account.settings.signingSecret;
  }

  receive(req: WebhookRequest, account: { id: string } | null): ReceivedWebhook {
    const body = JSON.parse(Buffer.from(req.bodyBase64, 'base64').toString('utf8')) as { id: string; from: string; text: string };
    const message: InboundMessage = {
      connectorId: 'fake-sms',
      channel: 'sms',
      channelAccountId: account!.id,
      externalMessageId: body.id,
      sender: { externalUserId: body.from, address: body.from },
      receivedAt: req.receivedAt,
      parts: [{ type: 'text', text: body.text }],
      channelData: {},
    };
    return { messages: [message], statuses: [], response: { status: 200, headers: { 'content-type': 'text/xml' }, body: '<Response/>' } };
  }
}

const secretKey = randomBytes(24).toString('hex');

/** The same behaviour on both buses: distributed (NATS JetStream) and embedded (in-process). */
const modes: [string, () => BaseEnv][] = [
  [
    'PostgreSQL and NATS JetStream',
    () => {
      const env = testEnv('connectors');
      return baseEnvSchema.parse({ DATABASE_URL: env.DATABASE_URL, NATS_URL: env.NATS_URL, BUS_PREFIX: env.BUS_PREFIX, SECRET_KEY: secretKey });
    },
  ],
  // PGlite cannot load inside jest's VM (dynamic import); the embedded e2e spec covers it in a process.
  [
    'PostgreSQL and the in-process bus of the embedded mode',
    () => baseEnvSchema.parse({ DATABASE_URL: testEnv().DATABASE_URL, SECRET_KEY: secretKey }),
  ],
];

describe.each(modes)('the connectors app on %s', (_mode, envFor) => {
  let app: INestApplication;
  let bus: Bus;
  let db: DataSource;
  let fake: FakeSmsConnector;
  const inbound: BusMessage[] = [];
  const statuses: BusMessage<DeliveryStatus>[] = [];
  const subs: Subscription[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CoreModule.forRoot(envFor(), { app: 'connectors-int' }),
        ConnectorsModule.withConnectors(
          [WebchatConnector, ApiConnector, FakeSmsConnector],
          [{ provide: OUTBOUND_DISPATCH_OPTIONS, useValue: { maxDeliver: 3, backoffMs: [100] } }],
        ),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.init();
    bus = app.get(BUS);
    db = app.get(DataSource);
    fake = app.get(FakeSmsConnector);
    // Stand-ins for the agent: what reaches it on msg.in.* and msg.status.*.
    subs.push(await bus.consume({ durable: 'test-agent-in', filterSubjects: [BusSubjects.msgInAll()] }, async (m) => void inbound.push(m)));
    subs.push(
      await bus.consume({ durable: 'test-agent-status', filterSubjects: [BusSubjects.msgStatusAll()] }, async (m) => void statuses.push(m)),
    );
  });

  afterAll(async () => {
    await Promise.all(subs.map((s) => s.unsubscribe()));
    await app?.close();
  });

  async function tenantWith(connectorId: string, extra: Partial<ChannelAccount> = {}): Promise<{ tenantId: string; account: ChannelAccount }> {
    const tenantId = newId();
    await db.getRepository(Tenant).insert({ id: tenantId, name: 'Shop', slug: `shop-${tenantId}`, settings: {} });
    const account = db.getRepository(ChannelAccount).create({
      id: newId(),
      tenantId,
      connectorId,
      name: connectorId,
      settings: {},
      publicKey: null,
      secretsEncrypted: null,
      status: 'active',
      statusReason: null,
      ...extra,
    });
    await db.getRepository(ChannelAccount).save(account);
    return { tenantId, account };
  }

  async function outgoing(tenantId: string, account: ChannelAccount, channel: OutboundMessage['channel'], extra: Partial<Message> = {}) {
    const row = {
      id: newId(),
      tenantId,
      conversationId: newId(),
      direction: 'out' as const,
      authorKind: 'bot' as const,
      connectorId: account.connectorId,
      parts: [{ type: 'text' as const, text: 'Delivery takes 2 to 4 working days.' }],
      text: 'Delivery takes 2 to 4 working days.',
      deliveryState: 'pending' as const,
      ...extra,
    };
    await db.getRepository(Message).save(db.getRepository(Message).create(row));
    const out: OutboundMessage = {
      messageId: row.id,
      conversationId: row.conversationId,
      connectorId: account.connectorId,
      channel,
      channelAccountId: account.id,
      target: { externalUserId: 'sess-a', externalThreadId: 'sess-a' },
      authorKind: 'bot',
      authorName: 'Shop assistant',
      parts: row.parts,
      channelData: {},
      idempotencyKey: `reply:${row.id}`,
    };
    return { row, out };
  }

  function publishOut(tenantId: string, out: OutboundMessage, msgId: string): Promise<void> {
    const envelope = makeEnvelope('message.outbound', tenantId, out, { conversationId: out.conversationId });
    return bus.publish(BusSubjects.msgOut(out.channel, tenantId), envelope, { msgId });
  }

  const rowOf = (id: string) => db.getRepository(Message).findOneByOrFail({ id });
  const statusesOf = (messageId: string) => statuses.filter((s) => s.envelope.data.messageId === messageId).map((s) => s.envelope.data);
  const settle = () => new Promise((r) => setTimeout(r, 600));

  it('publishes a web chat message once even when the widget sends it twice', async () => {
    const { tenantId, account } = await tenantWith('webchat', { publicKey: `wk_${newId()}` });
    const request = { widgetKey: account.publicKey!, sessionId: `s${Date.now()}`, clientId: 'c1', text: 'How long does delivery take?' };

    const first = await bus.request(BusSubjects.webchatRequest(), request, 5000);
    const second = await bus.request(BusSubjects.webchatRequest(), request, 5000);

    expect(first).toEqual({ ok: true, tenantId });
    expect(second).toEqual({ ok: true, tenantId });
    await settle();
    const mine = inbound.filter((m) => m.envelope.tenantId === tenantId);
    expect(mine).toHaveLength(1);
    expect(mine[0].subject).toBe(BusSubjects.msgIn('webchat', tenantId));
    expect(mine[0].msgId).toBe(`webchat:${request.sessionId}:c1`);
    expect(mine[0].envelope.data).toMatchObject({
      connectorId: 'webchat',
      channelAccountId: account.id,
      externalMessageId: `${request.sessionId}:c1`,
      externalThreadId: request.sessionId,
      parts: [{ type: 'text', text: 'How long does delivery take?' }],
    });
  });

  it('turns away an unknown widget and names the bad field of a known one', async () => {
    const { account } = await tenantWith('webchat', { publicKey: `wk_${newId()}` });
    const base = { sessionId: 's1', clientId: 'c1', text: 'hi' };
    expect(await bus.request(BusSubjects.webchatRequest(), { ...base, widgetKey: 'wk_nobody' }, 5000)).toMatchObject({ ok: false, status: 401 });
    expect(await bus.request(BusSubjects.webchatRequest(), { ...base, widgetKey: account.publicKey!, text: 'x'.repeat(4001) }, 5000)).toMatchObject({
      ok: false,
      status: 400,
      error: expect.stringContaining('text'),
    });
  });

  it('gives an API message without a conversation a new conversation id and threads it there', async () => {
    const { tenantId, account } = await tenantWith('api');
    const externalMessageId = `req-${newId()}`;

    const reply = (await bus.request(
      BusSubjects.apiRequest(),
      { tenantId, externalMessageId, text: 'Where is my order?', contact: { externalId: 'cust-1' } },
      5000,
    )) as { ok: boolean; conversationId: string };

    expect(reply).toEqual({ ok: true, conversationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const published = await waitFor(() => inbound.find((m) => m.envelope.tenantId === tenantId), { what: 'the API inbound' });
    expect(published.envelope.conversationId).toBe(reply.conversationId);
    expect(published.msgId).toBe(`api:${externalMessageId}`);
    expect(published.envelope.data).toMatchObject({ channelAccountId: account.id, externalThreadId: reply.conversationId });
  });

  it('answers 404 for a tenant whose API channel is not set up', async () => {
    const { tenantId } = await tenantWith('webchat');
    const reply = await bus.request(BusSubjects.apiRequest(), { tenantId, externalMessageId: 'r1', text: 'hi', contact: { externalId: 'c' } }, 5000);
    expect(reply).toMatchObject({ ok: false, status: 404 });
  });

  it('delivers a web chat reply once even when it reaches the connector twice', async () => {
    const { tenantId, account } = await tenantWith('webchat', { publicKey: `wk_${newId()}` });
    const { out } = await outgoing(tenantId, account, 'webchat');
    const pushed: unknown[] = [];
    subs.push(bus.on(BusSubjects.webchatDeliver('sess-a'), (payload) => void pushed.push(payload)));

    await publishOut(tenantId, out, `out:${out.messageId}:1`);
    await publishOut(tenantId, out, `out:${out.messageId}:2`);

    await waitFor(() => statusesOf(out.messageId).length > 0, { what: 'the sent status' });
    await settle();
    expect(pushed).toEqual([
      {
        type: 'message',
        message: expect.objectContaining({ id: out.messageId, direction: 'out', text: 'Delivery takes 2 to 4 working days.', authorName: 'Shop assistant' }),
      },
    ]);
    expect(await rowOf(out.messageId)).toMatchObject({ externalMessageId: out.messageId, deliveryState: 'sent' });
    expect(statusesOf(out.messageId)).toEqual([expect.objectContaining({ state: 'sent', externalMessageId: out.messageId })]);
  });

  it('shows the typing indicator in the widget while the agent works on a web chat answer', async () => {
    const frames: unknown[] = [];
    subs.push(bus.on(BusSubjects.webchatDeliver('sess-typing'), (payload) => void frames.push(payload)));
    const conversationId = newId();

    bus.emit(BusSubjects.convTyping(newId()), { conversationId, channel: 'webchat', externalThreadId: 'sess-typing', connectorId: 'webchat' });
    bus.emit(BusSubjects.convTyping(newId()), { conversationId: newId(), channel: 'sms', externalThreadId: 'sess-typing' });

    await waitFor(() => frames.length > 0, { what: 'a typing frame' });
    await settle();
    expect(frames).toEqual([{ type: 'typing', conversationId }]);
  });

  it('streams a model answer into the widget as a draft while it is being written', async () => {
    const frames: unknown[] = [];
    subs.push(bus.on(BusSubjects.webchatDeliver('sess-delta'), (payload) => void frames.push(payload)));
    const conversationId = newId();
    const replyToMessageId = newId();

    bus.emit(BusSubjects.convDelta(newId()), { conversationId, replyToMessageId, channel: 'webchat', externalThreadId: 'sess-delta', index: 0, delta: 'Standard ', provisional: true });
    bus.emit(BusSubjects.convDelta(newId()), { conversationId, replyToMessageId, channel: 'sms', externalThreadId: 'sess-delta', index: 1, delta: 'elsewhere' });
    bus.emit(BusSubjects.convDelta(newId()), { conversationId, replyToMessageId, channel: 'webchat', externalThreadId: 'sess-delta', index: 1, delta: 'delivery', provisional: true });

    await waitFor(() => frames.length >= 2, { what: 'two delta frames' });
    await settle();
    expect(frames).toEqual([
      { type: 'delta', conversationId, replyToMessageId, index: 0, delta: 'Standard ' },
      { type: 'delta', conversationId, replyToMessageId, index: 1, delta: 'delivery' },
    ]);
  });

  it('retries a temporary vendor failure and then delivers', async () => {
    const { tenantId, account } = await tenantWith('fake-sms');
    const { out } = await outgoing(tenantId, account, 'sms');
    fake.script.push(new ConnectorError('TEMPORARY', 'vendor returned 503'));

    await publishOut(tenantId, out, `out:${out.messageId}`);

    const row = await waitFor(async () => {
      const r = await rowOf(out.messageId);
      return r.deliveryState === 'sent' ? r : null;
    }, { what: 'the message to be sent' });
    expect(row.externalMessageId).toMatch(/^SM/);
    expect(fake.attempts.filter((id) => id === out.messageId)).toHaveLength(2);
    expect(fake.sent.filter((m) => m.messageId === out.messageId)).toHaveLength(1);
  });

  it('marks the message failed on a permanent vendor error and tells the agent', async () => {
    const { tenantId, account } = await tenantWith('fake-sms');
    const { out } = await outgoing(tenantId, account, 'sms');
    fake.script.push(new ConnectorError('INVALID_RECIPIENT', 'the number cannot receive SMS'));

    await publishOut(tenantId, out, `out:${out.messageId}`);

    await waitFor(() => statusesOf(out.messageId).length > 0, { what: 'the failed status' });
    expect(await rowOf(out.messageId)).toMatchObject({
      deliveryState: 'failed',
      errorCode: 'INVALID_RECIPIENT',
      errorMessage: 'the number cannot receive SMS',
      externalMessageId: null,
    });
    expect(statusesOf(out.messageId)).toEqual([expect.objectContaining({ state: 'failed', errorCode: 'INVALID_RECIPIENT' })]);
    expect(fake.attempts.filter((id) => id === out.messageId)).toHaveLength(1);
  });

  it('marks the channel failed when the vendor rejects its credentials', async () => {
    const { tenantId, account } = await tenantWith('fake-sms');
    const { out } = await outgoing(tenantId, account, 'sms');
    fake.script.push(new ConnectorError('AUTH', 'the auth token was revoked'));

    await publishOut(tenantId, out, `out:${out.messageId}`);

    await waitFor(() => statusesOf(out.messageId).length > 0, { what: 'the failed status' });
    expect(await db.getRepository(ChannelAccount).findOneByOrFail({ id: account.id })).toMatchObject({
      status: 'failed',
      statusReason: 'the auth token was revoked',
    });
    expect(await rowOf(out.messageId)).toMatchObject({ deliveryState: 'failed', errorCode: 'AUTH' });
  });

  it('sends once when two workers are handed the same message at the same moment', async () => {
    const { tenantId, account } = await tenantWith('fake-sms');
    const { out } = await outgoing(tenantId, account, 'sms');
    const dispatcher = app.get(OutboundDispatcher);
    const delivery = (deliveryCount: number): BusMessage => ({
      subject: BusSubjects.msgOut('sms', tenantId),
      envelope: makeEnvelope('message.outbound', tenantId, out, { conversationId: out.conversationId }),
      deliveryCount,
      seq: 1,
    });
    fake.sendDelayMs = 300;
    try {
      const results = await Promise.allSettled([dispatcher.dispatch(fake, delivery(1)), dispatcher.dispatch(fake, delivery(1))]);
      // The loser asks the bus to come back later; by then the message is sent and it does nothing.
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      await dispatcher.dispatch(fake, delivery(2));
    } finally {
      fake.sendDelayMs = 0;
    }

    expect(fake.attempts.filter((id) => id === out.messageId)).toHaveLength(1);
    expect(await rowOf(out.messageId)).toMatchObject({ deliveryState: 'sent' });
  });

  it('never sends a private note', async () => {
    const { tenantId, account } = await tenantWith('fake-sms');
    const { out } = await outgoing(tenantId, account, 'sms', { private: true });

    await publishOut(tenantId, out, `out:${out.messageId}`);
    await settle();

    expect(fake.attempts).not.toContain(out.messageId);
    expect(await rowOf(out.messageId)).toMatchObject({ deliveryState: 'pending', externalMessageId: null });
  });

  it('tells the admin console what each connector needs and seals the secret settings it saves', async () => {
    const definitions = await bus.request(BusSubjects.connectorDefinitions(), {}, 5000);
    expect(definitions.map((d) => d.id)).toEqual(['webchat', 'api', 'fake-sms']);
    expect((definitions[2].settingsSchema as { properties: Record<string, { secret?: boolean }> }).properties.signingSecret).toMatchObject({ title: 'Signing secret', secret: true });

    const prepared = (await bus.request(
      BusSubjects.connectorSettingsPrepare(),
      { connectorId: 'fake-sms', settings: { signingSecret: 'sig-9' } },
      5000,
    )) as { ok: true; settings: object; secretsEncrypted: string };
    expect(prepared).toEqual({ ok: true, settings: {}, secretsEncrypted: expect.stringMatching(/^v1\./) });
    expect(new SecretBox(secretKey).open(prepared.secretsEncrypted)).toEqual({ signingSecret: 'sig-9' });
    expect(await bus.request(BusSubjects.connectorSettingsPrepare(), { connectorId: 'webchat', settings: { allowedOrigins: ['nope'] } }, 5000)).toMatchObject({
      ok: false,
      status: 400,
      error: expect.stringContaining('allowedOrigins.0'),
    });
  });

  it('bridges a signed vendor webhook to the bus and answers with the vendor reply; an unsigned one publishes nothing', async () => {
    const box = new SecretBox(secretKey);
    const { tenantId, account } = await tenantWith('fake-sms', { secretsEncrypted: box.seal({ signingSecret: 'sig-1' }) });
    const body = (id: string) => Buffer.from(JSON.stringify({ id, from: '+15550001', text: 'STOP?' })).toString('base64');
    const request = (id: string, signature: string) => ({
      connectorId: 'fake-sms',
      channelAccountId: account.id,
      method: 'POST',
      url: `https://support.example.com/hooks/fake-sms/${account.id}`,
      path: `/hooks/fake-sms/${account.id}`,
      query: {},
      headers: { 'x-signature': signature },
      bodyBase64: body(id),
      receivedAt: new Date().toISOString(),
    });

    const forged = await bus.request(BusSubjects.webhook('fake-sms'), request('SMforged', 'wrong'), 5000);
    const genuine = await bus.request(BusSubjects.webhook('fake-sms'), request('SMgenuine', 'sig-1'), 5000);

    expect(forged).toMatchObject({ status: 403 });
    expect(genuine).toEqual({ status: 200, headers: { 'content-type': 'text/xml' }, body: '<Response/>' });
    await waitFor(() => inbound.some((m) => m.envelope.tenantId === tenantId), { what: 'the genuine inbound' });
    await settle();
    const mine = inbound.filter((m) => m.envelope.tenantId === tenantId);
    expect(mine.map((m) => m.msgId)).toEqual(['fake-sms:SMgenuine']);
  });
});
