import { createHmac, randomBytes } from 'crypto';
import { newId } from '@cs/contracts';
import { createTestDatabase } from '@cs/testing';
import { AgentModule } from '../../../apps/agent/src/agent.module';
import { runConnectBackend } from '../../../apps/agent/src/actions/connect-backend.cli';
import { createTenant, startAdminApp, type AdminTestApp } from '../admin/admin-test-app';

const SECRET_KEY = randomBytes(24).toString('hex');
const APP_SECRET = 'shpss_app_secret_for_the_spec';
const SHOP = 'demo-shop.myshopify.com';

/**
 * Shopify's order webhooks at the public edge: `/hooks/shopify/<account id>` on the gateway, bridged
 * to the agent, which checks `X-Shopify-Hmac-Sha256` over the raw body with the app's secret through
 * `@shopify/shopify-api`. Requests are made as Shopify makes them: JSON body, HMAC-SHA256 in base64.
 */
describe('Shopify order webhooks', () => {
  let t: AdminTestApp;
  let tenantId: string;
  let accountId: string;
  let unsignedAccountId: string;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('shopifywebhooks');
    t = await startAdminApp('shopifywebhooks', { root: 'gateway', imports: [AgentModule], databaseUrl, serve: true, env: { SECRET_KEY } });
    tenantId = (await createTenant(t.db, 'Webhook shop')).id;
    const connect = (secrets: Record<string, string>) =>
      runConnectBackend(['--tenant', tenantId, '--backend', 'shopify', '--settings', JSON.stringify({ shopDomain: SHOP })], {
        DATABASE_URL: databaseUrl,
        SECRET_KEY,
        ACTION_BACKEND_SECRETS: JSON.stringify(secrets),
      });
    accountId = await connect({ accessToken: 'shpat_x', apiSecretKey: APP_SECRET });
    unsignedAccountId = await connect({ accessToken: 'shpat_y' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const body = (name: string) => JSON.stringify({ id: 820982911946154500, name, email: 'jon@example.com', cancelled_at: '2026-12-07T10:00:00Z' });
  const sign = (raw: string, secret = APP_SECRET) => createHmac('sha256', secret).update(raw, 'utf8').digest('base64');
  function deliver(account: string, raw: string, headers: Record<string, string>) {
    return t
      .http()
      .post(`/hooks/shopify/${account}`)
      .set({
        'Content-Type': 'application/json',
        'X-Shopify-Topic': 'orders/cancelled',
        'X-Shopify-Shop-Domain': SHOP,
        'X-Shopify-API-Version': '2025-10',
        'X-Shopify-Webhook-Id': newId(),
        ...headers,
      })
      .send(raw);
  }
  const recorded = () => t.db.query(`SELECT actor_kind, detail FROM audit_logs WHERE tenant_id = $1 AND action = 'shop.order_updated' ORDER BY id`, [tenantId]);

  it('records a signed order update once, however often Shopify delivers it', async () => {
    const raw = body('#1001');
    const id = newId();

    await deliver(accountId, raw, { 'X-Shopify-Hmac-Sha256': sign(raw), 'X-Shopify-Webhook-Id': id }).expect(200);
    await deliver(accountId, raw, { 'X-Shopify-Hmac-Sha256': sign(raw), 'X-Shopify-Webhook-Id': id }).expect(200);

    expect(await recorded()).toEqual([{ actor_kind: 'shop', detail: { topic: 'orders/cancelled', order: '#1001', eventId: id } }]);
  });

  it('refuses a bad signature, a missing one, or one made with another secret (401), and records nothing', async () => {
    const before = (await recorded()).length;
    const raw = body('#1002');

    const bad = await deliver(accountId, raw, { 'X-Shopify-Hmac-Sha256': sign(raw, 'not the secret') }).expect(401);
    expect(bad.body.error.message).toContain('invalid_hmac');
    await deliver(accountId, raw, {}).expect(401);
    // The body changed after signing: the signature covers the raw bytes.
    await deliver(accountId, body('#1003'), { 'X-Shopify-Hmac-Sha256': sign(raw) }).expect(401);

    expect((await recorded()).length).toBe(before);
  });

  it('refuses a webhook signed for another shop, and one for a shop with no app secret configured', async () => {
    const raw = body('#1004');
    await deliver(accountId, raw, { 'X-Shopify-Hmac-Sha256': sign(raw), 'X-Shopify-Shop-Domain': 'other-shop.myshopify.com' }).expect(401);
    await deliver(unsignedAccountId, raw, { 'X-Shopify-Hmac-Sha256': sign(raw) }).expect(401);
  });

  it('answers 404 for an account that does not exist, and 400 when a header Shopify always sends is missing', async () => {
    const raw = body('#1005');
    await deliver(newId(), raw, { 'X-Shopify-Hmac-Sha256': sign(raw) }).expect(404);
    await t.http().post('/hooks/shopify').set('Content-Type', 'application/json').send(raw).expect(404);
    const missing = await deliver(accountId, raw, { 'X-Shopify-Hmac-Sha256': sign(raw), 'X-Shopify-Topic': '' }).expect(400);
    expect(missing.body.error.message).toContain('X-Shopify-Topic');
  });
});
