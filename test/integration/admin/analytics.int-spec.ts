import { newId } from '@cs/contracts';
import { Conversation, Message } from '@cs/persistence';
import { createTenant, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

type Turn = { at: string; kind: 'contact' | 'bot' | 'person' | 'note'; text?: string; trace?: Record<string, unknown>; channelData?: Record<string, unknown> };

describe('analytics and usage', () => {
  let t: AdminTestApp;
  let tenantId: string;
  let owner: SignedIn;

  /** A conversation exactly as it happened: who wrote when. */
  async function history(channel: string, status: Conversation['status'], intent: string | null, turns: Turn[]): Promise<string> {
    const id = newId();
    await t.db.manager.save(
      t.db.manager.create(Conversation, { id, tenantId, contactId: newId(), channel, connectorId: channel, status, intent, channelData: {}, createdAt: new Date(turns[0].at) }),
    );
    let lastInbound: string | null = null;
    for (const turn of turns) {
      const mid = newId();
      await t.db.manager.save(
        t.db.manager.create(Message, {
          id: mid,
          tenantId,
          conversationId: id,
          direction: turn.kind === 'contact' ? 'in' : 'out',
          authorKind: turn.kind === 'note' ? 'person' : turn.kind,
          private: turn.kind === 'note',
          connectorId: channel,
          text: turn.text ?? turn.kind,
          parts: [],
          replyToMessageId: turn.kind === 'bot' ? lastInbound : null,
          channelData: turn.channelData ?? {},
          trace: turn.trace ?? null,
          createdAt: new Date(turn.at),
        }),
      );
      if (turn.kind === 'contact') lastInbound = mid;
    }
    return id;
  }

  beforeAll(async () => {
    t = await startAdminApp('adminanalytics');
    tenantId = (await createTenant(t.db)).id;
    owner = await signIn(t, 'owner', tenantId);
    await t.db.query(`UPDATE tenants SET settings = '{"timezone":"Europe/Berlin"}' WHERE id = $1`, [tenantId]);

    // Answered by the bot, then silence for more than 72 h: an assumed resolution.
    await history('webchat', 'bot', 'shipping', [
      { at: '2026-01-05T10:00:00Z', kind: 'contact' },
      { at: '2026-01-05T10:00:02Z', kind: 'bot', trace: { intent: 'shipping' } },
    ]);
    // Answered by the bot, and the customer said it solved it: a confirmed resolution.
    await history('email', 'resolved', 'shipping', [
      { at: '2026-01-06T09:00:00Z', kind: 'contact' },
      { at: '2026-01-06T09:00:04Z', kind: 'bot' },
      { at: '2026-01-06T09:05:00Z', kind: 'contact', text: 'This solved it', channelData: { action: 'resolved' } },
    ]);
    // The bot could not answer and handed off; the team left a note.
    await history('webchat', 'waiting', 'returns', [
      { at: '2026-01-06T12:00:00Z', kind: 'contact', text: 'Can I return a custom engraved ring?' },
      { at: '2026-01-06T12:00:01Z', kind: 'bot', trace: { handoff: { reason: 'no_confident_answer', summary: '...' } } },
      { at: '2026-01-06T12:30:00Z', kind: 'note' },
    ]);
    // The customer came back within 72 h of the bot's answer and is still waiting: no resolution.
    await history('webchat', 'bot', null, [
      { at: '2026-01-07T10:00:00Z', kind: 'contact' },
      { at: '2026-01-07T10:00:03Z', kind: 'bot' },
      { at: '2026-01-07T23:30:00Z', kind: 'contact' },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports volume by day in the tenant’s time zone, resolutions confirmed and assumed apart, hand-offs and response times', async () => {
    const res = await t.http().get('/api/v1/analytics').query({ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }).set(owner.auth).expect(200);
    expect(res.body.volume).toEqual([
      { day: '2026-01-05', channel: 'webchat', messages: 1 },
      { day: '2026-01-06', channel: 'email', messages: 2 },
      { day: '2026-01-06', channel: 'webchat', messages: 1 },
      { day: '2026-01-07', channel: 'webchat', messages: 1 },
      // 23:30 UTC is already the next day in Berlin.
      { day: '2026-01-08', channel: 'webchat', messages: 1 },
    ]);
    expect(res.body).toMatchObject({
      conversations: 4,
      automatedResolution: { confirmed: 1, assumed: 1, rate: 0.5 },
      handoff: { conversations: 1, rate: 0.25 },
      firstResponseSeconds: { p50: 2.5, p95: 3.85 },
      topIntents: [{ intent: 'shipping', conversations: 2 }, { intent: 'returns', conversations: 1 }],
    });
    expect(res.body.unanswered.map((u: { text: string }) => u.text)).toEqual(['Can I return a custom engraved ring?']);
  });

  it('does not count a staff member closing a bot-only conversation as confirmed, and times the person’s reply after a hand-off apart from the bot’s', async () => {
    const closedByStaff = await history('webchat', 'bot', 'shipping', [
      { at: '2026-03-02T09:00:00Z', kind: 'contact' },
      { at: '2026-03-02T09:00:02Z', kind: 'bot' },
    ]);
    await t.http().post(`/api/v1/conversations/${closedByStaff}/resolve`).set(owner.auth).expect(200);
    await history('webchat', 'assigned', 'returns', [
      { at: '2026-03-03T10:00:00Z', kind: 'contact' },
      { at: '2026-03-03T10:00:01Z', kind: 'bot', trace: { handoff: { reason: 'asked_for_person', summary: '...' } } },
      { at: '2026-03-03T10:10:01Z', kind: 'person' },
    ]);
    const res = await t.http().get('/api/v1/analytics').query({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' }).set(owner.auth).expect(200);
    expect(res.body).toMatchObject({
      conversations: 2,
      automatedResolution: { confirmed: 0, assumed: 0, rate: 0 },
      firstResponseSeconds: { p50: 1.5 },
      firstHumanReplyAfterHandoffSeconds: { p50: 600, p95: 600 },
    });
  });

  it('reports only the channels asked for, and refuses a channel that does not exist, naming the field', async () => {
    const period = { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' };
    const email = await t.http().get('/api/v1/analytics').query({ ...period, channel: 'email' }).set(owner.auth).expect(200);
    expect(email.body).toMatchObject({
      period: { channels: ['email'] },
      conversations: 1,
      volume: [{ day: '2026-01-06', channel: 'email', messages: 2 }],
      automatedResolution: { confirmed: 1, assumed: 0, rate: 1 },
      handoff: { conversations: 0 },
      topIntents: [{ intent: 'shipping', conversations: 1 }],
      unanswered: [],
    });
    const webchat = await t.http().get('/api/v1/analytics').query({ ...period, channel: 'webchat' }).set(owner.auth).expect(200);
    expect(webchat.body).toMatchObject({ conversations: 3, automatedResolution: { confirmed: 0, assumed: 1 }, handoff: { conversations: 1 } });
    expect(webchat.body.unanswered).toHaveLength(1);
    const bad = await t.http().get('/api/v1/analytics').query({ ...period, channel: 'fax' }).set(owner.auth).expect(400);
    expect(JSON.stringify(bad.body.error)).toContain('channel');
  });

  it('does not count a bot answer as resolved before 72 h of silence have passed', async () => {
    const now = Date.now();
    await history('webchat', 'bot', null, [
      { at: new Date(now - 3_600_000).toISOString(), kind: 'contact' },
      { at: new Date(now - 3_590_000).toISOString(), kind: 'bot' },
    ]);
    const res = await t.http().get('/api/v1/analytics').set(owner.auth).expect(200);
    expect(res.body.conversations).toBe(1);
    expect(res.body.automatedResolution).toEqual({ confirmed: 0, assumed: 0, rate: 0 });
  });

  it('bills a month by messages in and out (private notes excluded) and automated resolutions', async () => {
    const res = await t.http().get('/api/v1/analytics/usage').query({ month: '2026-01' }).set(owner.auth).expect(200);
    expect(res.body).toEqual({ tenantId, month: '2026-01', messagesIn: 6, messagesOut: 4, automatedResolutions: 2 });
    const operator = await signIn(t, 'operator', null);
    const same = await t.http().get(`/api/v1/tenants/${tenantId}/usage`).query({ month: '2026-01' }).set(operator.auth).expect(200);
    expect(same.body).toEqual(res.body);
  });
});
