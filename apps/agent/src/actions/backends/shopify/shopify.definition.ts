import { z } from 'zod';
import type { ActionBackendDefinition } from '../../action-backend';
import { ShopifyActionBackend } from './shopify.backend';
import { verifyShopifyWebhook } from './shopify.webhook';

const settings = z.object({
  shopDomain: z.string().min(1).describe('The store: `my-shop.myshopify.com`.'),
  apiVersion: z.string().regex(/^\d{4}-\d{2}$|^unstable$/).default('2025-10').describe('Admin API version, `YYYY-MM`.'),
  apiBaseUrl: z
    .string()
    .url()
    .optional()
    .describe('Where requests go instead of https://<shopDomain> (a proxy, or a test server); the path stays /admin/api/<version>/graphql.json.'),
});

const secrets = z.object({
  accessToken: z.string().min(1).describe('Admin API access token of a custom app (scopes read_orders, write_orders).'),
  apiSecretKey: z
    .string()
    .min(1)
    .optional()
    .describe("The app's API secret key, which signs its webhooks (X-Shopify-Hmac-Sha256); without it order-update webhooks are refused."),
});

export const shopifyBackendDefinition: ActionBackendDefinition<typeof settings, typeof secrets> = {
  id: 'shopify',
  title: 'Shopify (Admin GraphQL)',
  settings,
  secrets,
  create: (s, k) => new ShopifyActionBackend({ ...s, accessToken: k.accessToken }),
  webhook: (s, k, request) => verifyShopifyWebhook(s, k, request),
};
