import { Global, Module } from '@nestjs/common';
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
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
