import { BusSubjects, newId, type Envelope, type OutboundMessage } from '@cs/contracts';
import type { BusMessage, Subscription } from '@cs/messaging';
import { AuditLog, Conversation, Message } from '@cs/persistence';
import { waitFor } from '@cs/testing';
import { createTenant, seedConversation, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

describe('the inbox: staff read, search and take over conversations', () => {
  let t: AdminTestApp;
  let tenantId: string;
  let agent: SignedIn;
  const outbound: BusMessage[] = [];
  const subs: Subscription[] = [];

  beforeAll(async () => {
    t = await startAdminApp('adminconv');
    tenantId = (await createTenant(t.db)).id;
    agent = await signIn(t, 'agent', tenantId);
    // Stands in for the web-chat connector: whatever a person sends must reach msg.out.webchat.*.
    for (const channel of ['webchat', 'email']) {
      subs.push(await t.bus.consume({ durable: `test-${channel}-out`, filterSubjects: [BusSubjects.msgOutChannel(channel)] }, async (m) => void outbound.push(m)));
    }
  });
  afterAll(async () => {
    await Promise.all(subs.map((s) => s.unsubscribe()));
    await t?.close();
  });

  /** A reply the agent sent in `conversation`, with the trace it left. */
  const saveBotReply = (conversation: Conversation, replyToMessageId: string | null, text: string, trace: Record<string, unknown>) =>
    t.db.manager.save(
      t.db.manager.create(Message, {
        id: newId(),
        tenantId,
        conversationId: conversation.id,
        direction: 'out',
        authorKind: 'bot',
        connectorId: conversation.connectorId,
        parts: [{ type: 'text', text }],
        text,
        replyToMessageId,
        deliveryState: 'sent',
        channelData: {},
        trace,
      }),
    );

  it('lists the newest activity first and pages through every conversation exactly once', async () => {
    const own = (await createTenant(t.db)).id;
    const owner = await signIn(t, 'owner', own);
    const seeded = [];
    for (let i = 0; i < 5; i++) seeded.push((await seedConversation(t.db, own, { text: `question ${i}` })).conversation.id);

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http().get('/api/v1/conversations').query({ limit: 2, ...(after ? { after } : {}) }).set(owner.auth).expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((c: { id: string }) => c.id));
      after = res.body.nextCursor;
    } while (after);
    expect(seen).toEqual([...seeded].reverse());
  });

  it('orders the work queue: waiting for a person first, the longest waiting on top, then assigned, bot and resolved, paged exactly once', async () => {
    const own = (await createTenant(t.db)).id;
    const owner = await signIn(t, 'owner', own);
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const seed = async (status: Conversation['status'], minutesAgo: number) =>
      (await seedConversation(t.db, own, { status, createdAt: at(minutesAgo) })).conversation.id;
    const resolved = await seed('resolved', 50);
    const botOld = await seed('bot', 40);
    const waitingNew = await seed('waiting', 5);
    const assigned = await seed('assigned', 30);
    const waitingOld = await seed('waiting', 20);
    const botNew = await seed('bot', 1);

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t
        .http()
        .get('/api/v1/conversations')
        .query({ order: 'queue', limit: 4, ...(after ? { after } : {}) })
        .set(owner.auth)
        .expect(200);
      seen.push(...res.body.items.map((c) => c.id));
      after = res.body.nextCursor;
    } while (after);
    expect(seen).toEqual([waitingOld, waitingNew, assigned, botOld, botNew, resolved]);

    const waiting = await t.http().get('/api/v1/conversations').query({ order: 'queue', status: 'waiting' }).set(owner.auth).expect(200);
    expect(waiting.body.items.map((c: { id: string }) => c.id)).toEqual([waitingOld, waitingNew]);
    const bad = await t.http().get('/api/v1/conversations').query({ order: 'oldest' }).set(owner.auth).expect(400);
    expect(JSON.stringify(bad.body)).toContain('order');
  });

  it('filters by status, channel, assignee and date, and finds a conversation by words a customer wrote', async () => {
    const own = (await createTenant(t.db)).id;
    const owner = await signIn(t, 'owner', own);
    const refund = await seedConversation(t.db, own, { text: 'I would like a refund for order A-1042', status: 'waiting' });
    const email = await seedConversation(t.db, own, { text: 'Do you ship to Norway?', channel: 'email', createdAt: new Date('2026-01-05T10:00:00Z') });
    const ids = async (query: Record<string, string>) =>
      (await t.http().get('/api/v1/conversations').query(query).set(owner.auth).expect(200)).body.items.map((c: { id: string }) => c.id);

    expect(await ids({ q: 'refunds' })).toEqual([refund.conversation.id]);
    expect(await ids({ q: 'A-1042' })).toEqual([refund.conversation.id]);
    expect(await ids({ status: 'waiting' })).toEqual([refund.conversation.id]);
    expect(await ids({ channel: 'email' })).toEqual([email.conversation.id]);
    expect(await ids({ to: '2026-02-01T00:00:00Z' })).toEqual([email.conversation.id]);
    expect(await ids({ from: '2026-02-01T00:00:00Z' })).toEqual([refund.conversation.id]);
    expect(await ids({ assignee: 'me' })).toEqual([]);
    await t.http().post(`/api/v1/conversations/${refund.conversation.id}/assign`).set(owner.auth).send({}).expect(200);
    expect(await ids({ assignee: 'me' })).toEqual([refund.conversation.id]);
    expect(await ids({ assignee: 'none' })).toEqual([email.conversation.id]);

    const bad = await t.http().get('/api/v1/conversations').query({ status: 'sleeping' }).set(owner.auth).expect(400);
    expect(bad.body.error.fields[0].path).toMatch(/^status/);
  });

  it('shows a conversation with every message and the trace the agent left on it', async () => {
    const { conversation, inbound } = await seedConversation(t.db, tenantId, { text: 'How long does delivery take?' });
    await saveBotReply(conversation, inbound.id, 'Three to five working days.', { intent: 'delivery_time', confidence: 0.82 });
    const res = await t.http().get(`/api/v1/conversations/${conversation.id}`).set(agent.auth).expect(200);
    expect(res.body.messages.map((m: { text: string }) => m.text)).toEqual(['How long does delivery take?', 'Three to five working days.']);
    expect(res.body.messages[1].trace).toEqual({ intent: 'delivery_time', confidence: 0.82 });
    expect(res.body.contact.identities[0]).toMatchObject({ channel: 'webchat' });
  });

  it('sends a person’s reply on the conversation’s channel and gives them the conversation', async () => {
    const { conversation, inbound } = await seedConversation(t.db, tenantId);
    const res = await t.http().post(`/api/v1/conversations/${conversation.id}/replies`).set(agent.auth).send({ text: 'Let me check that for you.' }).expect(201);

    const stored = await t.db.manager.findOneByOrFail(Message, { id: res.body.id });
    expect(stored).toMatchObject({ direction: 'out', authorKind: 'person', authorId: agent.userId, private: false, text: 'Let me check that for you.' });
    const after = await t.db.manager.findOneByOrFail(Conversation, { id: conversation.id });
    expect(after).toMatchObject({ status: 'assigned', assigneeId: agent.userId });

    await waitFor(() => outbound.some((m) => (m.envelope.data as OutboundMessage).messageId === stored.id));
    const sent = outbound.find((m) => (m.envelope.data as OutboundMessage).messageId === stored.id) as BusMessage<OutboundMessage>;
    expect(sent.subject).toBe(BusSubjects.msgOut('webchat', tenantId));
    expect(sent.msgId).toBe(`out:${stored.id}`);
    expect((sent.envelope as Envelope<OutboundMessage>).data).toMatchObject({
      conversationId: conversation.id,
      authorKind: 'person',
      parts: [{ type: 'text', text: 'Let me check that for you.' }],
      target: { externalUserId: `session-${conversation.contactId}`, externalThreadId: conversation.externalThreadId },
    });
    expect(inbound.id).toBeTruthy();
  });

  it('threads a reply on an email conversation under the customer’s last message, to their address', async () => {
    const { conversation, inbound } = await seedConversation(t.db, tenantId, { channel: 'email', text: 'Where is order 1042?' });
    await t.db.query(`UPDATE contact_identities SET address = 'ada@example.test' WHERE contact_id = $1`, [conversation.contactId]);
    await t.db.manager.update(Message, { id: inbound.id }, { channelData: { subject: 'Order 1042', references: ['<a@shop.test>'] } });
    const res = await t.http().post(`/api/v1/conversations/${conversation.id}/replies`).set(agent.auth).send({ text: 'It ships today.' }).expect(201);

    const sent = await waitFor(() => outbound.find((m) => (m.envelope.data as OutboundMessage).messageId === res.body.id));
    expect(sent.subject).toBe(BusSubjects.msgOut('email', tenantId));
    expect(sent.envelope.data).toMatchObject({
      channel: 'email',
      replyToMessageId: inbound.id,
      target: { address: 'ada@example.test' },
      channelData: { subject: 'Order 1042', references: ['<a@shop.test>'], replyToExternalMessageId: inbound.externalMessageId },
    });
  });

  it('asks for the letter around a person’s reply in the language the agent last answered the customer in', async () => {
    const { conversation, inbound } = await seedConversation(t.db, tenantId, { channel: 'email', text: 'Wo ist meine Bestellung?' });
    await t.db.query(`UPDATE contact_identities SET address = 'ada@example.test' WHERE contact_id = $1`, [conversation.contactId]);
    // Each bot reply answers its own inbound message (one reply per message); the earlier one has none.
    await saveBotReply(conversation, null, '…', { replyLanguage: 'en' });
    await saveBotReply(conversation, inbound.id, '…', { replyLanguage: 'de' });
    const res = await t.http().post(`/api/v1/conversations/${conversation.id}/replies`).set(agent.auth).send({ text: 'Sie wird heute verschickt.' }).expect(201);
    const sent = await waitFor(() => outbound.find((m) => (m.envelope.data as OutboundMessage).messageId === res.body.id));
    expect((sent.envelope.data as OutboundMessage).language).toBe('de');

    // A conversation the agent never answered: no language, so the connector's default.
    const quiet = await seedConversation(t.db, tenantId, { channel: 'email' });
    await t.db.query(`UPDATE contact_identities SET address = 'ada@example.test' WHERE contact_id = $1`, [quiet.conversation.contactId]);
    const plain = await t.http().post(`/api/v1/conversations/${quiet.conversation.id}/replies`).set(agent.auth).send({ text: 'Hello!' }).expect(201);
    const plainSent = await waitFor(() => outbound.find((m) => (m.envelope.data as OutboundMessage).messageId === plain.body.id));
    expect((plainSent.envelope.data as OutboundMessage).language).toBeUndefined();
  });

  it('keeps a private note with the conversation and never sends it', async () => {
    const { conversation } = await seedConversation(t.db, tenantId);
    const res = await t.http().post(`/api/v1/conversations/${conversation.id}/notes`).set(agent.auth).send({ text: 'VIP customer, be nice' }).expect(201);
    const detail = await t.http().get(`/api/v1/conversations/${conversation.id}`).set(agent.auth).expect(200);
    expect(detail.body.messages.find((m: { id: string }) => m.id === res.body.id)).toMatchObject({ private: true, text: 'VIP customer, be nice' });
    // A reply published after the note arrives; the note never did.
    const reply = await t.http().post(`/api/v1/conversations/${conversation.id}/replies`).set(agent.auth).send({ text: 'Hello!' }).expect(201);
    await waitFor(() => outbound.some((m) => (m.envelope.data as OutboundMessage).messageId === reply.body.id));
    expect(outbound.some((m) => (m.envelope.data as OutboundMessage).messageId === res.body.id)).toBe(false);
  });

  it('assigns, resolves, reopens and hands back to the bot, recording each in the audit log', async () => {
    const { conversation } = await seedConversation(t.db, tenantId);
    const colleague = await signIn(t, 'agent', tenantId);
    const url = `/api/v1/conversations/${conversation.id}`;

    expect((await t.http().post(`${url}/assign`).set(agent.auth).send({ assigneeId: colleague.userId }).expect(200)).body).toMatchObject({ status: 'assigned', assigneeId: colleague.userId });
    expect((await t.http().post(`${url}/resolve`).set(agent.auth).expect(200)).body).toMatchObject({ status: 'resolved' });
    expect((await t.http().post(`${url}/reopen`).set(agent.auth).expect(200)).body).toMatchObject({ status: 'assigned', resolvedAt: null });
    expect((await t.http().post(`${url}/assign`).set(agent.auth).send({ assigneeId: null }).expect(200)).body).toMatchObject({ status: 'waiting', assigneeId: null });
    expect((await t.http().post(`${url}/handback`).set(agent.auth).expect(200)).body).toMatchObject({ status: 'bot', assigneeId: null });

    const actions = (await t.db.manager.find(AuditLog, { where: { targetId: conversation.id }, order: { id: 'ASC' } })).map((a) => a.action);
    expect(actions).toEqual(['conversation.assign', 'conversation.resolve', 'conversation.reopen', 'conversation.assign', 'conversation.handback']);
  });

  it('refuses to assign to someone outside the tenant', async () => {
    const { conversation } = await seedConversation(t.db, tenantId);
    const stranger = await signIn(t, 'agent', (await createTenant(t.db)).id);
    const res = await t.http().post(`/api/v1/conversations/${conversation.id}/assign`).set(agent.auth).send({ assigneeId: stranger.userId }).expect(400);
    expect(res.body.error.fields[0].path).toBe('assigneeId');
  });
});
