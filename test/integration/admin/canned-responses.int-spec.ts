import { Contact } from '@cs/persistence';
import { createTenant, seedConversation, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

describe('canned responses: kept per tenant, filled in for a conversation', () => {
  let t: AdminTestApp;
  let tenantId: string;
  let owner: SignedIn;
  let agent: SignedIn;

  beforeAll(async () => {
    t = await startAdminApp('admincanned');
    tenantId = (await createTenant(t.db)).id;
    owner = await signIn(t, 'owner', tenantId);
    agent = await signIn(t, 'agent', tenantId);
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (body: Record<string, unknown>) => t.http().post('/api/v1/canned-responses').set(owner.auth).send(body);

  it('fills the contact’s name, the person replying and the conversation for the agent who inserts it', async () => {
    const canned = await create({ shortcut: 'refund-ok', title: 'Refund approved', body: 'Hi {{contact.name}}, {{agent.name}} here: your refund for {{ conversation.id }} on {{conversation.channel}} is on its way.' }).expect(201);
    const { conversation } = await seedConversation(t.db, tenantId);
    const res = await t.http().get(`/api/v1/conversations/${conversation.id}/canned-responses/${canned.body.id}`).set(agent.auth).expect(200);
    const agentName = (await t.http().get('/api/v1/auth/me').set(agent.auth).expect(200)).body.name as string;
    expect(agentName).toBeTruthy();
    expect(res.body).toEqual({ text: `Hi Ada Customer, ${agentName} here: your refund for ${conversation.id} on webchat is on its way.`, missing: [] });
  });

  it('uses the fallback when the contact has no name, and names a placeholder left empty', async () => {
    const canned = await create({ shortcut: 'hello', title: 'Hello', body: 'Hi {{contact.name|there}}, we will write to {{contact.phone}}.' }).expect(201);
    const { conversation } = await seedConversation(t.db, tenantId);
    await t.db.manager.update(Contact, { id: conversation.contactId }, { name: null });
    const res = await t.http().get(`/api/v1/conversations/${conversation.id}/canned-responses/${canned.body.id}`).set(agent.auth).expect(200);
    expect(res.body).toEqual({ text: 'Hi there, we will write to .', missing: ['contact.phone'] });
  });

  it('refuses an unknown placeholder and a shortcut already taken, naming the field', async () => {
    const unknown = await create({ shortcut: 'typo', title: 'Typo', body: 'Hi {{customer.name}}' }).expect(400);
    expect(JSON.stringify(unknown.body.error)).toContain('body');
    expect(unknown.body.error.message + JSON.stringify(unknown.body.error.fields)).toContain('unknown placeholder');
    const taken = await create({ shortcut: 'refund-ok', title: 'Again', body: 'Hello' }).expect(409);
    expect(taken.body.error.message).toContain('shortcut');
  });

  it('lists by shortcut and searches titles; agents read but do not change them', async () => {
    const all = await t.http().get('/api/v1/canned-responses').set(agent.auth).expect(200);
    expect(all.body.items.map((c: { shortcut: string }) => c.shortcut)).toEqual(['hello', 'refund-ok']);
    const found = await t.http().get('/api/v1/canned-responses?q=approved').set(agent.auth).expect(200);
    expect(found.body.items.map((c: { shortcut: string }) => c.shortcut)).toEqual(['refund-ok']);
    await t.http().post('/api/v1/canned-responses').set(agent.auth).send({ shortcut: 'x', title: 'X', body: 'X' }).expect(403);
  });

  it('changes and deletes one', async () => {
    const id = (await t.http().get('/api/v1/canned-responses?q=hello').set(owner.auth).expect(200)).body.items[0].id as string;
    const changed = await t.http().patch(`/api/v1/canned-responses/${id}`).set(owner.auth).send({ body: 'Hello {{contact.name|friend}}!' }).expect(200);
    expect(changed.body).toMatchObject({ shortcut: 'hello', body: 'Hello {{contact.name|friend}}!' });
    await t.http().delete(`/api/v1/canned-responses/${id}`).set(owner.auth).expect(204);
    await t.http().get(`/api/v1/canned-responses/${id}`).set(owner.auth).expect(404);
  });
});
