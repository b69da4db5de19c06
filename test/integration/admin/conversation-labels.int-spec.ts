import { Conversation } from '@cs/persistence';
import { createTenant, seedConversation, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

describe('labels on conversations: added and removed by the staff, filtered on in the inbox', () => {
  let t: AdminTestApp;
  let tenantId: string;
  let agent: SignedIn;

  beforeAll(async () => {
    t = await startAdminApp('adminlabels');
    tenantId = (await createTenant(t.db)).id;
    agent = await signIn(t, 'agent', tenantId);
  });
  afterAll(async () => {
    await t?.close();
  });

  const label = (id: string, name: string) => t.http().post(`/api/v1/conversations/${id}/labels`).set(agent.auth).send({ label: name });
  const inbox = async (query: string) =>
    (await t.http().get(`/api/v1/conversations${query}`).set(agent.auth).expect(200)).body.items.map((c: { id: string }) => c.id) as string[];

  it('adds labels once each, lowercased, and shows them in the inbox and the conversation', async () => {
    const { conversation } = await seedConversation(t.db, tenantId);
    await label(conversation.id, 'VIP').expect(200);
    const res = await label(conversation.id, 'vip ').expect(200);
    expect(res.body).toEqual({ labels: ['vip'] });
    await label(conversation.id, 'refund').expect(200);
    const detail = await t.http().get(`/api/v1/conversations/${conversation.id}`).set(agent.auth).expect(200);
    expect(detail.body.labels).toEqual(['vip', 'refund']);
    const row = (await t.http().get('/api/v1/conversations').set(agent.auth).expect(200)).body.items.find((c: { id: string }) => c.id === conversation.id);
    expect(row.labels).toEqual(['vip', 'refund']);
  });

  it('filters the inbox by one label', async () => {
    const { conversation: a } = await seedConversation(t.db, tenantId);
    const { conversation: b } = await seedConversation(t.db, tenantId);
    await label(a.id, 'billing').expect(200);
    await label(b.id, 'shipping').expect(200);
    expect(await inbox('?label=billing')).toEqual([a.id]);
    expect(await inbox('?label=Shipping')).toEqual([b.id]);
    expect(await inbox('?label=nobody-uses-this')).toEqual([]);
  });

  it('removes a label and leaves the others', async () => {
    const { conversation } = await seedConversation(t.db, tenantId);
    await label(conversation.id, 'urgent').expect(200);
    await label(conversation.id, 'callback').expect(200);
    const res = await t.http().delete(`/api/v1/conversations/${conversation.id}/labels/urgent`).set(agent.auth).expect(200);
    expect(res.body).toEqual({ labels: ['callback'] });
    expect((await t.db.manager.findOneByOrFail(Conversation, { id: conversation.id })).labels).toEqual(['callback']);
    expect(await inbox('?label=urgent')).not.toContain(conversation.id);
  });

  it('refuses an empty label or one with a comma, naming the field, and a 21st label', async () => {
    const { conversation } = await seedConversation(t.db, tenantId);
    const empty = await label(conversation.id, '  ').expect(400);
    expect(JSON.stringify(empty.body.error)).toContain('label');
    await label(conversation.id, 'a,b').expect(400);
    for (let i = 0; i < 20; i++) await label(conversation.id, `l${i}`).expect(200);
    const tooMany = await label(conversation.id, 'one-more').expect(400);
    expect(tooMany.body.error.message).toContain('at most 20');
    await label(conversation.id, 'l3').expect(200);
  });
});
