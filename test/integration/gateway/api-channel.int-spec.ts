import { ConnectorsModule } from '@cs/connectors';
import type { InboundMessage } from '@cs/contracts';
import type { Subscription } from '@cs/messaging';
import { addMessages, createConversation, createTenant, type TenantFixture } from '../../../apps/gateway/src/testing/gateway-fixtures';
import { startGatewayTestApp, type GatewayTestApp } from '../../../apps/gateway/src/testing/gateway-test-app';
import { BusSubjects } from '@cs/contracts';

jest.setTimeout(60_000);

describe('API channel (real PostgreSQL, real api connector)', () => {
  let t: GatewayTestApp;
  let shop: TenantFixture;
  let other: TenantFixture;
  let fakeAgent: Subscription | undefined;

  beforeAll(async () => {
    t = await startGatewayTestApp({ imports: [ConnectorsModule] });
    shop = await createTenant(t.dataSource, 'Shop');
    other = await createTenant(t.dataSource, 'Other shop');
  });

  afterAll(async () => {
    await fakeAgent?.unsubscribe();
    await t?.close();
  });

  function post(body: unknown, opts: { key?: string | null; query?: string } = {}): Promise<Response> {
    const key = opts.key === undefined ? shop.apiKey : opts.key;
    return fetch(`${t.url}/api/v1/channels/api/messages${opts.query ?? ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  function get(path: string, key = shop.apiKey): Promise<Response> {
    return fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  }

  it('rejects a message without text with a 400 that names the field', async () => {
    const res = await post({ contact: { externalId: 'c1' } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(body.error.fields.map((f: { path: string }) => f.path)).toEqual(['text']);
  });

  it('names nested and limit violations too: contact.externalId, text over 4000 characters, wait', async () => {
    const noContactId = await (await post({ text: 'hi', contact: {} })).json();
    expect(noContactId.error.fields.map((f: { path: string }) => f.path)).toEqual(['contact.externalId']);

    const tooLong = await post({ text: 'x'.repeat(4001), contact: { externalId: 'c1' } });
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error.fields[0].path).toBe('text');

    const badWait = await post({ text: 'hi', contact: { externalId: 'c1' } }, { query: '?wait=999999' });
    expect(badWait.status).toBe(400);
    expect((await badWait.json()).error.fields[0].path).toBe('wait');

    const badConversation = await post({ text: 'hi', contact: { externalId: 'c1' }, conversationId: 'nope' });
    expect((await badConversation.json()).error.fields[0].path).toBe('conversationId');
  });

  it('answers malformed JSON with a 400 in the same error format', async () => {
    const res = await post('{"text": ');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });

  it('refuses a missing, unknown or revoked API key with 401', async () => {
    const valid = { text: 'hi', contact: { externalId: 'c1' } };
    expect((await post(valid, { key: null })).status).toBe(401);
    const unknown = await post(valid, { key: 'cs_test_not_a_key' });
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });

    const revoked = await createTenant(t.dataSource, 'Revoked');
    await t.dataSource.query('UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1', [revoked.tenantId]);
    expect((await post(valid, { key: revoked.apiKey })).status).toBe(401);
  });

  it('admits any live key of the tenant, whatever its scopes', async () => {
    const valid = { text: 'hi', contact: { externalId: 'c1' } };
    for (const scopes of ['{channel:api}', '{agent}', '{*}']) {
      const tenant = await createTenant(t.dataSource, `Scoped ${scopes}`);
      await t.dataSource.query('UPDATE api_keys SET scopes = $2 WHERE tenant_id = $1', [tenant.tenantId, scopes]);
      expect((await post(valid, { key: tenant.apiKey })).status).toBe(202);
    }
  });

  it("answers 404 when the conversationId is another tenant's conversation", async () => {
    const { conversationId } = await createConversation(t.dataSource, other.tenantId, 'api', 'their-customer');
    const res = await post({ text: 'hi', contact: { externalId: 'c1' }, conversationId });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await get(`/api/v1/conversations/${conversationId}/messages`)).status).toBe(404);
    expect((await get(`/api/v1/conversations/${conversationId}/messages`, other.apiKey)).status).toBe(200);
  });

  it('accepts a message with 202 and a conversation id when nobody answers within the wait', async () => {
    const started = Date.now();
    const res = await post({ text: 'is anyone there?', contact: { externalId: 'c2' } }, { query: '?wait=300' });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body).toEqual({ conversationId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'pending' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("returns the agent's reply in the response (200) when it comes within the wait", async () => {
    // The agent, faked at its wire protocol: read msg.in.api.*, answer on api.reply.<externalMessageId>.
    fakeAgent = await t.bus.consume({ durable: 'fake-agent-api', filterSubjects: [BusSubjects.msgInChannel('api')] }, async (msg) => {
      const inbound = msg.envelope.data as InboundMessage;
      const text = inbound.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
      t.bus.emit(BusSubjects.apiReply(inbound.externalMessageId), {
        message: {
          id: '0190f5c6-0000-7000-8000-000000000001',
          conversationId: inbound.externalThreadId ?? 'c-1',
          direction: 'out',
          text: `You asked: ${text}`,
          parts: [{ type: 'text', text: `You asked: ${text}` }],
          authorKind: 'bot',
          createdAt: new Date().toISOString(),
        },
      });
    });
    const res = await post({ text: 'how long does delivery take?', contact: { externalId: 'c3', name: 'Ann' } }, { query: '?wait=5000' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.reply).toMatchObject({ text: 'You asked: how long does delivery take?', authorKind: 'bot' });
  });

  it("lists a conversation's messages in order, page by page, without private notes", async () => {
    const { conversationId } = await createConversation(t.dataSource, shop.tenantId, 'api', 'pager');
    const ids = await addMessages(t.dataSource, shop.tenantId, conversationId, 'api', [
      { direction: 'in', text: 'one' },
      { direction: 'out', text: 'two' },
      { direction: 'out', text: 'internal note', private: true },
      { direction: 'in', text: 'three' },
    ]);
    const first = await (await get(`/api/v1/conversations/${conversationId}/messages?limit=2`)).json();
    expect(first.items.map((m: { text: string }) => m.text)).toEqual(['one', 'two']);
    expect(first.nextCursor).toBe(ids[1]);
    const rest = await (await get(`/api/v1/conversations/${conversationId}/messages?limit=2&after=${first.nextCursor}`)).json();
    expect(rest.items.map((m: { text: string }) => m.text)).toEqual(['three']);
    expect(rest.nextCursor).toBeNull();
    expect(rest.items[0]).toMatchObject({ direction: 'in', authorKind: 'contact', conversationId });
  });
});
