import { createHmac, randomBytes } from 'crypto';
import { BusSubjects, makeEnvelope, MESSAGE_TYPES, textOf, type OutboundMessage } from '@cs/contracts';
import { seedDemo } from '@cs/knowledge';
import { createTestDatabase, waitFor } from '@cs/testing';
import { AgentModule } from '../../../apps/agent/src/agent.module';
import { IntentModels } from '../../../apps/agent/src/pipeline/ai/intent-models.service';
import { FakeShopify } from '../../fakes/shopify/fake-shopify';
import { signIn, startAdminApp, type AdminTestApp, type SignedIn } from '../admin/admin-test-app';
import { webchatMessage } from '../brain/brain-harness';

const SHOP = 'demo-shop.myshopify.com';

/**
 * Connecting a Shopify store by OAuth from the console, as a merchant does it: the console hands out
 * Shopify's authorize URL; Shopify sends the browser back to `/hooks/shopify/<account>/oauth` with a
 * code, signed (HMAC of the query with the app's secret); the agent checks it with
 * `@shopify/shopify-api`, exchanges the code at our fake Shopify and the store is connected.
 */
describe('connecting a Shopify store by OAuth', () => {
  let t: AdminTestApp;
  let shop: FakeShopify;
  let owner: SignedIn;
  let tenantId: string;

  beforeAll(async () => {
    shop = await new FakeShopify().start();
    const databaseUrl = await createTestDatabase('shopifyinstall');
    t = await startAdminApp('shopifyinstall', { root: 'gateway', imports: [AgentModule], databaseUrl, serve: true, env: { SECRET_KEY: randomBytes(24).toString('hex') } });
    tenantId = (await seedDemo(t.db, { publicUrl: 'http://shop.test' })).tenantId;
    await t.app.get(IntentModels).forTenant(undefined);
    owner = await signIn(t, 'owner', tenantId);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await shop?.stop();
  });

  async function start() {
    const res = await t.http().post('/api/v1/shop/shopify/install').set(owner.auth).send({ shopDomain: SHOP, clientId: shop.app.clientId, clientSecret: shop.app.clientSecret, apiBaseUrl: shop.origin }).expect(201);
    return { accountId: res.body.accountId as string, url: new URL(res.body.authorizeUrl as string) };
  }
  /** The redirect Shopify makes after the merchant approves, signed as Shopify signs it. */
  function redirect(url: URL, overrides: Record<string, string> = {}, secret = shop.app.clientSecret) {
    const query: Record<string, string> = { code: shop.grantCode(), host: Buffer.from(`${SHOP}/admin`).toString('base64'), shop: SHOP, state: url.searchParams.get('state') as string, timestamp: String(Math.floor(Date.now() / 1000)), ...overrides };
    const signed = new URLSearchParams(Object.keys(query).sort().map((k) => [k, query[k]])).toString();
    const hmac = createHmac('sha256', secret).update(signed).digest('hex');
    return t.http().get(new URL(url.searchParams.get('redirect_uri') as string).pathname).query({ ...query, hmac });
  }

  it('sends the merchant to Shopify, connects the store on the signed redirect, and the agent then acts on it', async () => {
    const { accountId, url } = await start();
    expect(url.origin).toBe(`https://${SHOP}`);
    expect(url.pathname).toBe('/admin/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe(shop.app.clientId);
    expect(url.searchParams.get('scope')).toContain('write_orders');
    expect(url.searchParams.get('redirect_uri')).toMatch(new RegExp(`/hooks/shopify/${accountId}/oauth$`));

    const back = await redirect(url).expect(200);

    expect(back.text).toBe(`${SHOP} is connected. You can close this window.`);
    const [account] = await t.db.query(`SELECT status, secrets_encrypted FROM action_backends WHERE id = $1`, [accountId]);
    expect(account.status).toBe('active');
    expect(account.secrets_encrypted).not.toContain(shop.accessToken);
    expect(account.secrets_encrypted).not.toContain(shop.app.clientSecret);
    // The same code again: the install is finished, nothing is pending there any more.
    await redirect(url).expect(404);

    const outbox: OutboundMessage[] = [];
    await t.bus.consume({ durable: 'install-outbox', filterSubjects: [BusSubjects.msgOutChannel('webchat')] }, async (m) => void outbox.push(m.envelope.data as OutboundMessage));
    const [webchat] = await t.db.query(`SELECT id FROM channel_accounts WHERE tenant_id = $1 AND connector_id = 'webchat'`, [tenantId]);
    const order = shop.orderWithStatus('delivered');
    const message = webchatMessage(webchat.id, 'visitor-install', `where is my order ${order.name}? my email is ${order.email}`);
    await t.bus.publish(BusSubjects.msgIn('webchat', tenantId), makeEnvelope(MESSAGE_TYPES.inbound, tenantId, message));
    const reply = await waitFor(() => outbox.find((o) => o.channelData.replyToExternalMessageId === message.externalMessageId), { timeoutMs: 60_000, what: 'the reply' });
    expect(textOf(reply.parts)).toBe(`Order ${order.name} has been delivered. Tracking number: ${order.tau.fulfillments[0].tracking_id[0]} (UPS).`);
  });

  it('refuses a redirect not signed with the app secret, for another shop, or with another state (401), and connects nothing', async () => {
    const { accountId, url } = await start();

    await redirect(url, {}, 'not-the-secret').expect(401);
    await redirect(url, { state: 'forged-state' }).expect(401);
    await redirect(url, { shop: 'other-shop.myshopify.com' }).expect(401);

    const [account] = await t.db.query(`SELECT status FROM action_backends WHERE id = $1`, [accountId]);
    expect(account.status).toBe('pending');
  });

  it('refuses a shop domain that is not Shopify’s, naming the field', async () => {
    const res = await t.http().post('/api/v1/shop/shopify/install').set(owner.auth).send({ shopDomain: 'evil.example.com', clientId: 'x', clientSecret: 'y' }).expect(400);
    expect(res.body.error.message).toContain('shopDomain');
    const agent = await signIn(t, 'agent', tenantId);
    await t.http().post('/api/v1/shop/shopify/install').set(agent.auth).send({ shopDomain: SHOP, clientId: 'x', clientSecret: 'y' }).expect(403);
  });
});
