import { createHash, randomBytes } from 'crypto';
import type { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';

export interface TenantFixture {
  tenantId: string;
  apiKey: string;
  widgetKey: string;
  apiAccountId: string;
  webchatAccountId: string;
}

/** A tenant of its own (unique slug) with an API key and the api and webchat channel accounts. */
export async function createTenant(ds: DataSource, name = 'Test Shop'): Promise<TenantFixture> {
  const tenantId = newId();
  const apiKey = `cs_test_${randomBytes(16).toString('hex')}`;
  const widgetKey = `wk_test_${randomBytes(8).toString('hex')}`;
  const apiAccountId = newId();
  const webchatAccountId = newId();
  await ds.query('INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3)', [tenantId, name, `t-${tenantId}`]);
  await ds.query('INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash) VALUES ($1, $2, $3, $4, $5)', [
    newId(),
    tenantId,
    'test key',
    apiKey.slice(0, 8),
    createHash('sha256').update(apiKey).digest('hex'),
  ]);
  await ds.query(`INSERT INTO channel_accounts (id, tenant_id, connector_id, name) VALUES ($1, $2, 'api', 'API')`, [apiAccountId, tenantId]);
  await ds.query(
    `INSERT INTO channel_accounts (id, tenant_id, connector_id, name, public_key) VALUES ($1, $2, 'webchat', 'Chat', $3)`,
    [webchatAccountId, tenantId, widgetKey],
  );
  return { tenantId, apiKey, widgetKey, apiAccountId, webchatAccountId };
}

/** A contact with one identity on `channel`, and one conversation of theirs on it. */
export async function createConversation(
  ds: DataSource,
  tenantId: string,
  channel: 'api' | 'webchat',
  externalUserId: string,
): Promise<{ contactId: string; conversationId: string }> {
  const contactId = newId();
  const conversationId = newId();
  await ds.query('INSERT INTO contacts (id, tenant_id) VALUES ($1, $2)', [contactId, tenantId]);
  await ds.query(
    'INSERT INTO contact_identities (id, tenant_id, contact_id, channel, external_user_id) VALUES ($1, $2, $3, $4, $5)',
    [newId(), tenantId, contactId, channel, externalUserId],
  );
  await ds.query(
    `INSERT INTO conversations (id, tenant_id, contact_id, channel, connector_id, external_thread_id) VALUES ($1, $2, $3, $4, $4, $5)`,
    [conversationId, tenantId, contactId, channel, externalUserId],
  );
  return { contactId, conversationId };
}

export interface MessageFixture {
  direction: 'in' | 'out';
  text: string;
  private?: boolean;
  clientId?: string;
}

/** Stores messages in order (ids are UUIDv7, so later inserts sort later) and returns their ids. */
export async function addMessages(
  ds: DataSource,
  tenantId: string,
  conversationId: string,
  connectorId: string,
  messages: MessageFixture[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const m of messages) {
    const id = newId();
    ids.push(id);
    await ds.query(
      `INSERT INTO messages (id, tenant_id, conversation_id, direction, author_kind, connector_id, parts, text, external_message_id, private, channel_data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        tenantId,
        conversationId,
        m.direction,
        m.direction === 'in' ? 'contact' : 'bot',
        connectorId,
        JSON.stringify([{ type: 'text', text: m.text }]),
        m.text,
        m.direction === 'in' ? `ext-${id}` : null,
        m.private ?? false,
        JSON.stringify(m.clientId ? { clientId: m.clientId } : {}),
      ],
    );
    // UUIDv7 ids are ordered by millisecond; keep them strictly increasing.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return ids;
}
