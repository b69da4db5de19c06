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
      itemTitle: z.string().default('title'),
      itemQuantity: z.string().optional(),
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
  /** JSON body; string values may hold `{reason}`, `{id}`, `{number}`. */
  body: z.record(z.string(), z.unknown()).optional(),
});

const settings = z.object({
  baseUrl: z.string().url().describe("The shop's API root, e.g. https://shop.example.com/api."),
  authHeader: z.string().min(1).default('Authorization').describe('The header that carries the secret `authValue`.'),
  findOrder,
  cancelOrder: mutation.optional().describe('Cancel; a 2xx answer means the shop cancelled it.'),
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
