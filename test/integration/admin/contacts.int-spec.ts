import { newId } from '@cs/contracts';
import { Contact, ContactIdentity, Conversation, Message } from '@cs/persistence';
import { createTenant, seedConversation, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

describe('contacts: one person across channels, GDPR export and erasure', () => {
  let t: AdminTestApp;
  let tenantId: string;
  let owner: SignedIn;

  beforeAll(async () => {
    t = await startAdminApp('admincontacts');
    tenantId = (await createTenant(t.db)).id;
    owner = await signIn(t, 'owner', tenantId);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds a contact by part of an address on any channel', async () => {
    const { contact } = await seedConversation(t.db, tenantId);
    await t.db.manager.save(t.db.manager.create(ContactIdentity, { id: newId(), tenantId, contactId: contact.id, channel: 'sms', externalUserId: '+4915112345678', address: '+4915112345678' }));
    const res = await t.http().get('/api/v1/contacts').query({ q: '15112345' }).set(owner.auth).expect(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([contact.id]);
  });

  it('merges a duplicate so that its channels and conversations belong to one person', async () => {
    const web = await seedConversation(t.db, tenantId, { channel: 'webchat' });
    const mail = await seedConversation(t.db, tenantId, { channel: 'email' });
    await t.db.manager.update(Contact, { id: web.contact.id }, { email: null, phone: null });
    await t.db.manager.update(Contact, { id: mail.contact.id }, { email: 'ada@example.test', phone: '+441234' });

    const merged = await t.http().post(`/api/v1/contacts/${web.contact.id}/merge`).set(owner.auth).send({ contactId: mail.contact.id }).expect(200);
    expect(merged.body.identities.map((i: { channel: string }) => i.channel).sort()).toEqual(['email', 'webchat']);
    expect(merged.body.conversations.map((c: { id: string }) => c.id).sort()).toEqual([web.conversation.id, mail.conversation.id].sort());
    expect(merged.body).toMatchObject({ email: 'ada@example.test', phone: '+441234' });
    await t.http().get(`/api/v1/contacts/${mail.contact.id}`).set(owner.auth).expect(404);
  });

  it('merges the same pair asked both ways at once one after the other: one survivor with everything, the other call refused by name', async () => {
    const a = await seedConversation(t.db, tenantId, { channel: 'webchat' });
    const b = await seedConversation(t.db, tenantId, { channel: 'email' });
    const answers = await Promise.all([
      t.http().post(`/api/v1/contacts/${a.contact.id}/merge`).set(owner.auth).send({ contactId: b.contact.id }),
      t.http().post(`/api/v1/contacts/${b.contact.id}/merge`).set(owner.auth).send({ contactId: a.contact.id }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 404]);
    const survivor = answers.find((r) => r.status === 200)!.body as { id: string; identities: { channel: string }[]; conversations: unknown[] };
    expect(survivor.identities.map((i) => i.channel).sort()).toEqual(['email', 'webchat']);
    expect(survivor.conversations).toHaveLength(2);
    const owners = await t.db.query(`SELECT DISTINCT contact_id FROM conversations WHERE id = ANY($1::uuid[])`, [[a.conversation.id, b.conversation.id]]);
    expect(owners).toEqual([{ contact_id: survivor.id }]);
  });

  it('exports everything about a contact, without the team’s private notes', async () => {
    const { contact, conversation } = await seedConversation(t.db, tenantId, { text: 'My address is 12 Elm Street' });
    await t.http().post(`/api/v1/conversations/${conversation.id}/notes`).set(owner.auth).send({ text: 'internal remark' }).expect(201);
    const res = await t.http().get(`/api/v1/contacts/${contact.id}/export`).set(owner.auth).expect(200);
    expect(res.body.contact).toMatchObject({ id: contact.id, name: 'Ada Customer' });
    expect(res.body.identities).toHaveLength(1);
    expect(res.body.conversations[0].messages.map((m: { text: string }) => m.text)).toEqual(['My address is 12 Elm Street']);
    expect(JSON.stringify(res.body)).not.toContain('internal remark');
  });

  // Their files (sent on MMS and email, stored in object storage) are exported and erased in
  // test/integration/files/customer-files.int-spec.ts, through the connectors' own path.
  it('erases a contact so that no table holds what they wrote or who they are, while the counts remain', async () => {
    const secret = `Sensitive-${newId()}`;
    const { contact, conversation, inbound } = await seedConversation(t.db, tenantId, { text: `Please call me about ${secret}` });
    await t.db.manager.update(Conversation, { id: conversation.id }, { subject: `Re: ${secret}`, summary: `customer asked about ${secret}`, channelData: { from: secret } });
    await t.db.manager.update(Contact, { id: contact.id }, { name: secret, email: `${secret.toLowerCase()}@mail.test` });
    await t.db.manager.update(Message, { id: inbound.id }, { trace: { query: secret }, channelData: { subject: secret } });
    await t.http().post(`/api/v1/conversations/${conversation.id}/replies`).set(owner.auth).send({ text: `We will call you about ${secret}` }).expect(201);

    // The scan sees the text where it was put, so an empty result afterwards means something.
    expect(await tablesContaining(t, secret)).toEqual(
      expect.arrayContaining(['contacts.name', 'conversations.subject', 'messages.text', 'messages.parts', 'messages.trace']),
    );
    await t.http().delete(`/api/v1/contacts/${contact.id}`).set(owner.auth).expect(204);

    expect(await tablesContaining(t, secret)).toEqual([]);
    expect(await tablesContaining(t, secret.toLowerCase())).toEqual([]);
    // What analytics count survives: the conversation and its two messages, anonymous.
    expect(await t.db.manager.countBy(Message, { conversationId: conversation.id })).toBe(2);
    expect(await t.db.manager.countBy(ContactIdentity, { contactId: contact.id })).toBe(0);
  });
});

/** Every table and text-like column (text, jsonb, bytea, arrays) of the database that holds `needle`. */
async function tablesContaining(t: AdminTestApp, needle: string): Promise<string[]> {
  const columns: { table_name: string; column_name: string; data_type: string }[] = await t.db.query(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'json', 'bytea', 'ARRAY', 'character varying')`,
  );
  const hits: string[] = [];
  for (const { table_name, column_name, data_type } of columns) {
    const expr = data_type === 'bytea' ? `encode("${column_name}", 'escape')` : `"${column_name}"::text`;
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM "${table_name}" WHERE ${expr} LIKE $1`, [`%${needle}%`]);
    if (n > 0) hits.push(`${table_name}.${column_name}`);
  }
  return hits;
}
