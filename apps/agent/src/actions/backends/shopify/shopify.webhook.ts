import { LogSeverity, shopifyApi, type Shopify } from '@shopify/shopify-api';
import type { WebhookRequest } from '@cs/contracts';
import type { BackendWebhook } from '../../action-backend';

// The library's runtime adapter (Node 20's fetch, Request and WebCrypto), a side-effect module. Required
// rather than imported: TypeScript's node10 resolution finds the package's uncompiled adapter sources
// (which do not type-check here) instead of the compiled entry its exports map gives Node.
require('@shopify/shopify-api/adapters/web-api');

/** The order topics the agent listens to; others are acknowledged and ignored. */
export const SHOPIFY_ORDER_TOPICS = ['orders/updated', 'orders/cancelled', 'orders/fulfilled', 'orders/paid', 'orders/create'];

const apis = new Map<string, Shopify>();

/** One library instance per app secret (a custom store app: the admin token, the secret that signs its webhooks). */
function apiFor(shopDomain: string, apiVersion: string, apiSecretKey: string, accessToken: string): Shopify {
  const key = `${shopDomain}\n${apiVersion}\n${apiSecretKey}`;
  let api = apis.get(key);
  if (!api) {
    api = shopifyApi({
      apiSecretKey,
      adminApiAccessToken: accessToken,
      isCustomStoreApp: true,
      hostName: 'localhost',
      apiVersion: apiVersion as Shopify['config']['apiVersion'],
      isEmbeddedApp: false,
      logger: { level: LogSeverity.Error },
    });
    apis.set(key, api);
  }
  return api;
}

/**
 * A Shopify webhook, checked by the official library (`@shopify/shopify-api`, `webhooks.validate`):
 * `X-Shopify-Hmac-Sha256` must be the HMAC-SHA256 of the raw body with the app's API secret, and the
 * topic, shop, API version and webhook id headers must be there. A request that fails is refused
 * (401 for a bad signature) and nothing of it is read.
 */
export async function verifyShopifyWebhook(
  settings: { shopDomain: string; apiVersion: string },
  secrets: { accessToken: string; apiSecretKey?: string },
  request: WebhookRequest,
): Promise<BackendWebhook> {
  if (!secrets.apiSecretKey) return { ok: false, status: 401, error: 'this shop has no API secret key configured to check webhook signatures' };
  const rawBody = Buffer.from(request.bodyBase64, 'base64').toString('utf8');
  const rawRequest = new Request(request.url, { method: request.method, headers: request.headers });
  const api = apiFor(settings.shopDomain, settings.apiVersion, secrets.apiSecretKey, secrets.accessToken);
  const result = await api.webhooks.validate({ rawBody, rawRequest });
  if (!result.valid) {
    const missing = 'missingHeaders' in result ? ` (missing ${result.missingHeaders.join(', ')})` : '';
    return { ok: false, status: result.reason === 'invalid_hmac' || result.reason === 'missing_hmac' ? 401 : 400, error: `webhook refused: ${result.reason}${missing}` };
  }
  if (!('topic' in result) || !('webhookId' in result)) return { ok: false, status: 400, error: 'webhook refused: not a Shopify webhook' };
  if (result.domain !== settings.shopDomain) return { ok: false, status: 401, error: 'webhook refused: signed for another shop' };
  const topic = result.topic.toLowerCase().replace(/_/g, '/');
  let order: string | undefined;
  if (SHOPIFY_ORDER_TOPICS.includes(topic)) {
    try {
      const body = JSON.parse(rawBody) as { name?: unknown };
      if (typeof body.name === 'string') order = body.name;
    } catch {
      return { ok: false, status: 400, error: 'webhook refused: the body is not JSON' };
    }
  }
  return { ok: true, topic, eventId: result.webhookId, order };
}
