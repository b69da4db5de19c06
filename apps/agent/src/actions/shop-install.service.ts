import { randomBytes, timingSafeEqual } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { SECRET_KEY, SecretBox } from '@cs/config';
import { newId, type ShopInstallReply, type WebhookRequest, type WebhookResponse } from '@cs/contracts';
import { ActionBackendAccount } from '@cs/persistence';
import { authorizeUrl, exchangeCode, shopDomainOf, validRedirect } from './backends/shopify/shopify.oauth';

const beginSchema = z.object({
  tenantId: z.string().uuid(),
  shopDomain: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  publicUrl: z.string().url(),
  apiBaseUrl: z.string().url().optional(),
});

/** How long the merchant has to approve the app. */
const INSTALL_TTL_MS = 30 * 60_000;

interface PendingSecrets {
  clientId: string;
  clientSecret: string;
  state: string;
  startedAt: number;
}

/**
 * Connecting a Shopify store by OAuth (the authorization code grant), with the tenant's own app
 * (client id and secret from Shopify's Dev Dashboard). The start stores a `pending` backend account
 * holding the app's credentials and a random state (sealed like every backend secret); Shopify's
 * redirect to `/hooks/shopify/<account>/oauth` is checked (HMAC by `@shopify/shopify-api`, the state,
 * the shop, the time), the code exchanged for the offline admin token, and the account made active
 * with the token and the app secret (which also signs its webhooks).
 */
@Injectable()
export class ShopInstall {
  private readonly box: SecretBox;

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(SECRET_KEY) secretKey: Buffer,
  ) {
    this.box = new SecretBox(secretKey);
  }

  async begin(payload: unknown): Promise<ShopInstallReply> {
    const parsed = beginSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, status: 400, error: 'invalid install request' };
    const { tenantId, clientId, clientSecret, publicUrl, apiBaseUrl } = parsed.data;
    const shop = shopDomainOf(parsed.data.shopDomain);
    if (!shop) return { ok: false, status: 400, error: 'shopDomain: not a Shopify shop domain (my-shop.myshopify.com)' };
    const state = randomBytes(24).toString('base64url');
    const id = newId();
    const secrets: PendingSecrets = { clientId, clientSecret, state, startedAt: Date.now() };
    await this.ds.getRepository(ActionBackendAccount).save({
      id,
      tenantId,
      backendId: 'shopify',
      name: shop,
      settings: { shopDomain: shop, ...(apiBaseUrl ? { apiBaseUrl } : {}) },
      secretsEncrypted: this.box.seal({ ...secrets }),
      status: 'pending',
    });
    return { ok: true, accountId: id, authorizeUrl: authorizeUrl(shop, clientId, `${publicUrl.replace(/\/+$/, '')}/hooks/shopify/${id}/oauth`, state) };
  }

  /** Shopify's redirect after the merchant approved; the answer is what their browser shows. */
  async finish(accountId: string, request: WebhookRequest): Promise<WebhookResponse & { error?: string }> {
    const repo = this.ds.getRepository(ActionBackendAccount);
    const account = await repo.findOne({ where: { id: accountId, backendId: 'shopify', status: 'pending' } });
    if (!account?.secretsEncrypted) return { status: 404, error: 'no Shopify install in progress here' };
    const pending = this.box.open(account.secretsEncrypted) as unknown as PendingSecrets;
    const query = Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
    const settings = account.settings as { shopDomain: string; apiBaseUrl?: string };
    const sameState = typeof query.state === 'string' && query.state.length === pending.state.length && timingSafeEqual(Buffer.from(query.state), Buffer.from(pending.state));
    if (!sameState || query.shop !== settings.shopDomain || !query.code || Date.now() - pending.startedAt > INSTALL_TTL_MS) {
      return { status: 401, error: 'this approval does not match the install that was started' };
    }
    if (!(await validRedirect(query, pending.clientId, pending.clientSecret))) return { status: 401, error: 'the redirect is not signed by Shopify for this app' };
    let token: { accessToken: string; scope: string };
    try {
      token = await exchangeCode(settings.apiBaseUrl ?? `https://${settings.shopDomain}`, pending.clientId, pending.clientSecret, query.code);
    } catch (err) {
      return { status: 502, error: (err as Error).message };
    }
    account.secretsEncrypted = this.box.seal({ accessToken: token.accessToken, apiSecretKey: pending.clientSecret });
    account.status = 'active';
    await repo.save(account);
    await this.ds.query(
      `INSERT INTO audit_logs (id, tenant_id, actor_kind, actor_id, action, target_type, target_id, detail) VALUES ($1, $2, 'shop', NULL, 'shop.installed', 'action-backend', $3, $4)`,
      [newId(), account.tenantId, account.id, JSON.stringify({ shop: settings.shopDomain, scope: token.scope })],
    );
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `${settings.shopDomain} is connected. You can close this window.` };
  }
}
