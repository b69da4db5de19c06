import { BusSubjects, newId } from '@cs/contracts';
import type { BusMessage } from '@cs/messaging';
import { waitFor } from '@cs/testing';
import { createTenant, seedConversation, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

describe('customer satisfaction: ratings sent with the API key, counted in the console’s analytics', () => {
  let t: AdminTestApp;
  let owner: SignedIn;
  let shopServer: { Authorization: string };

  beforeAll(async () => {
    // The whole edge: the API channel (API-key auth) and the console live in the gateway.
    t = await startAdminApp('admincsat', { root: 'gateway' });
    owner = await signIn(t, 'owner', (await createTenant(t.db)).id);
    const key = await t.http().post('/api/v1/api-keys').set(owner.auth).send({ name: 'survey', scopes: ['channel:api'] }).expect(201);
    shopServer = { Authorization: `Bearer ${key.body.key}` };
  });
  afterAll(async () => {
    await t?.close();
  });

  const rate = (conversationId: string, body: unknown, auth = shopServer) =>
    t.http().post(`/api/v1/channels/api/conversations/${conversationId}/csat`).set(auth).send(body as object);
  const csatToday = async () =>
    (await t.http().get('/api/v1/analytics').query({ from: new Date(Date.now() - 3_600_000).toISOString() }).set(owner.auth).expect(200)).body.csat;

  it('counts each conversation’s latest rating in the analytics, and the average of them', async () => {
    expect(await csatToday()).toEqual({ responses: 0, average: null, byChannel: [] });
    const happy = (await seedConversation(t.db, owner.tenantId!)).conversation.id;
    const unhappy = (await seedConversation(t.db, owner.tenantId!, { channel: 'api' })).conversation.id;

    expect((await rate(happy, { rating: 3 }).expect(200)).body).toMatchObject({ conversationId: happy, rating: 3 });
    await rate(unhappy, { rating: 2 }).expect(200);
    // The customer changes their mind: still one response for that conversation.
    await rate(happy, { rating: 5 }).expect(200);

    expect(await csatToday()).toEqual({
      responses: 2,
      average: 3.5,
      byChannel: [
        { channel: 'api', responses: 1, average: 2 },
        { channel: 'webchat', responses: 1, average: 5 },
      ],
    });
  });

  it('announces each rating as the durable event conv.csat (webhooks and other consumers)', async () => {
    const events: BusMessage[] = [];
    const sub = await t.bus.consume({ durable: `test-csat-${newId().slice(-12)}`, filterSubjects: [BusSubjects.convEvent('csat', owner.tenantId!)] }, async (m) => void events.push(m));
    try {
      const { conversation } = await seedConversation(t.db, owner.tenantId!);
      await rate(conversation.id, { rating: 4 }).expect(200);
      await waitFor(() => events.some((e) => e.envelope.conversationId === conversation.id), { timeoutMs: 5000, what: 'the conv.csat event' });
      const event = events.find((e) => e.envelope.conversationId === conversation.id)!;
      expect(event.envelope.data).toMatchObject({ conversationId: conversation.id, channel: conversation.channel, detail: { rating: 4 } });
      // A refused rating announces nothing.
      await rate(conversation.id, { rating: 9 }).expect(400);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(events.filter((e) => e.envelope.conversationId === conversation.id)).toHaveLength(1);
    } finally {
      await sub.unsubscribe();
    }
  });

  it('refuses a rating outside 1 to 5, naming the field', async () => {
    const { conversation } = await seedConversation(t.db, owner.tenantId!);
    for (const body of [{ rating: 0 }, { rating: 6 }, { rating: 4.5 }, { rating: 'great' }, {}]) {
      const res = await rate(conversation.id, body).expect(400);
      expect(res.body.error.fields[0].path).toBe('rating');
    }
  });

  it('answers 404 for another tenant’s conversation or an unknown one, and 401 without a key', async () => {
    const otherTenant = await createTenant(t.db, 'Other shop');
    const { conversation } = await seedConversation(t.db, otherTenant.id);
    await rate(conversation.id, { rating: 1 }).expect(404);
    await rate(newId(), { rating: 1 }).expect(404);
    await rate('not-an-id', { rating: 1 }).expect(404);
    await t.http().post(`/api/v1/channels/api/conversations/${conversation.id}/csat`).send({ rating: 1 }).expect(401);
    const theirs = await signIn(t, 'owner', otherTenant.id);
    const res = await t.http().get('/api/v1/analytics').set(theirs.auth).expect(200);
    expect(res.body.csat).toEqual({ responses: 0, average: null, byChannel: [] });
  });
});
