import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { createTestDatabase } from '@cs/testing';
import { openDataSource } from '../data-source';
import { ContactResolver } from './contact-resolver.service';
import { ConversationResolver, type ConversationKey } from './conversation-resolver.service';
import { withAdvisoryLock } from './advisory-lock';

describe('finding the contact and the conversation of an inbound message', () => {
  let ds: DataSource;
  const tenantId = newId();
  const contacts = new ContactResolver();
  const conversations = new ConversationResolver();

  beforeAll(async () => {
    ds = await openDataSource({ databaseUrl: await createTestDatabase('resolvers'), poolSize: 4 });
    await ds.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Resolvers', $2)`, [tenantId, `resolvers-${tenantId}`]);
  }, 60_000);

  afterAll(() => ds?.destroy());

  const key = (contactId: string, extra: Partial<ConversationKey> = {}): ConversationKey => ({
    tenantId,
    contactId,
    channel: 'email',
    connectorId: 'email',
    channelAccountId: null,
    ...extra,
  });

  it('gives two messages from a new sender, handled at the same moment, one contact', async () => {
    const identity = { tenantId, channel: 'email', externalUserId: `ana-${newId()}@example.com`, address: 'ana@example.com', displayName: 'Ana' };

    const [a, b] = await Promise.all([
      ds.transaction((m) => contacts.resolve(m, identity)),
      ds.transaction((m) => contacts.resolve(m, identity)),
    ]);

    expect(a.contactId).toBe(b.contactId);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const [contact] = await ds.query('SELECT name, email FROM contacts WHERE id = $1', [a.contactId]);
    expect(contact).toEqual({ name: 'Ana', email: 'ana@example.com' });
  });

  it('creates a conversation with the id the connector assigned, and finds it again by that id', async () => {
    const { contactId } = await ds.transaction((m) => contacts.resolve(m, { tenantId, channel: 'api', externalUserId: newId() }));
    const conversationId = newId();

    const first = await ds.transaction((m) => conversations.resolve(m, key(contactId, { channel: 'api', connectorId: 'api', conversationId })));
    const second = await ds.transaction((m) => conversations.resolve(m, key(contactId, { channel: 'api', connectorId: 'api', conversationId })));

    expect(first).toMatchObject({ created: true, conversation: { id: conversationId, status: 'bot' } });
    expect(second).toMatchObject({ created: false, conversation: { id: conversationId } });
  });

  it('reopens a resolved thread to the bot when the customer writes in it again', async () => {
    const { contactId } = await ds.transaction((m) => contacts.resolve(m, { tenantId, channel: 'email', externalUserId: newId() }));
    const thread = { externalThreadId: `<root-${newId()}@mail>` };
    const { conversation } = await ds.transaction((m) => conversations.resolve(m, key(contactId, thread)));
    await ds.query(`UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = $1`, [conversation.id]);

    const again = await ds.transaction((m) => conversations.resolve(m, key(contactId, thread)));

    expect(again).toMatchObject({ reopened: true, conversation: { id: conversation.id, status: 'bot' } });
    const [row] = await ds.query('SELECT status, resolved_at FROM conversations WHERE id = $1', [conversation.id]);
    expect(row).toEqual({ status: 'bot', resolved_at: null });
  });

  it('continues the open conversation of a sender without threads, and starts a new one once it is resolved', async () => {
    const { contactId } = await ds.transaction((m) => contacts.resolve(m, { tenantId, channel: 'sms', externalUserId: newId() }));
    const sms = { channel: 'sms', connectorId: 'twilio-sms' };
    const first = await ds.transaction((m) => conversations.resolve(m, key(contactId, sms)));
    const same = await ds.transaction((m) => conversations.resolve(m, key(contactId, sms)));
    await ds.query(`UPDATE conversations SET status = 'resolved' WHERE id = $1`, [first.conversation.id]);

    const next = await ds.transaction((m) => conversations.resolve(m, key(contactId, sms)));

    expect(same.conversation.id).toBe(first.conversation.id);
    expect(next).toMatchObject({ created: true });
    expect(next.conversation.id).not.toBe(first.conversation.id);
  });

  it('holds an advisory lock until the transaction ends, so holders of one key run one after another', async () => {
    const order: string[] = [];
    const hold = (name: string, ms: number) =>
      ds.transaction(async (m) => {
        await withAdvisoryLock(m, `spec:${tenantId}`);
        order.push(`${name}:in`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        order.push(`${name}:out`);
      });

    await Promise.all([hold('a', 150), new Promise((resolve) => setTimeout(resolve, 30)).then(() => hold('b', 0))]);

    expect(order).toEqual(['a:in', 'a:out', 'b:in', 'b:out']);
    await expect(withAdvisoryLock(ds.manager, 'outside')).rejects.toThrow(/transaction/);
  });
});
