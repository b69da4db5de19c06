import { LogSeverity, shopifyApi, type Shopify } from '@shopify/shopify-api';

/** What the agent needs from a shop: read orders and cancel, return, change them. */
export const SHOPIFY_SCOPES = 'read_orders,write_orders,read_returns,write_returns';

function apiFor(clientId: string, clientSecret: string): Shopify {
  // Runtime adapter: see shopify.webhook.ts.
  require('@shopify/shopify-api/adapters/web-api');
  return shopifyApi({ apiKey: clientId, apiSecretKey: clientSecret, hostName: 'localhost', apiVersion: '2025-10' as Shopify['config']['apiVersion'], isEmbeddedApp: false, logger: { level: LogSeverity.Error } });
}

/** `my-shop.myshopify.com`, or null for anything that is not a Shopify shop domain (the library's check). */
export function shopDomainOf(shop: string): string | null {
  return apiFor('x', 'x').utils.sanitizeShop(shop, false);
}

/** Where the merchant approves the app (Shopify's authorization code grant). */
export function authorizeUrl(shop: string, clientId: string, redirectUri: string, state: string): string {
  const query = new URLSearchParams({ client_id: clientId, scope: SHOPIFY_SCOPES, redirect_uri: redirectUri, state });
  return `https://${shop}/admin/oauth/authorize?${query.toString()}`;
}

/**
 * Shopify's redirect back to us, checked with the official library: the query's `hmac` (HMAC-SHA256
 * of the other parameters with the app's client secret) and its timestamp (90 s). The state and the
 * shop are ours to compare.
 */
export async function validRedirect(query: Record<string, string>, clientId: string, clientSecret: string): Promise<boolean> {
  try {
    return await apiFor(clientId, clientSecret).utils.validateHmac(query as unknown as Parameters<Shopify['utils']['validateHmac']>[0]);
  } catch {
    return false;
  }
}

/** The code for the offline admin token: `POST /admin/oauth/access_token`. */
export async function exchangeCode(origin: string, clientId: string, clientSecret: string, code: string): Promise<{ accessToken: string; scope: string }> {
  const res = await fetch(`${origin}/admin/oauth/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ client_id: clientId, client_secret: clientSecret, code }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; scope?: unknown };
  if (!res.ok || typeof body.access_token !== 'string') throw new Error(`Shopify refused the code (${res.status})`);
  return { accessToken: body.access_token, scope: typeof body.scope === 'string' ? body.scope : '' };
}
