import { ActionBackendError, type ActionBackend, type MutationResult, type ShopOrder } from '../../action-backend';
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
    const items = asArray(f.items ? at(json, f.items) : []).map((item, i) => ({
      id: String(at(item, 'id') ?? i),
      title: String(at(item, f.itemTitle) ?? ''),
      quantity: Number(f.itemQuantity ? at(item, f.itemQuantity) : 1) || 1,
    }));
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

  async cancelOrder(order: ShopOrder, reason: 'customer' | 'other', idempotencyKey: string): Promise<MutationResult> {
    const op = this.settings.cancelOrder;
    if (!op) throw new ActionBackendError('unsupported', 'no cancel operation declared');
    const values = { id: order.id, number: order.number.replace(/^#/, ''), reason };
    const body = op.body ? fillDeep(op.body, values) : undefined;
    const { status } = await this.send(op.method, fill(op.path, values, encodeURIComponent), body, idempotencyKey);
    if (status >= 400) throw new ActionBackendError('rejected', `the shop refused the cancel (HTTP ${status})`);
    return { state: 'done' };
  }

  async requestReturn(_order: ShopOrder, _items: { id: string; quantity: number }[], _refundMethod: string, _idempotencyKey: string): Promise<MutationResult> {
    throw new ActionBackendError('unsupported', 'returns are not declarable yet');
  }

  async exchange(_order: ShopOrder, _items: { id: string; quantity: number; newVariantId: string }[], _idempotencyKey: string): Promise<MutationResult> {
    throw new ActionBackendError('unsupported', 'exchanges are not declarable yet');
  }

  async changeShippingAddress(): Promise<MutationResult> {
    throw new ActionBackendError('unsupported', 'address changes are not declarable yet');
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

function fill(template: string, values: Record<string, string>, encode: (s: string) => string = (s) => s): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? encode(values[name]) : whole));
}

function fillDeep(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') return fill(value, values);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, values));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, values)]));
  return value;
}
