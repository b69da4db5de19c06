import { z } from 'zod';
import type { ActionBackendDefinition } from '../../action-backend';
import { HttpActionBackend } from './http.backend';

const method = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** A dot path into the JSON response (`order.customer.email`, `lines`); arrays are read whole. */
const field = z.string().regex(/^[\w-]+(\.[\w-]+)*$/, 'a dot path such as order.customer.email');

const findOrder = z.object({
  method: method.default('GET'),
  path: z.string().startsWith('/').describe('Path template under baseUrl; `{number}` is the order number without `#`.'),
  fields: z
    .object({
      id: field.describe("The order's id, used in the paths of the other operations as `{id}`."),
      number: field.optional(),
      email: field.optional(),
      phone: field.optional(),
      zip: field.optional(),
      status: field,
      items: field.optional().describe('An array of items; each read with `itemTitle` (and `itemQuantity`).'),
      itemId: z.string().default('id').describe("Each item's id, sent back in returns and exchanges."),
      itemTitle: z.string().default('title'),
      itemQuantity: z.string().optional(),
      itemProductId: z.string().optional().describe("Each item's product id, for `productVariants` (exchanges)."),
      itemVariantId: z.string().optional(),
      itemOptions: z.string().optional().describe('Each item\'s options as an object (`{ "size": "M" }`).'),
      itemPrice: z.string().optional(),
      tracking: field.optional().describe('An array of tracking numbers, or of objects read with `trackingNumber`.'),
      trackingNumber: z.string().optional(),
    })
    .describe('Where each fact is in the response.'),
  statuses: z
    .record(z.string(), z.enum(['open', 'shipped', 'delivered', 'cancelled']))
    .describe("The shop's status values and what they mean (`{ \"processing\": \"open\" }`); an unmapped one reads as open."),
});

const mutation = z.object({
  method: method.default('POST'),
  path: z.string().startsWith('/').describe('Path template; `{id}` and `{number}` are the order\'s.'),
  /**
   * JSON body. String values may hold `{id}`, `{number}`, `{reason}` (cancel), `{refund}` (return,
   * exchange, item change: `original_payment` or `store_credit`), `{address1}` `{address2}` `{city}` `{province}`
   * `{zip}` `{country}` (address); a value that is exactly `"{items}"` becomes the list of items
   * (`[{ "id", "quantity" }]`, plus `"new_variant_id"` in an exchange or item change).
   */
  body: z.record(z.string(), z.unknown()).optional(),
});

const productVariants = z.object({
  method: method.default('GET'),
  path: z.string().startsWith('/').describe('Path template; `{productId}` is the item\'s product id.'),
  fields: z.object({
    variants: field.describe('The array of variants.'),
    id: z.string().default('id'),
    title: z.string().default('title'),
    available: z.string().optional().describe('A boolean; unset means every variant is for sale.'),
    price: z.string().optional(),
    options: z.string().optional().describe('The variant\'s options as an object.'),
  }),
});

const settings = z.object({
  baseUrl: z.string().url().describe("The shop's API root, e.g. https://shop.example.com/api."),
  authHeader: z.string().min(1).default('Authorization').describe('The header that carries the secret `authValue`.'),
  findOrder,
  cancelOrder: mutation.optional().describe('Cancel; a 2xx answer means the shop cancelled it.'),
  requestReturn: mutation.optional().describe('Return request; a 2xx answer means the shop created it.'),
  exchange: mutation.optional().describe('Exchange request; a 2xx answer means the shop created it.'),
  modifyItems: mutation.optional().describe("Items of an order not shipped yet swapped for other variants; a 2xx answer means the shop changed them."),
  changeShippingAddress: mutation.optional().describe('Shipping-address change; a 2xx answer means the shop changed it.'),
  productVariants: productVariants.optional().describe("A product's variants, for exchanges."),
  timeoutMs: z.number().int().positive().max(60_000).default(10_000),
});

const secrets = z.object({
  authValue: z.string().min(1).describe('The value of the auth header (`Bearer …`, an API key).'),
});

export type HttpBackendSettings = z.infer<typeof settings>;

/** Any shop system with an HTTP API, declared rather than coded: where an order is read, how it is cancelled. */
export const httpBackendDefinition: ActionBackendDefinition<typeof settings, typeof secrets> = {
  id: 'http',
  title: 'HTTP (declared operations)',
  settings,
  secrets,
  create: (s, k) => new HttpActionBackend(s, k.authValue),
};
