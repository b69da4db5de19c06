import { Global, Module } from '@nestjs/common';
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import { SECRET_KEY, SecretBox } from '@cs/config';
import { BusSubjects, MESSAGE_TYPES, makeEnvelope, newId } from '@cs/contracts';
import { WebhookSubscription } from '@cs/persistence';
import { waitFor } from '@cs/testing';
import { WEBHOOK_DELIVERY_OPTIONS } from '../../../apps/gateway/src/admin/webhooks/webhook-dispatcher.service';
import { SIGNATURE_HEADER, verifyWebhook } from '../../../apps/gateway/src/admin/webhooks/webhook-signature';
import { createTenant, seedConversation, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

/** Retries within the test's patience instead of minutes. */
@Global()
@Module({ providers: [{ provide: WEBHOOK_DELIVERY_OPTIONS, useValue: { backoffMs: [200], maxDeliver: 5, timeoutMs: 2000 } }], exports: [WEBHOOK_DELIVERY_OPTIONS] })
class FastRetriesModule {}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('outbound webhooks: signed, filtered by event, retried until the endpoint takes them', () => {
  let t: AdminTestApp;
  let owner: SignedIn;
  let tenantId: string;
  let server: Server;
  let endpoint: string;
  const received: Received[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = failuresLeft-- > 0 ? 503 : 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/support`;
    t = await startAdminApp('adminwebhooks', { imports: [FastRetriesModule] });
    tenantId = (await createTenant(t.db)).id;
    owner = await signIn(t, 'owner', tenantId);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('delivers a subscribed event signed with the secret shown at creation, retrying after the endpoint fails', async () => {
    const created = await t.http().post('/api/v1/webhooks').set(owner.auth).send({ url: endpoint, events: ['resolved'] }).expect(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^whsec_/);
    const listed = await t.http().get('/api/v1/webhooks').set(owner.auth).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const { conversation } = await seedConversation(t.db, tenantId);
    failuresLeft = 2;
    await t.http().post(`/api/v1/conversations/${conversation.id}/assign`).set(owner.auth).send({}).expect(200);
    await t.http().post(`/api/v1/conversations/${conversation.id}/resolve`).set(owner.auth).expect(200);

    await waitFor(() => received.length >= 3, { what: 'two failed attempts and a delivery', timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 500));
    // Only `resolved` was subscribed: the assignment was never sent; three attempts of one event.
    expect(received).toHaveLength(3);
    const bodies = received.map((r) => JSON.parse(r.body));
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(bodies[2]).toMatchObject({ type: 'conversation.resolved', tenantId, data: { conversationId: conversation.id, status: 'resolved' } });
    for (const r of received) expect(verifyWebhook(secret, r.body, String(r.headers[SIGNATURE_HEADER]))).toBe(true);
    expect(verifyWebhook('whsec_other', received[2].body, String(received[2].headers[SIGNATURE_HEADER]))).toBe(false);

    const after = await t.http().get('/api/v1/webhooks').set(owner.auth).expect(200);
    expect(after.body.items[0]).toMatchObject({ lastStatus: 'ok', lastError: null });
  });

  it('delivers the delivery state of an outgoing message to a webhook subscribed to `delivery`', async () => {
    const created = await t.http().post('/api/v1/webhooks').set(owner.auth).send({ url: endpoint, events: ['delivery'] }).expect(201);
    const { conversation } = await seedConversation(t.db, tenantId);
    received.length = 0;
    // As the connectors' one writer of delivery state announces it, after writing the row.
    const status = { messageId: newId(), externalMessageId: 'SM0001', connectorId: 'twilio-sms', state: 'delivered' as const };
    await t.bus.publish(BusSubjects.msgStatus('sms', tenantId), makeEnvelope(MESSAGE_TYPES.status, tenantId, status, { conversationId: conversation.id }));

    await waitFor(() => received.length >= 1, { what: 'the delivery event', timeoutMs: 15_000 });
    const body = JSON.parse(received[0].body);
    expect(body).toMatchObject({ type: 'message.delivery', tenantId, data: status });
    expect(received[0].headers['x-cs-event']).toBe('message.delivery');
    await t.http().delete(`/api/v1/webhooks/${created.body.id}`).set(owner.auth).expect(204);
  });

  it('gives a new `delivery` webhook the states from its creation on, not those announced before it', async () => {
    // No webhook takes `delivery` now: the dispatcher lets go of the consumer, and the stream keeps
    // what is announced meanwhile until one does.
    const { conversation } = await seedConversation(t.db, tenantId);
    received.length = 0;
    const status = (externalMessageId: string) => ({ messageId: newId(), externalMessageId, connectorId: 'twilio-sms', state: 'delivered' as const });
    const before = makeEnvelope(MESSAGE_TYPES.status, tenantId, status('SM-before'), { conversationId: conversation.id });
    await t.bus.publish(BusSubjects.msgStatus('sms', tenantId), { ...before, occurredAt: new Date(Date.now() - 5 * 60_000).toISOString() });

    const created = await t.http().post('/api/v1/webhooks').set(owner.auth).send({ url: endpoint, events: ['delivery'] }).expect(201);
    await t.bus.publish(BusSubjects.msgStatus('sms', tenantId), makeEnvelope(MESSAGE_TYPES.status, tenantId, status('SM-after'), { conversationId: conversation.id }));

    await waitFor(() => received.length >= 1, { what: 'the delivery event', timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(received.map((r) => JSON.parse(r.body).data.externalMessageId)).toEqual(['SM-after']);
    await t.http().delete(`/api/v1/webhooks/${created.body.id}`).set(owner.auth).expect(204);
  });

  it('pings an endpoint on request and says how it answered', async () => {
    const created = await t.http().post('/api/v1/webhooks').set(owner.auth).send({ url: endpoint }).expect(201);
    failuresLeft = 1;
    expect((await t.http().post(`/api/v1/webhooks/${created.body.id}/ping`).set(owner.auth).expect(200)).body).toEqual({ ok: false, error: 'HTTP 503' });
    expect((await t.http().post(`/api/v1/webhooks/${created.body.id}/ping`).set(owner.auth).expect(200)).body).toEqual({ ok: true, error: null });
    await t.http().delete(`/api/v1/webhooks/${created.body.id}`).set(owner.auth).expect(204);
  });

  it('refuses a URL that is not http(s)', async () => {
    const res = await t.http().post('/api/v1/webhooks').set(owner.auth).send({ url: 'ftp://example.test/x' }).expect(400);
    expect(res.body.error.fields[0].path).toBe('url');
  });
});

describe('outbound webhooks with private targets and http refused (the production default)', () => {
  let t: AdminTestApp;
  let owner: SignedIn;
  let tenantId: string;
  let server: Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end());
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    t = await startAdminApp('adminwebhooksstrict', { env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', WEBHOOK_ALLOW_HTTP: 'false' } });
    tenantId = (await createTenant(t.db)).id;
    owner = await signIn(t, 'owner', tenantId);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['https://127.0.0.1/hook', '127.0.0.1 is loopback, not a public address'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254 is link-local, not a public address'],
    ['https://10.0.0.8/hook', '10.0.0.8 is private, not a public address'],
    ['https://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1 is loopback, not a public address'],
    ['https://[fd00::1]/hook', 'fd00::1 is unique-local, not a public address'],
    ['http://93.184.216.34/hook', 'must be an https URL'],
  ])('refuses to register %s with a 400 naming the url and why', async (url, message) => {
    const res = await t.http().post('/api/v1/webhooks').set(owner.auth).send({ url }).expect(400);
    expect(res.body.error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', fields: [{ path: 'url', message }] });
  });

  it('refuses a tenant model endpoint (settings llmBaseUrl) on a private address or over http, with a 400 naming the field', async () => {
    for (const [llmBaseUrl, message] of [
      ['https://10.0.0.8/v1', '10.0.0.8 is private, not a public address'],
      ['http://93.184.216.34/v1', 'must be an https URL'],
    ]) {
      const res = await t.http().patch('/api/v1/settings').set(owner.auth).send({ llmBaseUrl }).expect(400);
      expect(res.body.error.fields).toEqual([{ path: 'llmBaseUrl', message }]);
    }
    const kept = await t.http().get('/api/v1/settings').set(owner.auth).expect(200);
    expect(kept.body.settings.llmBaseUrl).toBeUndefined();
  });

  it('refuses a host name that resolves to loopback, on create and on update', async () => {
    const res = await t.http().post('/api/v1/webhooks').set(owner.auth).send({ url: `https://localhost:${port}/hook` }).expect(400);
    expect(res.body.error.fields).toEqual([{ path: 'url', message: expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1), which is loopback/) }]);
    const row = await saveWebhook(t, tenantId, 'https://93.184.216.34/hook');
    const patched = await t.http().patch(`/api/v1/webhooks/${row.id}`).set(owner.auth).send({ url: 'https://127.0.0.2/hook' }).expect(400);
    expect(patched.body.error.fields).toEqual([{ path: 'url', message: '127.0.0.2 is loopback, not a public address' }]);
    await t.db.manager.delete(WebhookSubscription, { id: row.id });
  });

  it('marks a delivery failed, without connecting, when the target now resolves to a refused address', async () => {
    // As if `localhost` had resolved to a public address when it was registered (DNS rebinding).
    const row = await saveWebhook(t, tenantId, `https://localhost:${port}/hook`);
    const { conversation } = await seedConversation(t.db, tenantId);
    await t.http().post(`/api/v1/conversations/${conversation.id}/resolve`).set(owner.auth).expect(200);

    const failed = await waitFor(
      async () => {
        const current = await t.db.manager.findOneByOrFail(WebhookSubscription, { id: row.id });
        return current.lastStatus === 'failed' ? current : undefined;
      },
      { what: 'the delivery to be marked failed', timeoutMs: 10_000 },
    );
    expect(failed.lastError).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1), which is loopback, not a public address$/);
    const ping = await t.http().post(`/api/v1/webhooks/${row.id}/ping`).set(owner.auth).expect(200);
    expect(ping.body).toEqual({ ok: false, error: expect.stringMatching(/^refused: localhost resolves to/) });
    expect(connections).toBe(0);
  });
});

/** A subscription stored as it was when its URL passed the checks, bypassing today's. */
async function saveWebhook(t: AdminTestApp, tenantId: string, url: string): Promise<WebhookSubscription> {
  const secretEncrypted = new SecretBox(t.app.get(SECRET_KEY)).encrypt('whsec_test');
  return t.db.manager.save(
    t.db.manager.create(WebhookSubscription, { id: newId(), tenantId, url, events: [], secretEncrypted, active: true, lastDeliveryAt: null, lastStatus: null, lastError: null }),
  );
}
