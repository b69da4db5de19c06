import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { BusSubjects, makeEnvelope, MESSAGE_TYPES, newId, type InboundMessage, type LearningEvent } from '@cs/contracts';
import { seedDemo, type SeedDemoResult } from '@cs/knowledge';
import { createTestDatabase, waitFor } from '@cs/testing';
import { AgentModule } from '../../../apps/agent/src/agent.module';
import { UnansweredQuestions } from '../../../apps/agent/src/learning/unanswered-questions.service';
import { ConnectorsModule } from '../../../apps/connectors/src/connectors.module';
import { signIn, startAdminApp, type AdminTestApp, type SignedIn } from '../admin/admin-test-app';

interface ApiReply {
  conversationId: string;
  reply: { id: string; text: string; outcome: { kind: string; reason: string } };
}
interface GapItem {
  id: string;
  status: string;
  label: string;
  size: number;
  trend: { last7Days: number; direction: string };
  phrasings: { text: string; count: number }[];
  channels: Record<string, number>;
  closestArticle: { id: string; title: string } | null;
}

const BICYCLES = ['do you sell bicycles?', 'do you sell bicycles?', 'do you sell bikes', 'Do you have bicycles in stock?'];

/**
 * The learning loop through the whole product on real PostgreSQL and NATS: customers on the API
 * channel (gateway → connectors → agent), the agent's learning consumer, the console's routes.
 */
describe('the learning loop: knowledge gaps and suggested articles', () => {
  let t: AdminTestApp;
  let demo: SeedDemoResult;
  let admin: SignedIn;
  let agentUser: SignedIn;
  let hooks: Server;
  const delivered: { type: string; data: LearningEvent }[] = [];
  const events: { subject: string; data: LearningEvent }[] = [];

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('learning');
    t = await startAdminApp('learning', { root: 'gateway', imports: [AgentModule, ConnectorsModule], databaseUrl, serve: true });
    demo = await seedDemo(t.db, { publicUrl: 'http://shop.test' });
    admin = await signIn(t, 'admin', demo.tenantId);
    agentUser = await signIn(t, 'agent', demo.tenantId);
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        delivered.push(JSON.parse(body) as { type: string; data: LearningEvent });
        res.end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
    await t.http().post('/api/v1/webhooks').set(admin.auth).send({ url: hookUrl, events: ['gap_opened', 'article_published'] }).expect(201);
    await t.bus.consume({ durable: 'spec-learning-events', filterSubjects: [BusSubjects.learnEvents()] }, async (m) => void events.push({ subject: m.subject, data: m.envelope.data }));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => hooks?.close(resolve));
  });

  async function ask(text: string, contact = { externalId: `customer-${newId()}`, name: 'Ada Lovelace', email: 'ada.lovelace@example.test' }): Promise<ApiReply> {
    const res = await t.http().post('/api/v1/channels/api/messages?wait=25000').set({ Authorization: `Bearer ${demo.apiKey}` }).send({ text, contact }).expect(200);
    return res.body as ApiReply;
  }

  const openGaps = async (): Promise<GapItem[]> => (await t.http().get('/api/v1/knowledge/gaps').set(agentUser.auth).expect(200)).body.items;
  const gapWith = async (size: number, phrasing: RegExp) => waitFor(async () => (await openGaps()).find((g) => g.size === size && phrasing.test(g.label)), { what: `a gap of ${size} matching ${phrasing}`, timeoutMs: 20_000 });

  it('groups four phrasings of one missing topic into one gap, apart from another, once per message, and lists it in analytics', async () => {
    for (const text of BICYCLES) expect((await ask(text)).reply.outcome).toMatchObject({ kind: 'handoff', reason: expect.stringMatching(/^(no_confident_answer|failed_check)$/) });
    expect((await ask('I am Ada Lovelace (ada.lovelace@example.test): can I book a yoga class in your shop?')).reply.outcome.kind).toBe('handoff');
    expect((await ask('how long does delivery take?')).reply.outcome.kind).toBe('answered');

    const bicycles = await gapWith(4, /bicycles|bikes/);
    expect(bicycles).toMatchObject({ status: 'open', channels: { api: 4 }, trend: { last7Days: 4, direction: 'new' } });
    expect(bicycles.phrasings[0]).toEqual({ text: 'do you sell bicycles?', count: 2 });
    expect(bicycles.phrasings).toHaveLength(3);
    const yoga = await gapWith(1, /yoga/);
    // Stored and shown without the customer's personal data: their name and email are placeholders.
    expect(yoga.label).toBe('I am [name] ([email]): can I book a yoga class in your shop?');
    expect(yoga.phrasings).toEqual([{ text: yoga.label, count: 1 }]);
    expect((await openGaps()).reduce((n, g) => n + g.size, 0)).toBe(5);

    const detail = (await t.http().get(`/api/v1/knowledge/gaps/${bicycles.id}`).set(agentUser.auth).expect(200)).body;
    expect(detail.questions).toHaveLength(4);
    expect(Object.values(detail.reasons as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(4);

    // A redelivered hand-off event changes nothing: each message counts once.
    const [handoff] = (await t.db.query(
      `SELECT r.id, r.trace->'handoff'->>'reason' AS reason FROM messages r WHERE r.tenant_id = $1 AND r.author_kind = 'bot' AND r.trace->'handoff' IS NOT NULL ORDER BY r.id LIMIT 1`,
      [demo.tenantId],
    )) as { id: string; reason: string }[];
    await t.app.get(UnansweredQuestions).handedOff(demo.tenantId, handoff.id, handoff.reason);
    expect((await openGaps()).find((g) => g.id === bicycles.id)?.size).toBe(4);

    const analytics = (await t.http().get('/api/v1/analytics').set(agentUser.auth).expect(200)).body;
    expect(analytics.knowledgeGaps).toEqual([
      { id: bicycles.id, label: bicycles.label, size: 4, questions: 4 },
      { id: yoga.id, label: yoga.label, size: 1, questions: 1 },
    ]);
    const opened = await waitFor(() => delivered.filter((d) => d.type === 'knowledge.gap_opened').length >= 2 && delivered, { what: 'gap_opened webhooks' });
    expect(opened.filter((d) => d.type === 'knowledge.gap_opened').map((d) => d.data.gapId).sort()).toEqual([bicycles.id, yoga.id].sort());
  }, 180_000);

  it('turns a person’s answer to a handed-off question into a redacted draft; approving publishes it, closes the gap, and the agent answers from it', async () => {
    const bicycles = await gapWith(4, /bicycles|bikes/);
    const asked = await ask('do you sell bicycles?', { externalId: `customer-${newId()}`, name: 'Grace Hopper', email: 'grace@example.test' });
    expect(asked.reply.outcome.kind).toBe('handoff');
    await t.http()
      .post(`/api/v1/conversations/${asked.conversationId}/replies`)
      .set(admin.auth)
      .send({ text: 'Hi Grace, yes: we sell city bicycles and mountain bicycles, and every bicycle is delivered fully assembled with a free first service. I noted it on order #48213 for Grace Hopper and sent the catalogue to grace@example.test. Best regards' })
      .expect(201);

    const suggestion = await waitFor(
      async () => ((await t.http().get('/api/v1/knowledge/suggestions').set(agentUser.auth).expect(200)).body.items as { id: string; source: string }[]).find((s) => s.source === 'reply'),
      { what: 'the suggested article', timeoutMs: 20_000 },
    );
    const draft = (await t.http().get(`/api/v1/knowledge/suggestions/${suggestion.id}`).set(agentUser.auth).expect(200)).body;
    expect(draft).toMatchObject({
      status: 'pending',
      title: 'Do you sell bicycles?',
      gapId: bicycles.id,
      conversationId: asked.conversationId,
      mergeIntoArticleId: null,
      redactions: ['email', 'name', 'order_number'],
    });
    expect(draft.body).toBe('yes: we sell city bicycles and mountain bicycles, and every bicycle is delivered fully assembled with a free first service. I noted it on order [order number] for [name] and sent the catalogue to [email].');
    expect(JSON.stringify(draft)).not.toMatch(/Grace|48213|grace@/);

    // An agent may read the queue but not publish; a manager edits and approves.
    await t.http().post(`/api/v1/knowledge/suggestions/${suggestion.id}/approve`).set(agentUser.auth).expect(403);
    await t.http()
      .patch(`/api/v1/knowledge/suggestions/${suggestion.id}`)
      .set(admin.auth)
      .send({ body: 'Yes: we sell city bicycles and mountain bicycles, and every bicycle is delivered fully assembled with a free first service.' })
      .expect(200);
    const approved = (await t.http().post(`/api/v1/knowledge/suggestions/${suggestion.id}/approve`).set(admin.auth).expect(200)).body;
    expect(approved).toMatchObject({ status: 'approved', reviewedBy: admin.userId });
    await t.http().post(`/api/v1/knowledge/suggestions/${suggestion.id}/approve`).set(admin.auth).expect(409);
    const article = (await t.http().get(`/api/v1/knowledge/articles/${approved.publishedArticleId}`).set(agentUser.auth).expect(200)).body;
    expect(article).toMatchObject({ title: 'Do you sell bicycles?', published: true, tags: ['suggested'] });

    const gap = (await t.http().get(`/api/v1/knowledge/gaps/${bicycles.id}`).set(agentUser.auth).expect(200)).body;
    expect(gap).toMatchObject({ status: 'closed', closedByArticleId: article.id });
    expect((await openGaps()).map((g) => g.id)).not.toContain(bicycles.id);

    const again = await ask('Do you sell bicycles?');
    expect(again.reply.outcome.kind).toBe('answered');
    expect(again.reply.text).toMatch(/fully assembled/);

    await waitFor(() => delivered.some((d) => d.type === 'knowledge.article_published' && d.data.articleId === article.id), { what: 'the article_published webhook' });
    const names = await waitFor(() => {
      const seen = events.filter((e) => e.data.suggestionId === suggestion.id || e.data.gapId === bicycles.id).map((e) => e.subject.split('.').slice(-2, -1)[0]);
      return seen.includes('gap_closed') && seen;
    }, { what: 'the learning events' });
    expect(new Set(names)).toEqual(new Set(['gap_opened', 'article_suggested', 'article_published', 'gap_closed']));
  }, 180_000);

  it('proposes a person’s answer close to an existing article as a section of it, and approving adds it there', async () => {
    const asked = await ask('I want to talk to a person. Can I return items I bought in the sale?');
    expect(asked.reply.outcome).toMatchObject({ kind: 'handoff', reason: 'customer_asked_for_person' });
    await t.http()
      .post(`/api/v1/conversations/${asked.conversationId}/replies`)
      .set(admin.auth)
      .send({ text: 'Yes, items bought in the sale can be returned within 30 days of delivery like any other item, and the refund goes back to your original payment method.' })
      .expect(201);
    const suggestion = await waitFor(
      async () =>
        ((await t.http().get('/api/v1/knowledge/suggestions').set(agentUser.auth).expect(200)).body.items as { id: string; conversationId: string; mergeIntoArticleId: string | null; body: string }[]).find(
          (s) => s.conversationId === asked.conversationId,
        ),
      { what: 'the suggestion', timeoutMs: 20_000 },
    );
    const [returns] = (await t.db.query(`SELECT id, version, body FROM knowledge_articles WHERE tenant_id = $1 AND title = 'Returns policy'`, [demo.tenantId])) as { id: string; version: number; body: string }[];
    expect(suggestion.mergeIntoArticleId).toBe(returns.id);
    expect(suggestion.body).toMatch(/^## I want to talk to a person\. Can I return items I bought in the sale\?\n\nYes, items bought in the sale/);

    const approved = (await t.http().post(`/api/v1/knowledge/suggestions/${suggestion.id}/approve`).set(admin.auth).expect(200)).body;
    expect(approved).toMatchObject({ status: 'approved', publishedArticleId: returns.id, mergeIntoArticleId: returns.id });
    const merged = (await t.http().get(`/api/v1/knowledge/articles/${returns.id}`).set(agentUser.auth).expect(200)).body;
    expect(merged.version).toBe(returns.version + 1);
    expect(merged.body.startsWith(returns.body.trimEnd())).toBe(true);
    expect(merged.body).toContain('items bought in the sale can be returned within 30 days');
  }, 120_000);

  it('counts an answer the customer rated "No" and an answered conversation staff reopened as unanswered', async () => {
    const [account] = (await t.db.query(`SELECT id FROM channel_accounts WHERE tenant_id = $1 AND connector_id = 'webchat'`, [demo.tenantId])) as { id: string }[];
    const who = `visitor-${newId()}`;
    const inbound = (text: string, channelData: Record<string, unknown> = {}): InboundMessage => ({
      connectorId: 'webchat',
      channel: 'webchat',
      channelAccountId: account.id,
      externalMessageId: `m-${newId()}`,
      externalThreadId: `session-${who}`,
      sender: { externalUserId: who },
      receivedAt: new Date().toISOString(),
      parts: [{ type: 'text', text }],
      channelData,
    });
    const question = inbound('how long does delivery take to Iceland?');
    await t.bus.publish(BusSubjects.msgIn('webchat', demo.tenantId), makeEnvelope(MESSAGE_TYPES.inbound, demo.tenantId, question));
    const [answer] = await waitFor(
      async () => {
        const rows = (await t.db.query(
          `SELECT r.id, r.trace->'passages'->0->>'title' AS title FROM messages q JOIN messages r ON r.reply_to_message_id = q.id AND r.author_kind = 'bot' WHERE q.external_message_id = $1`,
          [question.externalMessageId],
        )) as { id: string; title: string }[];
        return rows.length > 0 && rows;
      },
      { what: 'the bot’s answer', timeoutMs: 20_000 },
    );
    await t.bus.publish(
      BusSubjects.msgIn('webchat', demo.tenantId),
      makeEnvelope(MESSAGE_TYPES.inbound, demo.tenantId, inbound('No, this did not answer my question', { action: 'not_helpful', feedbackFor: answer.id })),
    );
    const rated = await waitFor(async () => (await openGaps()).find((g) => g.label === 'how long does delivery take to Iceland?'), { what: 'the rated question’s gap', timeoutMs: 20_000 });
    expect(rated.closestArticle?.title).toBe(answer.title);
    const ratedDetail = (await t.http().get(`/api/v1/knowledge/gaps/${rated.id}`).set(agentUser.auth).expect(200)).body;
    expect(ratedDetail.reasons).toEqual({ not_helpful: 1 });

    const returns = await ask('how do I return an item?');
    expect(returns.reply.outcome.kind).toBe('answered');
    await t.http().post(`/api/v1/conversations/${returns.conversationId}/reopen`).set(agentUser.auth).expect(200);
    const reopened = await waitFor(
      async () => {
        const rows = (await t.db.query(`SELECT reason FROM knowledge_gap_questions WHERE tenant_id = $1 AND conversation_id = $2`, [demo.tenantId, returns.conversationId])) as { reason: string }[];
        return rows.length > 0 && rows;
      },
      { what: 'the reopened conversation’s question' },
    );
    expect(reopened).toEqual([{ reason: 'reopened' }]);
  }, 120_000);

  it('counts a customer writing again within 72 h of a resolution as a reopen: recorded, announced, and its answer a gap; later, not', async () => {
    const [account] = (await t.db.query(`SELECT id FROM channel_accounts WHERE tenant_id = $1 AND connector_id = 'webchat'`, [demo.tenantId])) as { id: string }[];
    const who = `visitor-${newId()}`;
    const send = async (text: string, channelData: Record<string, unknown> = {}) => {
      const message: InboundMessage = {
        connectorId: 'webchat', channel: 'webchat', channelAccountId: account.id, externalMessageId: `m-${newId()}`, externalThreadId: `session-${who}`,
        sender: { externalUserId: who }, receivedAt: new Date().toISOString(), parts: [{ type: 'text', text }], channelData,
      };
      await t.bus.publish(BusSubjects.msgIn('webchat', demo.tenantId), makeEnvelope(MESSAGE_TYPES.inbound, demo.tenantId, message));
      return message;
    };
    const conversationOf = async (externalId: string) =>
      waitFor(async () => ((await t.db.query(`SELECT conversation_id AS id FROM messages WHERE tenant_id = $1 AND external_message_id = $2`, [demo.tenantId, externalId])) as { id: string }[])[0]?.id, { what: 'the stored message' });
    const statusOf = async (id: string) => ((await t.db.query(`SELECT status FROM conversations WHERE id = $1`, [id])) as { status: string }[])[0].status;
    const question = await send('how do I return an item?');
    const conversationId = await conversationOf(question.externalMessageId);
    await waitFor(async () => ((await t.db.query(`SELECT 1 FROM messages WHERE conversation_id = $1 AND author_kind = 'bot'`, [conversationId])) as unknown[]).length > 0, { what: 'the answer', timeoutMs: 20_000 });
    await send('This solved it', { action: 'resolved' });
    await waitFor(async () => (await statusOf(conversationId)) === 'resolved', { what: 'the resolution' });

    const again = await send('it still does not work, how do I send it back?');
    const reopens = await waitFor(async () => {
      const rows = (await t.db.query(`SELECT "by", message_id FROM conversation_reopens WHERE tenant_id = $1 AND conversation_id = $2`, [demo.tenantId, conversationId])) as { by: string; message_id: string }[];
      return rows.length > 0 && rows;
    }, { what: 'the customer reopen' });
    const [againId] = (await t.db.query(`SELECT id FROM messages WHERE external_message_id = $1`, [again.externalMessageId])) as { id: string }[];
    expect(reopens).toEqual([{ by: 'customer', message_id: againId.id }]);
    await waitFor(async () => ((await t.db.query(`SELECT reason FROM knowledge_gap_questions WHERE tenant_id = $1 AND conversation_id = $2`, [demo.tenantId, conversationId])) as { reason: string }[])[0]?.reason === 'reopened', {
      what: 'the reopened answer in the gaps',
    });

    // Resolved four days ago: writing again reopens it to the bot, but is not counted as a reopen.
    await send('This solved it', { action: 'resolved' });
    await waitFor(async () => (await statusOf(conversationId)) === 'resolved', { what: 'the second resolution' });
    await t.db.query(`UPDATE conversations SET resolved_at = now() - interval '96 hours' WHERE id = $1`, [conversationId]);
    const late = await send('another question about returns');
    await conversationOf(late.externalMessageId);
    await waitFor(async () => (await statusOf(conversationId)) !== 'resolved', { what: 'the late message back to the bot' });
    expect(((await t.db.query(`SELECT count(*)::int AS n FROM conversation_reopens WHERE conversation_id = $1`, [conversationId])) as { n: number }[])[0].n).toBe(1);
  }, 120_000);

  it('dismisses a gap, turns another into a draft once, and answers 404 for ids it does not know', async () => {
    const yoga = await gapWith(1, /yoga/);
    await t.http().post(`/api/v1/knowledge/gaps/${yoga.id}/dismiss`).set(agentUser.auth).expect(403);
    expect((await t.http().post(`/api/v1/knowledge/gaps/${yoga.id}/dismiss`).set(admin.auth).expect(200)).body).toMatchObject({ id: yoga.id, status: 'dismissed' });
    expect((await openGaps()).map((g) => g.id)).not.toContain(yoga.id);
    const dismissed = (await t.http().get('/api/v1/knowledge/gaps?status=dismissed').set(agentUser.auth).expect(200)).body.items as GapItem[];
    expect(dismissed.map((g) => g.id)).toEqual([yoga.id]);

    const draft = (await t.http().post(`/api/v1/knowledge/gaps/${yoga.id}/draft`).set(admin.auth).send({}).expect(201)).body;
    expect(draft).toMatchObject({ source: 'gap', status: 'pending', gapId: yoga.id, title: 'I am [name] ([email]): can I book a yoga class in your shop?' });
    expect(draft.body).toContain('- I am [name] ([email]): can I book a yoga class in your shop?');
    await t.http().post(`/api/v1/knowledge/gaps/${yoga.id}/draft`).set(admin.auth).send({}).expect(409);
    expect((await t.http().post(`/api/v1/knowledge/suggestions/${draft.id}/reject`).set(admin.auth).expect(200)).body).toMatchObject({ status: 'rejected' });

    await t.http().get(`/api/v1/knowledge/gaps/${newId()}`).set(agentUser.auth).expect(404);
    await t.http().get('/api/v1/knowledge/gaps?status=everything').set(agentUser.auth).expect(400);
    const bad = await t.http().patch(`/api/v1/knowledge/suggestions/${draft.id}`).set(admin.auth).send({ title: '' }).expect(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['title']);
    await t.http().patch(`/api/v1/knowledge/suggestions/${draft.id}`).set(admin.auth).send({ title: 'Yoga classes' }).expect(409);
  }, 60_000);
});
