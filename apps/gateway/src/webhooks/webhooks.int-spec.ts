import { BusSubjects, webhookRequestSchema } from '@cs/contracts';
import type { Subscription } from '@cs/messaging';
import { startGatewayTestApp, type GatewayTestApp } from '../testing/gateway-test-app';

jest.setTimeout(60_000);

describe('webhook bridge', () => {
  let t: GatewayTestApp;
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    t = await startGatewayTestApp({ env: { PUBLIC_URL: 'https://support.example.com/', WEBHOOK_TIMEOUT_MS: '300' } });
  });

  afterAll(async () => {
    await Promise.all(subscriptions.map((s) => s.unsubscribe()));
    await t?.close();
  });

  it("forwards the exact request to the connector and writes the connector's answer back", async () => {
    const seen: unknown[] = [];
    subscriptions.push(
      t.bus.reply(BusSubjects.webhook('fake-sms'), async (payload) => {
        seen.push(payload);
        return { status: 201, headers: { 'content-type': 'text/xml', 'x-connector': 'fake' }, body: '<Response/>' };
      }),
    );
    const accountId = '0190f5c6-1111-7000-8000-000000000001';
    // Signatures cover the exact bytes: spacing and key order must survive the trip.
    const raw = '{ "b":1,  "a" : "é" }';
    const res = await fetch(`http://127.0.0.1:${new URL(t.url).port}/hooks/fake-sms/${accountId}/status?x=1&x=2&y=z`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Signature': 'abc', Host: 'internal-proxy:8080' },
      body: raw,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-connector')).toBe('fake');
    expect(res.headers.get('content-type')).toContain('text/xml');
    expect(await res.text()).toBe('<Response/>');

    expect(seen).toHaveLength(1);
    const forwarded = seen[0] as Record<string, unknown>;
    const request = webhookRequestSchema.parse(forwarded);
    expect(forwarded).toMatchObject({ connectorId: 'fake-sms', channelAccountId: accountId });
    expect(Buffer.from(request.bodyBase64, 'base64').toString('utf8')).toBe(raw);
    expect(request.url).toBe(`https://support.example.com/hooks/fake-sms/${accountId}/status?x=1&x=2&y=z`);
    expect(request.path).toBe(`/hooks/fake-sms/${accountId}/status`);
    expect(request.method).toBe('POST');
    expect(request.query).toEqual({ x: ['1', '2'], y: 'z' });
    expect(request.headers['x-signature']).toBe('abc');
  });

  it('keeps form-encoded bodies raw too and omits the account when the path names none', async () => {
    let forwarded: Record<string, unknown> | undefined;
    subscriptions.push(
      t.bus.reply(BusSubjects.webhook('fake-form'), async (payload) => {
        forwarded = payload as Record<string, unknown>;
        return { status: 200 };
      }),
    );
    const res = await fetch(`${t.url}/hooks/fake-form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Body=Hello+there&From=%2B15550001',
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(String(forwarded?.bodyBase64), 'base64').toString()).toBe('Body=Hello+there&From=%2B15550001');
    expect(forwarded).not.toHaveProperty('channelAccountId');
  });

  it('answers 404 for a connector nobody serves', async () => {
    const res = await fetch(`${t.url}/hooks/no-such-connector/x`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('answers 503 when the connector does not answer in time', async () => {
    subscriptions.push(t.bus.reply(BusSubjects.webhook('slow'), () => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 2000))));
    const res = await fetch(`${t.url}/hooks/slow`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
  });
});
