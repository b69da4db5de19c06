import { ActionBackendError, type ActionBackend, type MutationResult, type ProductVariant, type RefundMethod, type ShippingAddress, type ShopOrder } from '../../action-backend';
import type { HttpBackendSettings } from './http.definition';

/**
 * A shop's own HTTP API, as the tenant declared it (http.definition.ts). Every mutating request
 * carries `Idempotency-Key`; a 2xx answer is the shop saying it did it, 4xx that it refused, 5xx or a
 * timeout that we do not know.
 */
export class HttpActionBackend implements ActionBackend {
  constructor(
    private readonly settings: HttpBackendSettings,
    private readonly authValue: string,
  ) {}

  async findOrder(number: string): Promise<ShopOrder | null> {
    const op = this.settings.findOrder;
    const plain = number.replace(/^#/, '');
    const { status, json } = await this.send(op.method, fill(op.path, { number: plain }, encodeURIComponent));
    if (status === 404) return null;
    if (status >= 400) throw new ActionBackendError('rejected', `the shop refused the lookup (HTTP ${status})`);
    const f = op.fields;
    const id = at(json, f.id);
    if (id === undefined || id === null) return null;
    const items = asArray(f.items ? at(json, f.items) : []).map((item, i) => {
      const options = f.itemOptions ? at(item, f.itemOptions) : undefined;
      return {
        id: String(at(item, f.itemId) ?? i),
        title: String(at(item, f.itemTitle) ?? ''),
        quantity: Number(f.itemQuantity ? at(item, f.itemQuantity) : 1) || 1,
        ...(f.itemProductId && text(at(item, f.itemProductId)) ? { productId: text(at(item, f.itemProductId)) as string } : {}),
        ...(f.itemVariantId && text(at(item, f.itemVariantId)) ? { variantId: text(at(item, f.itemVariantId)) as string } : {}),
        ...(options && typeof options === 'object' ? { options: stringsOf(options) } : {}),
        ...(f.itemPrice && at(item, f.itemPrice) !== undefined ? { price: Number(at(item, f.itemPrice)) } : {}),
      };
    });
    const tracking = asArray(f.tracking ? at(json, f.tracking) : [])
      .map((t) => (f.trackingNumber ? at(t, f.trackingNumber) : t))
      .filter((t): t is string | number => typeof t === 'string' || typeof t === 'number')
      .map((t) => ({ number: String(t) }));
    return {
      id: String(id),
      number: f.number ? String(at(json, f.number) ?? number) : number,
      email: text(f.email && at(json, f.email)),
      phone: text(f.phone && at(json, f.phone)),
      zip: text(f.zip && at(json, f.zip)),
      status: op.statuses[String(at(json, f.status))] ?? 'open',
      items,
      tracking,
    };
  }

  cancelOrder(order: ShopOrder, reason: 'customer' | 'other', idempotencyKey: string, customerReason?: string): Promise<MutationResult> {
    return this.mutate('cancelOrder', 'cancel', order, { reason: customerReason ?? reason }, idempotencyKey);
  }

  requestReturn(order: ShopOrder, items: { id: string; quantity: number }[], refundMethod: RefundMethod, idempotencyKey: string): Promise<MutationResult> {
    return this.mutate('requestReturn', 'return', order, { refund: refundMethod, items: items.map((i) => ({ id: i.id, quantity: i.quantity })) }, idempotencyKey);
  }

  exchange(order: ShopOrder, items: { id: string; quantity: number; newVariantId: string }[], idempotencyKey: string, payment: RefundMethod = 'original_payment'): Promise<MutationResult> {
    const lines = items.map((i) => ({ id: i.id, quantity: i.quantity, new_variant_id: i.newVariantId }));
    return this.mutate('exchange', 'exchange', order, { refund: payment, items: lines }, idempotencyKey);
  }

  modifyItems(order: ShopOrder, items: { id: string; quantity: number; newVariantId: string }[], idempotencyKey: string, payment: RefundMethod = 'original_payment'): Promise<MutationResult> {
    const lines = items.map((i) => ({ id: i.id, quantity: i.quantity, new_variant_id: i.newVariantId }));
    return this.mutate('modifyItems', 'item change', order, { refund: payment, items: lines }, idempotencyKey);
  }

  changeShippingAddress(order: ShopOrder, address: ShippingAddress, idempotencyKey: string): Promise<MutationResult> {
    const { address1, address2 = '', city, province = '', zip, country } = address;
    return this.mutate('changeShippingAddress', 'address change', order, { address1, address2, city, province, zip, country }, idempotencyKey);
  }

  async productVariants(productId: string): Promise<ProductVariant[]> {
    const op = this.settings.productVariants;
    if (!op) throw new ActionBackendError('unsupported', 'no productVariants operation declared');
    const { status, json } = await this.send(op.method, fill(op.path, { productId }, encodeURIComponent));
    if (status >= 400) throw new ActionBackendError('rejected', `the shop refused the product lookup (HTTP ${status})`);
    const f = op.fields;
    return asArray(at(json, f.variants)).map((v) => {
      const options = f.options ? at(v, f.options) : undefined;
      return {
        id: String(at(v, f.id)),
        title: String(at(v, f.title) ?? ''),
        available: f.available ? at(v, f.available) === true : true,
        ...(f.price && at(v, f.price) !== undefined ? { price: Number(at(v, f.price)) } : {}),
        options: options && typeof options === 'object' ? stringsOf(options) : {},
      };
    });
  }

  /** A declared mutation: a 2xx answer is the shop saying it did it; a 4xx that it refused. */
  private async mutate(
    name: 'cancelOrder' | 'requestReturn' | 'exchange' | 'modifyItems' | 'changeShippingAddress',
    what: string,
    order: ShopOrder,
    extra: Record<string, unknown>,
    idempotencyKey: string,
  ): Promise<MutationResult> {
    const op = this.settings[name];
    if (!op) throw new ActionBackendError('unsupported', `no ${name} operation declared`);
    const values: Record<string, unknown> = { id: order.id, number: order.number.replace(/^#/, ''), ...extra };
    const body = op.body ? fillDeep(op.body, values) : undefined;
    const { status, json } = await this.send(op.method, fill(op.path, values as Record<string, string>, encodeURIComponent), body, idempotencyKey);
    if (status >= 400) throw new ActionBackendError('rejected', `the shop refused the ${what} (HTTP ${status})`);
    const reference = json && typeof json === 'object' && 'id' in json ? text((json as Record<string, unknown>).id) : null;
    return { state: 'done', ...(reference ? { reference } : {}) };
  }

  /** 2xx and 404/4xx come back; 401/403, 5xx, 429 and network failures throw the matching code. */
  private async send(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = { Accept: 'application/json', [this.settings.authHeader]: this.authValue };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    let response: Response;
    try {
      response = await fetch(`${this.settings.baseUrl.replace(/\/+$/, '')}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (err) {
      throw new ActionBackendError('unavailable', `the shop is unreachable: ${(err as Error).message}`);
    }
    if (response.status === 401 || response.status === 403) throw new ActionBackendError('unauthorized', `the shop refused our credentials (HTTP ${response.status})`);
    if (response.status >= 500 || response.status === 429) throw new ActionBackendError('unavailable', `the shop failed (HTTP ${response.status})`);
    const raw = await response.text();
    let json: unknown = null;
    try {
      json = raw ? JSON.parse(raw) : null;
    } catch {
      if (response.ok) throw new ActionBackendError('unavailable', 'the shop answered something other than JSON');
    }
    return { status: response.status, json };
  }
}

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function fill(template: string, values: Record<string, unknown>, encode: (s: string) => string = (s) => s): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (typeof values[name] === 'string' ? encode(values[name]) : whole));
}

function stringsOf(value: object): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

/** Strings get their placeholders filled; a string that is one placeholder of a structured value (`"{items}"`) becomes that value. */
function fillDeep(value: unknown, values: Record<string, unknown>): unknown {
  const whole = typeof value === 'string' ? /^\{(\w+)\}$/.exec(value) : null;
  if (whole && whole[1] in values && typeof values[whole[1]] !== 'string') return values[whole[1]];
  if (typeof value === 'string') return fill(value, values);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, values));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, values)]));
  return value;
}
