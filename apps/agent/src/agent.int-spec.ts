import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { BusSubjects, makeEnvelope, MESSAGE_TYPES, newId, type ConversationEvent, type InboundMessage, type OutboundMessage } from '@cs/contracts';
import { CoreModule, agentEnvSchema, loadEnv } from '@cs/config';
import { BUS, BusTransport, type Bus, type BusMessage } from '@cs/messaging';
import { seedDemo, type SeedDemoResult } from '@cs/knowledge';
import { createTestDatabase, testEnv, waitFor } from '@cs/testing';
import { AgentModule } from './agent.module';
import { InboundPipeline } from './inbound/inbound-pipeline.service';
import { IntentModels } from './pipeline/ai/intent-models.service';

/**
 * The agent module as the apps run it (CoreModule: real PostgreSQL, the in-process bus), fed
 * customer messages on `msg.in.*` and read back on `msg.out.*` and in the database.
 */
describe('the agent answering customer messages', () => {
  let app: INestApplication;
  let ds: DataSource;
  let bus: Bus;
  let demo: SeedDemoResult;
  let webchatAccountId: string;
  const outbox: OutboundMessage[] = [];
  const handoffs: ConversationEvent[] = [];

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('agent');
    const env = loadEnv(agentEnvSchema, {
      DATABASE_URL: databaseUrl,
      BUS_PREFIX: testEnv('agent').BUS_PREFIX,
      SECRET_KEY: 'agent-int-spec-secret-key-of-32-characters',
      DB_POOL_SIZE: '4',
    });
    const moduleRef = await Test.createTestingModule({ imports: [CoreModule.forRoot(env, { app: 'agent' }), AgentModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.connectMicroservice({ strategy: app.get(BusTransport) });
    await app.startAllMicroservices();
    await app.init();
    ds = app.get(DataSource);
    bus = app.get(BUS);
    demo = await seedDemo(ds, { publicUrl: 'http://shop.test' });
    // Until the built-in intent model is ready (trained once per machine, then loaded) rules decide alone.
    await app.get(IntentModels).forTenant(undefined);
    webchatAccountId = (await ds.query(`SELECT id FROM channel_accounts WHERE tenant_id = $1 AND connector_id = 'webchat'`, [demo.tenantId]))[0].id;
    await bus.consume({ durable: 'spec-outbox', filterSubjects: [BusSubjects.msgOutAll()] }, async (m) => void outbox.push(m.envelope.data as OutboundMessage));
    await bus.consume({ durable: 'spec-handoffs', filterSubjects: [BusSubjects.convEventAll('handoff')] }, async (m) => void handoffs.push(m.envelope.data as ConversationEvent));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  function inbound(text: string, who: string, overrides: Partial<InboundMessage> = {}): InboundMessage {
    return {
      connectorId: 'webchat',
      channel: 'webchat',
      channelAccountId: webchatAccountId,
      externalMessageId: `m-${newId()}`,
      externalThreadId: `session-${who}`,
      sender: { externalUserId: who, displayName: 'Sam' },
      receivedAt: new Date().toISOString(),
      parts: [{ type: 'text', text }],
      channelData: { clientId: `client-${newId()}` },
      ...overrides,
    };
  }

  async function publish(message: InboundMessage, conversationId?: string): Promise<void> {
    const envelope = makeEnvelope(MESSAGE_TYPES.inbound, demo.tenantId, message, { conversationId });
    await bus.publish(BusSubjects.msgIn(message.channel, demo.tenantId), envelope);
  }

  const replyTo = (message: InboundMessage) =>
    // Generous: on a machine that never embedded the demo articles, the first question embeds them (seconds).
    waitFor(() => outbox.find((o) => o.channelData.replyToExternalMessageId === message.externalMessageId), { timeoutMs: 30_000, what: 'the reply' });

  const conversationOf = async (message: InboundMessage) =>
    (
      await ds.query(
        `SELECT c.* FROM conversations c JOIN messages m ON m.conversation_id = c.id WHERE m.external_message_id = $1 AND m.direction = 'in'`,
        [message.externalMessageId],
      )
    )[0] as { id: string; status: string; summary: string | null };

  it('answers "how long does delivery take?" from the delivery article, with its link', async () => {
    const question = inbound('how long does delivery take?', `visitor-${newId()}`);
    await publish(question);

    const reply = await replyTo(question);
    const text = reply.parts.find((p) => p.type === 'text');
    expect(text && 'text' in text ? text.text : '').toMatch(/^Standard delivery takes 3 to 5 working days/);
    expect(text && 'text' in text ? text.text : '').toMatch(/http:\/\/shop\.test\/kb\/delivery-times$/);
    expect(reply.parts).toContainEqual(expect.objectContaining({ type: 'source', title: 'Delivery times', url: 'http://shop.test/kb/delivery-times' }));
    expect(reply).toMatchObject({ channel: 'webchat', authorKind: 'bot', target: { externalUserId: question.sender.externalUserId, externalThreadId: question.externalThreadId } });

    const [stored] = await ds.query(`SELECT trace, delivery_state FROM messages WHERE id = $1`, [reply.messageId]);
    expect(stored.delivery_state).toBe('pending');
    expect(stored.trace).toMatchObject({ intent: 'delivery_time', provider: 'hybrid:fts+use-lite', checks: expect.arrayContaining([expect.objectContaining({ name: 'confidence', passed: true })]) });
    expect((await conversationOf(question)).status).toBe('bot');
  });

  it('hands a question the knowledge base does not cover to a person, with an honest message', async () => {
    const question = inbound('Do you sell bicycles?', `visitor-${newId()}`);
    await publish(question);

    const reply = await replyTo(question);
    expect(JSON.stringify(reply.parts)).toContain('passed your question to our team');
    expect(JSON.stringify(reply.parts)).toContain('within one working day');
    const conversation = await conversationOf(question);
    expect(conversation.status).toBe('waiting');
    expect(conversation.summary).toContain('Do you sell bicycles?');
    await waitFor(() => handoffs.find((h) => h.conversationId === conversation.id), { what: 'the hand-off event' });
  });

  it('hands off at once when the customer asks for a person', async () => {
    const question = inbound('can I talk to a person', `visitor-${newId()}`);
    await publish(question);

    const reply = await replyTo(question);
    expect(JSON.stringify(reply.parts)).toContain('a person will reply here within one working day');
    expect((await conversationOf(question)).status).toBe('waiting');
    const [stored] = await ds.query(`SELECT trace FROM messages WHERE id = $1`, [reply.messageId]);
    expect(stored.trace).toMatchObject({ intent: 'talk_to_person', passages: [] });
  });

  it('gives the same message delivered twice, even at the same moment, exactly one reply', async () => {
    const question = inbound('What payment methods do you accept?', `visitor-${newId()}`);
    const envelope = makeEnvelope(MESSAGE_TYPES.inbound, demo.tenantId, question);
    const delivery = (n: number): BusMessage => ({ subject: BusSubjects.msgIn('webchat', demo.tenantId), envelope, deliveryCount: n, seq: n });
    const pipeline = app.get(InboundPipeline);

    const outcomes = await Promise.all([pipeline.handle(delivery(1)), pipeline.handle(delivery(2))]);
    await bus.publish(BusSubjects.msgIn('webchat', demo.tenantId), envelope);
    await replyTo(question);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(outcomes).toContain('replied');
    const replies = await ds.query(
      `SELECT r.id FROM messages r JOIN messages m ON r.reply_to_message_id = m.id WHERE m.external_message_id = $1 AND r.author_kind = 'bot'`,
      [question.externalMessageId],
    );
    expect(replies).toHaveLength(1);
    const published = outbox.filter((o) => o.channelData.replyToExternalMessageId === question.externalMessageId);
    expect(new Set(published.map((o) => o.messageId))).toEqual(new Set([replies[0].id]));
    expect((await ds.query(`SELECT count(*)::int AS n FROM messages WHERE external_message_id = $1`, [question.externalMessageId]))[0].n).toBe(1);
  });

  it('stays silent in a conversation a person owns, but keeps the message', async () => {
    const who = `visitor-${newId()}`;
    const first = inbound('Hello', who);
    await publish(first);
    await replyTo(first);
    const conversation = await conversationOf(first);
    await ds.query(`UPDATE conversations SET status = 'assigned' WHERE id = $1`, [conversation.id]);

    const second = inbound('how long does delivery take?', who);
    const outcome = await app.get(InboundPipeline).handle({
      subject: BusSubjects.msgIn('webchat', demo.tenantId),
      envelope: makeEnvelope(MESSAGE_TYPES.inbound, demo.tenantId, second),
      deliveryCount: 1,
      seq: 1,
    });

    expect(outcome).toBe('silent');
    expect((await conversationOf(second)).id).toBe(conversation.id);
    const bot = await ds.query(`SELECT id FROM messages WHERE conversation_id = $1 AND author_kind = 'bot'`, [conversation.id]);
    expect(bot).toHaveLength(1);
    expect(outbox.find((o) => o.channelData.replyToExternalMessageId === second.externalMessageId)).toBeUndefined();
  });

  it('creates an API conversation with the id the connector assigned, and continues it', async () => {
    const conversationId = newId();
    const apiAccount = (await ds.query(`SELECT id FROM channel_accounts WHERE tenant_id = $1 AND connector_id = 'api'`, [demo.tenantId]))[0].id;
    const first = inbound('Do you ship to Canada?', 'api-user-1', { connectorId: 'api', channel: 'api', channelAccountId: apiAccount, externalThreadId: undefined });
    const second = inbound('How do I cancel my order?', 'api-user-1', { connectorId: 'api', channel: 'api', channelAccountId: apiAccount, externalThreadId: undefined });

    await publish(first, conversationId);
    const firstReply = await replyTo(first);
    await publish(second, conversationId);
    const secondReply = await replyTo(second);

    expect(firstReply.conversationId).toBe(conversationId);
    expect(secondReply.conversationId).toBe(conversationId);
    expect(JSON.stringify(firstReply.parts)).toContain('Canada');
    expect(JSON.stringify(secondReply.parts)).toContain('Cancel order');
  });

  it('acknowledges a malformed message instead of retrying it forever', async () => {
    const outcome = await app.get(InboundPipeline).handle({
      subject: BusSubjects.msgIn('webchat', demo.tenantId),
      envelope: makeEnvelope(MESSAGE_TYPES.inbound, demo.tenantId, { text: 'no connector, no sender' }),
      deliveryCount: 1,
      seq: 1,
    });

    expect(outcome).toBe('invalid');
  });
});
