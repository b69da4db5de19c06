import type { WebhookRequest } from '@cs/contracts';
import type { z } from 'zod';

/** An order as every backend reports it: what identity checks and the agent's answers need, nothing more. */
export interface ShopOrder {
  /** The backend's own id (a Shopify GID), for the calls that change the order. */
  id: string;
  /** What the customer calls it (`#1001`, `#W2611340`). */
  number: string;
  email: string | null;
  phone: string | null;
  /** The shipping address's zip/postcode, for identity off the email and phone channels. */
  zip: string | null;
  /** `open` (not shipped), `shipped` (some or all on its way), `delivered`, `cancelled`. */
  status: 'open' | 'shipped' | 'delivered' | 'cancelled';
  items: ShopOrderItem[];
  tracking: { number: string; company?: string; url?: string }[];
  /** When it was placed (ISO 8601), when the backend says: the newest order is "my last order". */
  placedAt?: string;
}

/** A line of an order; the variant facts are there when the backend knows them (exchanges need them). */
export interface ShopOrderItem {
  id: string;
  title: string;
  quantity: number;
  /** The variant bought (`gid://shopify/ProductVariant/…`), its product, and its options (`{ size: 'M' }`). */
  variantId?: string;
  productId?: string;
  options?: Record<string, string>;
  /** Unit price in the order's currency. */
  price?: number;
}

/** A variant of a product a customer can exchange to. */
export interface ProductVariant {
  id: string;
  title: string;
  options: Record<string, string>;
  available: boolean;
  price?: number;
}

/** Where a refund, or an exchange's price difference, goes: the original payment, or store credit (a gift card). */
export type RefundMethod = 'original_payment' | 'store_credit';

export interface ShippingAddress {
  address1: string;
  address2?: string;
  city: string;
  zip: string;
  province?: string;
  country: string;
}

/** Why a backend did not do what was asked; the act stage maps each to what the customer is told. */
export type ActionErrorCode =
  /** The backend refused this request (already cancelled, already shipped...): nothing changed. */
  | 'rejected'
  /** Timed out, 5xx, throttled, unreachable: whether anything changed is the backend's to say, not ours. */
  | 'unavailable'
  /** The token is wrong or lacks a scope: a configuration problem for the shop, not the customer. */
  | 'unauthorized'
  /** This backend cannot do this action. */
  | 'unsupported';

/** Vendor errors are translated at the backend's edge (HOUSE-STYLE, Twenty); raw ones never leave it. */
export class ActionBackendError extends Error {
  constructor(
    readonly code: ActionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ActionBackendError';
  }
}

/** What a mutating call reports: `done` only when the backend said the change is made. */
export interface MutationResult {
  /** `done`: made; `pending`: accepted and still running on the backend's side (Shopify's cancel job). */
  state: 'done' | 'pending';
  /** The backend's id of what it created (a return), when there is one. */
  reference?: string;
}

/**
 * One shop system the agent acts on. Lookups return null for an order that does not exist; every
 * mutating call takes an idempotency key (one per confirmed action call) and throws
 * ActionBackendError when the backend did not do it.
 */
export interface ActionBackend {
  findOrder(number: string): Promise<ShopOrder | null>;
  /** `customerReason`: the customer's own words for why ("no longer needed"), kept on the order for the shop. */
  cancelOrder(order: ShopOrder, reason: 'customer' | 'other', idempotencyKey: string, customerReason?: string): Promise<MutationResult>;
  requestReturn(order: ShopOrder, items: { id: string; quantity: number }[], refundMethod: RefundMethod, idempotencyKey: string): Promise<MutationResult>;
  /** `payment`: where the price difference is charged or refunded (the original payment when unset). */
  exchange(order: ShopOrder, items: { id: string; quantity: number; newVariantId: string }[], idempotencyKey: string, payment?: RefundMethod): Promise<MutationResult>;
  changeShippingAddress(order: ShopOrder, address: ShippingAddress, idempotencyKey: string): Promise<MutationResult>;
  /**
   * Items of an order not shipped yet swapped for other variants of the same product (an order edit);
   * `payment`: where the price difference is charged or refunded (the original payment when unset).
   */
  modifyItems(order: ShopOrder, items: { id: string; quantity: number; newVariantId: string }[], idempotencyKey: string, payment?: RefundMethod): Promise<MutationResult>;
  /**
   * The orders placed with this email address, newest first. Only for a customer whose channel proves
   * the address (an email from it): never for an address someone typed.
   */
  findOrdersByEmail?(email: string): Promise<ShopOrder[]>;
  /** The variants of a product, for an exchange to another size, colour or option. */
  productVariants?(productId: string): Promise<ProductVariant[]>;
}

/**
 * A backend plugin, declared like a connector: settings (non-secret) and secrets as zod schemas with
 * a description on every field, and how to build the backend from them. Registered in one list
 * (backends/index.ts).
 */
export interface ActionBackendDefinition<S extends z.ZodTypeAny = z.ZodTypeAny, K extends z.ZodTypeAny = z.ZodTypeAny> {
  id: string;
  title: string;
  settings: S;
  secrets: K;
  create(settings: z.infer<S>, secrets: z.infer<K>): ActionBackend;
  /**
   * Verifies and reads a webhook the shop system sends (`/hooks/<backend id>/<account id>`, e.g.
   * Shopify's order updates); absent when it sends none. Verification is the plugin's: its signature.
   */
  webhook?(settings: z.infer<S>, secrets: z.infer<K>, request: WebhookRequest): Promise<BackendWebhook>;
}

/** A backend's webhook once verified (`ok`), or why it is refused (the HTTP status the sender gets). */
export type BackendWebhook =
  | { ok: true; topic: string; /** The sender's id of this delivery: a redelivery is recorded once. */ eventId: string; order?: string }
  | { ok: false; status: 400 | 401; error: string };
