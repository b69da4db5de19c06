import { WebSocket } from 'ws';
import { AgentModule } from '@cs/agent';
import { ConnectorsModule } from '@cs/connectors';
import { newId } from '@cs/contracts';
import { waitFor } from '@cs/testing';
import { AnalyticsService } from '../../../apps/gateway/src/admin/analytics/analytics.service';
import { addMessages, createConversation, createTenant, type TenantFixture } from '../../../apps/gateway/src/testing/gateway-fixtures';
import { startGatewayTestApp, type GatewayTestApp } from '../../../apps/gateway/src/testing/gateway-test-app';

jest.setTimeout(60_000);

interface Frame {
  type: string;
  [key: string]: unknown;
}

/** The widget's side of the socket: every frame it receives, in order. */
async function openChat(url: string, key: string, session: string) {
  const frames: Frame[] = [];
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws/chat?key=${encodeURIComponent(key)}&session=${encodeURIComponent(session)}`);
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as Frame));
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  return {
    frames,
    send: (frame: unknown) => ws.send(JSON.stringify(frame)),
    next: (predicate: (f: Frame) => boolean, what: string) => waitFor(() => frames.find(predicate), { what }),
    close: () => ws.close(),
  };
}

const quiet = () => new Promise((resolve) => setTimeout(resolve, 1_000));

describe('web chat: "did this answer your question?" and the rating', () => {
  let t: GatewayTestApp;
  let shop: TenantFixture;
  const chats: Awaited<ReturnType<typeof openChat>>[] = [];

  const open = async (session: string) => {
    const chat = await openChat(t.url, shop.widgetKey, session);
    chats.push(chat);
    return chat;
  };

  /** A session's conversation with one question and the bot's answer; the answer's id. */
  async function answered(session: string): Promise<{ conversationId: string; questionId: string; answerId: string }> {
    const { conversationId } = await createConversation(t.dataSource, shop.tenantId, 'webchat', session);
    const [questionId, answerId] = await addMessages(t.dataSource, shop.tenantId, conversationId, 'webchat', [
      { direction: 'in', text: 'How long does delivery take?', clientId: 'c-1' },
      { direction: 'out', text: 'Delivery takes two to three working days.' },
    ]);
    return { conversationId, questionId, answerId };
  }

  const inbound = (conversationId: string): Promise<{ text: string; action: string | null; feedback_for: string | null }[]> =>
    t.dataSource.query(
      `SELECT text, channel_data->>'action' AS action, channel_data->>'feedbackFor' AS feedback_for
         FROM messages WHERE conversation_id = $1 AND direction = 'in' ORDER BY id`,
      [conversationId],
    );
  const outbound = async (conversationId: string): Promise<number> =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND direction = 'out'`, [conversationId]))[0].n;
  const statusOf = async (conversationId: string): Promise<string> =>
    (await t.dataSource.query(`SELECT status FROM conversations WHERE id = $1`, [conversationId]))[0].status;
  const ratings = (conversationId: string): Promise<{ rating: number }[]> =>
    t.dataSource.query(`SELECT rating FROM conversation_feedback WHERE conversation_id = $1`, [conversationId]);

  beforeAll(async () => {
    // The whole path: the widget socket (gateway), the webchat connector and the agent that stores and acts on the click.
    t = await startGatewayTestApp({ imports: [AgentModule, ConnectorsModule] });
    shop = await createTenant(t.dataSource, 'Feedback shop');
  });

  afterAll(async () => {
    chats.forEach((c) => c.close());
    await t?.close();
  });

  it('"Yes" resolves the conversation once, counted as a confirmed automated resolution; repeated clicks change nothing', async () => {
    const session = 'feedback-yes-0001';
    const { conversationId, answerId } = await answered(session);
    const chat = await open(session);

    chat.send({ type: 'feedback', messageId: answerId, helpful: true });
    await chat.next((f) => f.type === 'ack' && f.clientId === `feedback-${answerId}`, 'the ack of the click');
    await waitFor(async () => (await statusOf(conversationId)) === 'resolved', { what: 'the conversation resolved' });
    expect(await inbound(conversationId)).toEqual([
      expect.objectContaining({ text: 'How long does delivery take?', action: null }),
      { text: 'Yes, this answered my question', action: 'resolved', feedback_for: answerId },
    ]);

    // A second click (either button, another tab): acked, nothing stored, nothing reopened.
    chat.send({ type: 'feedback', messageId: answerId, helpful: true });
    chat.send({ type: 'feedback', messageId: answerId, helpful: false });
    await waitFor(() => chat.frames.filter((f) => f.type === 'ack').length === 3, { what: 'the repeats acked' });
    await quiet();
    expect(await inbound(conversationId)).toHaveLength(2);
    expect(await statusOf(conversationId)).toBe('resolved');
    expect(await outbound(conversationId)).toBe(1);

    const hourAgo = new Date(Date.now() - 3_600_000);
    const report = await t.app.get(AnalyticsService).report(shop.tenantId, hourAgo, new Date(Date.now() + 60_000));
    expect(report.automatedResolution.confirmed).toBe(1);
  });

  it('"No" is stored and left unanswered; "Talk to a person" then hands off like any request for a person', async () => {
    const session = 'feedback-no-0001';
    const { conversationId, answerId } = await answered(session);
    const chat = await open(session);

    chat.send({ type: 'feedback', messageId: answerId, helpful: false });
    await chat.next((f) => f.type === 'ack' && f.clientId === `feedback-${answerId}`, 'the ack of the click');
    await waitFor(async () => (await inbound(conversationId)).length === 2, { what: 'the click stored' });
    expect((await inbound(conversationId))[1]).toEqual({ text: 'No, this did not answer my question', action: 'not_helpful', feedback_for: answerId });
    await quiet();
    expect(await outbound(conversationId)).toBe(1);
    expect(await statusOf(conversationId)).toBe('bot');

    chat.send({ type: 'message', clientId: 'c-person', text: 'Talk to a person' });
    await waitFor(async () => (await statusOf(conversationId)) === 'waiting', { what: 'the hand-off', timeoutMs: 20_000 });
  });

  it('refuses to rate a message or a conversation of another session, and stores nothing', async () => {
    const theirs = await answered('feedback-theirs-0001');
    const mine = await answered('feedback-mine-0001');
    const chat = await open('feedback-mine-0001');

    chat.send({ type: 'feedback', messageId: theirs.answerId, helpful: true });
    const refused = await chat.next((f) => f.type === 'error' && f.clientId === `feedback-${theirs.answerId}`, 'the refusal');
    expect(refused).toMatchObject({ code: 'NOT_FOUND' });
    // Its own customer message is no answer to rate either.
    chat.send({ type: 'feedback', messageId: mine.questionId, helpful: true });
    await chat.next((f) => f.type === 'error' && f.clientId === `feedback-${mine.questionId}`, 'the refusal of a customer message');
    chat.send({ type: 'rating', conversationId: theirs.conversationId, rating: 1 });
    await waitFor(() => chat.frames.filter((f) => f.type === 'error' && f.code === 'NOT_FOUND').length === 3, { what: 'the rating refused' });

    await quiet();
    for (const c of [theirs, mine]) {
      expect(await inbound(c.conversationId)).toHaveLength(1);
      expect(await statusOf(c.conversationId)).toBe('bot');
      expect(await ratings(c.conversationId)).toEqual([]);
    }
  });

  it('stores one rating per conversation through the API channel’s CSAT, the latest one counting', async () => {
    const session = 'feedback-rating-0001';
    const { conversationId } = await answered(session);
    const chat = await open(session);

    chat.send({ type: 'rating', conversationId, rating: 4 });
    await chat.next((f) => f.type === 'rated' && f.rating === 4, 'the first rating');
    chat.send({ type: 'rating', conversationId, rating: 5 });
    expect(await chat.next((f) => f.type === 'rated' && f.rating === 5, 'the changed rating')).toEqual({ type: 'rated', conversationId, rating: 5 });
    expect(await ratings(conversationId)).toEqual([{ rating: 5 }]);
  });

  it('answers a malformed feedback or rating frame with an error naming the field, and stores nothing', async () => {
    const session = 'feedback-bad-0001';
    const { conversationId, answerId } = await answered(session);
    const chat = await open(session);

    chat.send({ type: 'feedback', messageId: 'not-a-message-id', helpful: true });
    chat.send({ type: 'feedback', messageId: answerId, helpful: 'yes' });
    chat.send({ type: 'rating', conversationId, rating: 6 });
    chat.send({ type: 'rating', conversationId, rating: 4.5 });
    chat.send({ type: 'rating', conversationId: newId() });
    await waitFor(() => chat.frames.filter((f) => f.type === 'error').length === 5, { what: 'five errors' });
    expect(chat.frames.map((f) => [f.code, String(f.message).split(':')[0]])).toEqual([
      ['BAD_FRAME', 'messageId'],
      ['BAD_FRAME', 'helpful'],
      ['BAD_FRAME', 'rating'],
      ['BAD_FRAME', 'rating'],
      ['BAD_FRAME', 'rating'],
    ]);

    await quiet();
    expect(await inbound(conversationId)).toHaveLength(1);
    expect(await statusOf(conversationId)).toBe('bot');
    expect(await ratings(conversationId)).toEqual([]);
  });
});
