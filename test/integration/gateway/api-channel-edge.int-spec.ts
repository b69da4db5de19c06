import { AgentModule } from '@cs/agent';
import { ConnectorsModule } from '@cs/connectors';
import { newId } from '@cs/contracts';
import { waitFor } from '@cs/testing';
import { createTenant, type TenantFixture } from '../../../apps/gateway/src/testing/gateway-fixtures';
import { startGatewayTestApp, type GatewayTestApp } from '../../../apps/gateway/src/testing/gateway-test-app';

jest.setTimeout(90_000);

interface Stored {
  id: string;
  direction: 'in' | 'out';
  text: string;
  reply_to_message_id: string | null;
}

describe('API channel at the edge: unsafe text is stored cleaned and answered, a retried message is stored once (gateway, api connector, agent)', () => {
  let t: GatewayTestApp;
  let shop: TenantFixture;
  let other: TenantFixture;

  beforeAll(async () => {
    t = await startGatewayTestApp({ imports: [AgentModule, ConnectorsModule] });
    shop = await createTenant(t.dataSource, 'Edge shop');
    other = await createTenant(t.dataSource, 'Other edge shop');
  });

  afterAll(async () => {
    await t?.close();
  });

  function post(body: unknown, opts: { query?: string; headers?: Record<string, string>; apiKey?: string } = {}): Promise<Response> {
    return fetch(`${t.url}/api/v1/channels/api/messages${opts.query ?? ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.apiKey ?? shop.apiKey}`, ...opts.headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  const messagesOf = (conversationId: string): Promise<Stored[]> =>
    t.dataSource.query(`SELECT id, direction, text, reply_to_message_id FROM messages WHERE conversation_id = $1 ORDER BY id`, [conversationId]);

  const inboundWithKey = (tenantId: string, key: string): Promise<{ n: number }[]> =>
    t.dataSource.query(`SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1 AND connector_id = 'api' AND direction = 'in' AND external_message_id = $2`, [
      tenantId,
      `${tenantId}:${key}`,
    ]);

  it('stores a message with NUL and a lone surrogate cleaned (text, contact id and name) and answers it', async () => {
    // The exact bytes a client sends: JSON escapes, not characters JSON.stringify would re-encode.
    const raw = '{"text":"hello\\u0000 delivery \\ud800?","contact":{"externalId":"nul\\u0000-customer","name":"Ada\\u0007 \\udc00Lovelace"}}';
    const res = await post(raw, { query: '?wait=20000' });
    expect([200, 202]).toContain(res.status);
    const { conversationId } = (await res.json()) as { conversationId: string };

    const messages = await waitFor(async () => {
      const rows = await messagesOf(conversationId);
      return rows.some((m) => m.direction === 'out') ? rows : null;
    }, { what: 'the agent’s answer to the cleaned message', timeoutMs: 30_000 });
    const inbound = messages.filter((m) => m.direction === 'in');
    expect(inbound.map((m) => m.text)).toEqual(['hello delivery \ufffd?']);
    expect(messages.find((m) => m.direction === 'out')?.reply_to_message_id).toBe(inbound[0].id);

    const [contact] = await t.dataSource.query(
      `SELECT ci.external_user_id, ci.display_name, c.name FROM conversations v
         JOIN contacts c ON c.id = v.contact_id JOIN contact_identities ci ON ci.contact_id = c.id
        WHERE v.id = $1`,
      [conversationId],
    );
    expect(contact.external_user_id).toBe('nul-customer');
    expect(contact.display_name ?? contact.name).toBe('Ada \ufffdLovelace');

    // The API channel reads it back as stored.
    const read = await fetch(`${t.url}/api/v1/conversations/${conversationId}/messages`, { headers: { authorization: `Bearer ${shop.apiKey}` } });
    expect(read.status).toBe(200);
  });

  it('refuses a text that is nothing but control characters with a 400 naming the field', async () => {
    const res = await post('{"text":"\\u0000\\u0001","contact":{"externalId":"c1"}}');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.fields.map((f: { path: string }) => f.path)).toEqual(['text']);
  });

  it('answers retries with the same Idempotency-Key, in flight and after the answer, with the first result, and stores the message once', async () => {
    const key = `order-${newId()}`;
    const body = { text: 'Where is my parcel?', contact: { externalId: `retry-${key}` } };
    // Three copies at once, as a client does that retries before the first answer comes back.
    const first = await Promise.all([0, 1, 2].map(() => post(body, { headers: { 'Idempotency-Key': key } })));
    expect(first.map((r) => r.status)).toEqual([202, 202, 202]);
    const ids = new Set((await Promise.all(first.map((r) => r.json()))).map((b: { conversationId: string }) => b.conversationId));
    expect(ids.size).toBe(1);
    const [conversationId] = [...ids];

    const answered = await waitFor(async () => {
      const rows = await messagesOf(conversationId);
      return rows.some((m) => m.direction === 'out') ? rows : null;
    }, { what: 'the agent’s answer', timeoutMs: 30_000 });

    // Long after: the retry of a client whose connection dropped gets the stored answer at once.
    const retry = await post(body, { headers: { 'Idempotency-Key': key }, query: '?wait=10000' });
    expect(retry.status).toBe(200);
    const retried = (await retry.json()) as { conversationId: string; reply: { id: string } };
    expect(retried.conversationId).toBe(conversationId);
    expect(retried.reply.id).toBe(answered.find((m) => m.direction === 'out')?.id);

    // The same key as a body field is the same key.
    const viaField = await post({ ...body, clientMessageId: key });
    expect(((await viaField.json()) as { conversationId: string }).conversationId).toBe(conversationId);

    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await messagesOf(conversationId);
    expect(after.filter((m) => m.direction === 'in')).toHaveLength(1);
    expect(after.filter((m) => m.direction === 'out')).toHaveLength(1);
    expect(await inboundWithKey(shop.tenantId, key)).toEqual([{ n: 1 }]);
  });

  it('keeps keys apart per tenant and stores a new key as a new message', async () => {
    const key = `k-${newId()}`;
    const body = { text: 'Do you ship abroad?', contact: { externalId: 'tenant-scope' } };
    const mine = (await (await post(body, { headers: { 'Idempotency-Key': key } })).json()) as { conversationId: string };
    const theirs = (await (await post(body, { headers: { 'Idempotency-Key': key }, apiKey: other.apiKey })).json()) as { conversationId: string };
    expect(theirs.conversationId).not.toBe(mine.conversationId);
    const fresh = (await (await post(body, { headers: { 'Idempotency-Key': `${key}-2` } })).json()) as { conversationId: string };
    expect(fresh.conversationId).not.toBe(mine.conversationId);
    await waitFor(async () => (await inboundWithKey(other.tenantId, key))[0].n === 1, { what: 'the other tenant’s message stored' });
    await waitFor(async () => (await inboundWithKey(shop.tenantId, key))[0].n === 1, { what: 'this tenant’s message stored' });
  });

  it('refuses a malformed key, or a header and a field that disagree, with a 400 naming it', async () => {
    const body = { text: 'hi', contact: { externalId: 'c1' } };
    const badHeader = await post(body, { headers: { 'Idempotency-Key': 'has spaces and.dots' } });
    expect(badHeader.status).toBe(400);
    expect((await badHeader.json()).error.fields[0].path).toBe('Idempotency-Key');
    const mismatch = await post({ ...body, clientMessageId: 'one' }, { headers: { 'Idempotency-Key': 'two' } });
    expect(mismatch.status).toBe(400);
    expect((await mismatch.json()).error.fields[0].path).toBe('clientMessageId');
  });
});
