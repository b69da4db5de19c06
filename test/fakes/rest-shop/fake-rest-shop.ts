import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { AddressInfo } from 'net';
import { closeFake, listenFake } from '../fail-request';
import { TAU_RETAIL_DATA } from '../shopify/fake-shopify';

interface TauOrder {
  order_id: string;
  user_id: string;
  address: { address1: string; address2: string; city: string; state: string; zip: string; country: string };
  items: { name: string; item_id: string; product_id: string; price: number; options: Record<string, string> }[];
  fulfillments: { tracking_id: string[] }[];
  status: string;
}

export interface RestShopOrder {
  id: string;
  number: string;
  email: string;
  zip: string;
  state: string;
  lines: { id: string; name: string; product_id: string; sku: string; options: Record<string, string>; price: number }[];
  shipments: { tracking: string }[];
  shipping_address: Record<string, string>;
  /** Return and exchange requests made on it, as the shop received them. */
  returns: { id: string; kind: 'return' | 'exchange'; refund: string; items: { id: string; quantity: number; new_variant_id?: string }[] }[];
  /** Item changes on it (`POST .../items`), as the shop received them. */
  itemChanges: { refund: string; items: { id: string; quantity: number; new_variant_id?: string }[] }[];
}

/** How a tenant declares this shop's API as an `http` action backend: no code, settings only. */
export function restShopDeclaration(baseUrl: string): Record<string, unknown> {
  return {
    baseUrl,
    findOrder: {
      path: '/orders/{number}',
      fields: { id: 'order.id', number: 'order.number', email: 'order.email', zip: 'order.zip', status: 'order.state', items: 'order.lines', itemTitle: 'name', tracking: 'order.shipments', trackingNumber: 'tracking' },
      statuses: { pending: 'open', processed: 'shipped', delivered: 'delivered', cancelled: 'cancelled' },
    },
    cancelOrder: { method: 'POST', path: '/orders/{id}/cancel', body: { reason: '{reason}' } },
  };
}

/**
 * A shop with its own REST API on 127.0.0.1 (what a tenant on WooCommerce or its own system has),
 * seeded from tau-bench retail: `GET /api/orders/<number>`, `POST /api/orders/<id>/cancel`, `.../returns`,
 * `.../exchanges`, `.../items`, `PUT .../shipping-address` and `GET /api/products/<id>`,
 * behind `Authorization: Bearer <token>`, honouring `Idempotency-Key` (a repeated key replays the
 * first answer). Tests read `orders` and `requests`, and may make cancels fail.
 */
export class FakeRestShop {
  readonly token = 'rest-shop-secret-token';
  readonly orders = new Map<string, RestShopOrder>();
  readonly requests: { method: string; path: string; idempotencyKey?: string; body?: unknown }[] = [];
  failCancelsWith?: number;
  private readonly replies = new Map<string, { status: number; body: unknown }>();
  private server?: http.Server;

  constructor(dataDir = TAU_RETAIL_DATA) {
    const orders = JSON.parse(fs.readFileSync(path.join(dataDir, 'orders.json'), 'utf8')) as Record<string, TauOrder>;
    const users = JSON.parse(fs.readFileSync(path.join(dataDir, 'users.json'), 'utf8')) as Record<string, { email: string }>;
    let n = 1;
    for (const o of Object.values(orders)) {
      const number = o.order_id.replace(/^#/, '');
      this.orders.set(number, {
        id: `ord_${n++}`,
        number,
        email: users[o.user_id]?.email ?? '',
        zip: o.address.zip,
        state: o.status,
        lines: o.items.map((i) => ({ id: i.item_id, name: i.name, product_id: i.product_id, sku: i.item_id, options: i.options, price: i.price })),
        shipments: o.fulfillments.flatMap((f) => f.tracking_id.map((tracking) => ({ tracking }))),
        shipping_address: { ...o.address },
        returns: [],
        itemChanges: [],
      });
    }
    const products = JSON.parse(fs.readFileSync(path.join(dataDir, 'products.json'), 'utf8')) as Record<
      string,
      { product_id: string; variants: Record<string, { item_id: string; options: Record<string, string>; available: boolean; price: number }> }
    >;
    for (const p of Object.values(products)) {
      this.products.set(
        p.product_id,
        Object.values(p.variants).map((v) => ({ sku: v.item_id, name: Object.values(v.options).join(' / '), in_stock: v.available, price: v.price, options: v.options })),
      );
    }
  }

  /** Products' variants as the shop lists them (`GET /api/products/<id>`). */
  readonly products = new Map<string, { sku: string; name: string; in_stock: boolean; price: number; options: Record<string, string> }[]>();

  /** Requests to a route of an order (`cancel`, `returns`, `exchanges`, `shipping-address`). */
  requestsTo(order: RestShopOrder, route: string): number {
    return this.requests.filter((r) => r.method !== 'GET' && r.path === `/api/orders/${order.id}/${route}`).length;
  }

  get baseUrl(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api`;
  }

  cancels(order: RestShopOrder): number {
    return this.requests.filter((r) => r.method === 'POST' && r.path === `/api/orders/${order.id}/cancel`).length;
  }

  async start(): Promise<this> {
    this.server = await listenFake('fake REST shop', (req, res) => this.handle(req, res));
    return this;
  }

  stop(): Promise<void> {
    return closeFake(this.server);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const key = req.headers['idempotency-key'] as string | undefined;
    this.requests.push({ method: req.method ?? '', path: url.pathname, idempotencyKey: key, body: raw ? JSON.parse(raw) : undefined });
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { error: 'unauthorized' });

    const read = /^\/api\/orders\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && read) {
      const order = this.orders.get(decodeURIComponent(read[1]).toUpperCase());
      return order ? send(200, { order }) : send(404, { error: 'not found' });
    }
    const cancel = /^\/api\/orders\/([^/]+)\/cancel$/.exec(url.pathname);
    if (req.method === 'POST' && cancel) {
      if (key && this.replies.has(key)) {
        const first = this.replies.get(key) as { status: number; body: unknown };
        return send(first.status, first.body);
      }
      if (this.failCancelsWith) return send(this.failCancelsWith, { error: 'internal error' });
      const order = [...this.orders.values()].find((o) => o.id === cancel[1]);
      const reply = !order
        ? { status: 404, body: { error: 'not found' } }
        : order.state !== 'pending'
          ? { status: 409, body: { error: `order is ${order.state}` } }
          : ((order.state = 'cancelled'), { status: 200, body: { order } });
      if (key) this.replies.set(key, reply);
      return send(reply.status, reply.body);
    }
    const product = /^\/api\/products\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && product) {
      const variants = this.products.get(decodeURIComponent(product[1]));
      return variants ? send(200, { variants }) : send(404, { error: 'not found' });
    }
    const change = /^\/api\/orders\/([^/]+)\/(returns|exchanges|shipping-address|items)$/.exec(url.pathname);
    if (change && (req.method === 'POST' || req.method === 'PUT')) {
      if (key && this.replies.has(key)) {
        const first = this.replies.get(key) as { status: number; body: unknown };
        return send(first.status, first.body);
      }
      if (this.failCancelsWith) return send(this.failCancelsWith, { error: 'internal error' });
      const order = [...this.orders.values()].find((o) => o.id === change[1]);
      const reply = order ? this.change(order, change[2], (raw ? JSON.parse(raw) : {}) as Record<string, unknown>) : { status: 404, body: { error: 'not found' } };
      if (key) this.replies.set(key, reply);
      return send(reply.status, reply.body);
    }
    return send(404, { error: 'no such route' });
  }

  /** A pending order's lines swapped for other variants of the same product (by sku), each once. */
  private changeItems(order: RestShopOrder, body: Record<string, unknown>): { status: number; body: unknown } {
    if (order.state !== 'pending') return { status: 409, body: { error: `order is ${order.state}` } };
    const items = (Array.isArray(body.items) ? body.items : []) as { id: string; quantity: number; new_variant_id?: string }[];
    const lines = items.map((i) => ({ i, line: order.lines.find((l) => l.id === i.id), variant: [...this.products.values()].flat().find((v) => v.sku === i.new_variant_id) }));
    if (lines.length === 0 || lines.some(({ line, variant }) => !line || !variant?.in_stock || !this.products.get(line.product_id)?.includes(variant))) {
      return { status: 422, body: { error: 'unknown item or variant' } };
    }
    for (const { line, variant } of lines) if (line && variant) Object.assign(line, { id: variant.sku, sku: variant.sku, options: variant.options, price: variant.price });
    order.itemChanges.push({ refund: String(body.refund ?? ''), items });
    return { status: 200, body: { order } };
  }

  /** A return or exchange needs a delivered order and items of it; an address change a pending one. */
  private change(order: RestShopOrder, route: string, body: Record<string, unknown>): { status: number; body: unknown } {
    if (route === 'items') return this.changeItems(order, body);
    if (route === 'shipping-address') {
      if (order.state !== 'pending') return { status: 409, body: { error: `order is ${order.state}` } };
      order.shipping_address = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));
      return { status: 200, body: { order } };
    }
    if (order.state !== 'delivered') return { status: 409, body: { error: `order is ${order.state}` } };
    const items = (Array.isArray(body.items) ? body.items : []) as { id: string; quantity: number; new_variant_id?: string }[];
    if (items.length === 0 || items.some((i) => !order.lines.some((l) => l.id === i.id))) return { status: 422, body: { error: 'unknown item' } };
    const request = { id: `ret_${order.returns.length + 1}_${order.id}`, kind: route === 'returns' ? ('return' as const) : ('exchange' as const), refund: String(body.refund ?? ''), items };
    order.returns.push(request);
    return { status: 201, body: request };
  }
}
