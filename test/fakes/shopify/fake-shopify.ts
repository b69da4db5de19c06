import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { AddressInfo } from 'net';
import { closeFake, listenFake } from '../fail-request';
import { FakeOrderEdits } from './fake-order-edits';

/** tau-bench retail's data, read at test time (never committed): users, orders, products. */
export const TAU_RETAIL_DATA = path.resolve(__dirname, '../../../../shared/eval/tau-bench-retail/data');

interface TauOrder {
  order_id: string;
  user_id: string;
  address: { address1: string; address2: string; city: string; country: string; state: string; zip: string };
  items: { name: string; product_id: string; item_id: string; price: number; options: Record<string, string>; edited?: boolean }[];
  fulfillments: { tracking_id: string[]; item_ids: string[] }[];
  status: 'pending' | 'processed' | 'delivered' | 'cancelled' | string;
}
interface TauUser {
  email: string;
  orders: string[];
}
interface TauProduct {
  name: string;
  product_id: string;
  variants: Record<string, { item_id: string; options: Record<string, string>; available: boolean; price: number }>;
}

/** One order as the fake store keeps it: tau-bench's fields, plus what the agent changed. */
export interface FakeOrder {
  gid: string;
  name: string;
  email: string;
  tau: TauOrder;
  /** tau-bench's users have no phone; a test gives an order one to play an SMS or a call. */
  phone: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  /** The staff note the cancel carried (the agent puts the customer's reason there). */
  cancelNote: string | null;
  /** When it was placed: tau-bench lists a user's orders oldest first; the fake dates them so. */
  createdAt: string;
  /** Return requests made on it: tau-bench item ids and the customer's note. */
  returns: { id: string; status: 'REQUESTED'; items: { itemId: string; quantity: number; note: string }[] }[];
  /** Exchanges (`returnCreate` with exchange line items): the items going back, the variants going out, the reason note. */
  exchanges: { id: string; status: 'OPEN'; items: { itemId: string; quantity: number; note: string }[]; newItems: { itemId: string; quantity: number }[] }[];
  /** Shipping-address changes (`orderUpdate`), in order. */
  addressChanges: Record<string, string | undefined>[];
  /** Committed order edits: the tau-bench item ids taken off and, in turn, those put on; the staff note. */
  itemEdits: { items: string[]; newItems: string[]; note: string }[];
}

/**
 * A Shopify Admin GraphQL server on 127.0.0.1 speaking the wire format `@shopify/admin-api-client`
 * uses: `POST /admin/api/<version>/graphql.json` with `X-Shopify-Access-Token`, `{ query, variables }`
 * in, `{ data }` / `{ errors }` out. It answers the operations the Shopify backend sends
 * (`orders(query: "name:..." | "email:...")`, `product`, `orderCancel`, `orderUpdate`, `returnableFulfillments`, `returnRequest`,
 * `returnCreate`, `orderEdit…`), recognised by their root field, over
 * tau-bench retail's orders (its pending orders are unfulfilled; processed and delivered ones carry
 * their tracking numbers). Tests read `orders`, `calls`, and may make it fail.
 */
export class FakeShopify {
  readonly accessToken = 'shpat_fake_token_for_tests';
  readonly orders = new Map<string, FakeOrder>();
  readonly products = new Map<string, TauProduct>();
  /** Every GraphQL request, with its root field. */
  readonly calls: { field: string; variables: Record<string, unknown> }[] = [];
  /** What the store changed, in order: one entry per mutation it carried out (the record an eval replays). */
  readonly effects: { kind: 'cancel' | 'return' | 'exchange' | 'address' | 'modify'; order: string }[] = [];
  /** `orderEditBegin` … `orderEditCommit` (fake-order-edits.ts). */
  private readonly edits = new FakeOrderEdits(
    () => this.orders.values(),
    (itemId) => [...this.products.values()].map((p) => Object.values(p.variants).find((v) => v.item_id === itemId)).find(Boolean),
    (order) => this.effects.push({ kind: 'modify', order: order.name }),
  );
  /** When set, mutations fail with this HTTP status (an outage). */
  failMutationsWith?: number;
  private server?: http.Server;

  constructor(private readonly dataDir = TAU_RETAIL_DATA) {
    this.reset();
  }

  /** Back to tau-bench's data as published, with no calls and no changes (one server for many runs). */
  reset(): void {
    const dataDir = this.dataDir;
    this.orders.clear();
    this.products.clear();
    this.calls.length = 0;
    this.effects.length = 0;
    this.edits?.reset();
    const orders = JSON.parse(fs.readFileSync(path.join(dataDir, 'orders.json'), 'utf8')) as Record<string, TauOrder>;
    const users = JSON.parse(fs.readFileSync(path.join(dataDir, 'users.json'), 'utf8')) as Record<string, TauUser>;
    const products = JSON.parse(fs.readFileSync(path.join(dataDir, 'products.json'), 'utf8')) as Record<string, TauProduct>;
    for (const product of Object.values(products)) this.products.set(product.product_id, product);
    let n = 1;
    for (const order of Object.values(orders)) {
      const gid = `gid://shopify/Order/${n++}`;
      const place = Math.max(0, users[order.user_id]?.orders.indexOf(order.order_id) ?? 0);
      this.orders.set(order.order_id.toUpperCase(), {
        gid,
        name: order.order_id,
        email: users[order.user_id]?.email ?? '',
        tau: order,
        phone: null,
        cancelledAt: order.status === 'cancelled' ? '2024-05-01T00:00:00Z' : null,
        cancelReason: null,
        cancelNote: null,
        createdAt: new Date(Date.UTC(2024, 4, 1 + place)).toISOString(),
        returns: [],
        exchanges: [],
        addressChanges: [],
        itemEdits: [],
      });
    }
  }

  get origin(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The first order of tau-bench's with this status (and, for `processed`, a tracking number). */
  orderWithStatus(status: string): FakeOrder {
    const found = [...this.orders.values()].find((o) => o.tau.status === status && (status === 'pending' || o.tau.fulfillments.length > 0));
    if (!found) throw new Error(`no ${status} order in the data`);
    return found;
  }

  cancelCalls(order: FakeOrder): number {
    return this.calls.filter((c) => c.field === 'orderCancel' && c.variables.orderId === order.gid).length;
  }

  async start(): Promise<this> {
    this.server = await listenFake('fake Shopify', (req, res) => this.handle(req, res));
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
    if (req.method === 'POST' && req.url === '/admin/oauth/access_token') return this.exchange(req, send);
    if (req.method !== 'POST' || !/^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/.test(req.url ?? '')) return send(404, { errors: 'Not Found' });
    if (req.headers['x-shopify-access-token'] !== this.accessToken) {
      return send(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { query, variables = {} } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown> };
    // The operation's root field: the first field inside the outermost selection set.
    const field = /^[^{]*\{\s*(\w+)/.exec(query)?.[1] ?? '';
    this.calls.push({ field, variables });
    const mutation = /^\s*(#graphql\s*)?mutation\b/.test(query);
    if (mutation && this.failMutationsWith) return send(this.failMutationsWith, { errors: 'Internal error' });
    if (field === 'orders') return send(200, { data: { orders: { nodes: this.search(String(variables.query ?? '')) } } });
    if (field === 'orderCancel') return send(200, { data: { orderCancel: this.cancel(variables) } });
    if (field === 'orderUpdate') return send(200, { data: { orderUpdate: this.update(variables) } });
    if (field === 'returnableFulfillments') return send(200, { data: { returnableFulfillments: { nodes: this.returnable(String(variables.orderId)) } } });
    if (field === 'returnRequest') return send(200, { data: { returnRequest: this.requestReturn(variables) } });
    if (field === 'returnCreate') return send(200, { data: { returnCreate: this.createReturn(variables) } });
    if (field === 'product') return send(200, { data: { product: this.product(String(variables.id)) } });
    const edit = this.edits.handle(field, variables);
    if (edit) return send(200, { data: { [field]: edit } });
    return send(200, { errors: [{ message: `Field '${field}' doesn't exist on type 'QueryRoot'`, extensions: { code: 'undefinedField' } }] });
  }

  /** The OAuth app the fake knows, and the authorization codes it issued (`grantCode`): a code works once. */
  readonly app = { clientId: 'fake-client-id', clientSecret: 'fake-client-secret' };
  private readonly codes = new Set<string>();

  /** What Shopify puts in the redirect after the merchant approves the app. */
  grantCode(): string {
    const code = `code-${this.codes.size + 1}-${Date.now()}`;
    this.codes.add(code);
    return code;
  }

  /** `POST /admin/oauth/access_token`: Shopify's token exchange (JSON in, `{ access_token, scope }` out). */
  private async exchange(req: http.IncomingMessage, send: (status: number, body: unknown) => void): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { client_id?: string; client_secret?: string; code?: string };
    this.calls.push({ field: 'oauth/access_token', variables: { client_id: body.client_id, code: body.code } });
    if (body.client_id !== this.app.clientId || body.client_secret !== this.app.clientSecret || !body.code || !this.codes.delete(body.code)) {
      return send(400, { error: 'invalid_request', error_description: 'The authorization code was not found or was already used' });
    }
    send(200, { access_token: this.accessToken, scope: 'read_orders,write_orders' });
  }

  /** `name:"#W1"`, or `email:"a@b.c"` (newest first, as the backend asks with sortKey CREATED_AT reverse). */
  private search(query: string): unknown[] {
    const email = /^email:"?([^"]+)"?$/.exec(query.trim())?.[1];
    if (email) {
      return [...this.orders.values()]
        .filter((o) => o.email.toLowerCase() === email.toLowerCase())
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map((o) => this.node(o));
    }
    const name = /^name:"?([^"]+)"?$/.exec(query.trim())?.[1];
    const order = name ? this.orders.get(name.toUpperCase()) : undefined;
    return order ? [this.node(order)] : [];
  }

  /** One line per variant, as Shopify merges the same variant bought twice. */
  private lines(order: FakeOrder): { item: TauOrder['items'][number]; quantity: number }[] {
    const lines = new Map<string, { item: TauOrder['items'][number]; quantity: number }>();
    for (const item of order.tau.items) {
      const line = lines.get(item.item_id);
      if (line) line.quantity += 1;
      else lines.set(item.item_id, { item, quantity: 1 });
    }
    return [...lines.values()];
  }

  private product(id: string): unknown {
    const product = this.products.get(id.split('/').pop() as string);
    if (!product) return null;
    return {
      variants: {
        nodes: Object.values(product.variants).map((v) => ({
          id: `gid://shopify/ProductVariant/${v.item_id}`,
          title: Object.values(v.options).join(' / '),
          availableForSale: v.available,
          price: v.price.toFixed(2),
          selectedOptions: Object.entries(v.options).map(([name, value]) => ({ name, value })),
        })),
      },
    };
  }

  private node(order: FakeOrder): Record<string, unknown> {
    const { tau } = order;
    const delivered = tau.status === 'delivered';
    return {
      id: order.gid,
      name: order.name,
      email: order.email,
      phone: order.phone,
      createdAt: order.createdAt,
      cancelledAt: order.cancelledAt,
      displayFulfillmentStatus: tau.fulfillments.length > 0 ? 'FULFILLED' : 'UNFULFILLED',
      shippingAddress: { zip: tau.address.zip, phone: order.phone },
      lineItems: {
        nodes: this.lines(order).map(({ item, quantity }) => ({
          id: `gid://shopify/LineItem/${item.item_id}`,
          title: item.name,
          quantity,
          originalUnitPriceSet: { shopMoney: { amount: item.price.toFixed(2), currencyCode: 'USD' } },
          variant: {
            id: `gid://shopify/ProductVariant/${item.item_id}`,
            selectedOptions: Object.entries(item.options).map(([name, value]) => ({ name, value })),
            product: { id: `gid://shopify/Product/${item.product_id}` },
          },
        })),
      },
      fulfillments: tau.fulfillments.map((f) => ({
        displayStatus: delivered ? 'DELIVERED' : 'IN_TRANSIT',
        trackingInfo: f.tracking_id.map((number) => ({ company: 'UPS', number, url: `https://www.ups.com/track?tracknum=${number}` })),
      })),
    };
  }

  private cancel(variables: Record<string, unknown>): Record<string, unknown> {
    const order = [...this.orders.values()].find((o) => o.gid === variables.orderId);
    const error = (message: string, code: string) => ({ job: null, orderCancelUserErrors: [{ field: ['orderId'], message, code }], userErrors: [{ field: ['orderId'], message }] });
    if (!order) return error('Order does not exist', 'INVALID');
    if (order.cancelledAt) return error('Order has already been cancelled', 'INVALID');
    // tau-bench's rule, which is also a shop's: what has left the warehouse is returned, not cancelled.
    if (order.tau.fulfillments.length > 0) return error('Cannot cancel a fulfilled order', 'INVALID');
    order.cancelledAt = new Date().toISOString();
    order.cancelReason = String(variables.reason);
    order.cancelNote = typeof variables.staffNote === 'string' ? variables.staffNote : null;
    this.effects.push({ kind: 'cancel', order: order.name });
    return { job: { id: `gid://shopify/Job/${order.gid.split('/').pop()}`, done: true }, orderCancelUserErrors: [], userErrors: [] };
  }

  /** Delivered items not already in a return, as Shopify lists them: one returnable fulfillment per tau-bench fulfillment. */
  private returnable(orderId: string): unknown[] {
    const order = [...this.orders.values()].find((o) => o.gid === orderId);
    if (!order || order.tau.status !== 'delivered') return [];
    const gone = [...order.returns, ...order.exchanges].flatMap((r) => r.items);
    return order.tau.fulfillments.map((f) => {
      const counts = new Map<string, number>();
      for (const id of f.item_ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      const nodes = [...counts]
        .map(([id, count]) => ({ id, quantity: count - gone.filter((g) => g.itemId === id).reduce((sum, g) => sum + g.quantity, 0) }))
        .filter((l) => l.quantity > 0)
        .map((l) => ({ quantity: l.quantity, fulfillmentLineItem: { id: `gid://shopify/FulfillmentLineItem/${l.id}`, lineItem: { id: `gid://shopify/LineItem/${l.id}` } } }));
      return { returnableFulfillmentLineItems: { nodes } };
    });
  }

  /** Whether every line is returnable in the quantity asked. */
  private returnableLines(orderId: string, lines: { fulfillmentLineItemId: string; quantity: number }[]): boolean {
    const returnable = new Map(
      (this.returnable(orderId) as { returnableFulfillmentLineItems: { nodes: { quantity: number; fulfillmentLineItem: { id: string } }[] } }[]).flatMap((f) =>
        f.returnableFulfillmentLineItems.nodes.map((n) => [n.fulfillmentLineItem.id, n.quantity] as const),
      ),
    );
    return lines.length > 0 && lines.every((l) => (returnable.get(l.fulfillmentLineItemId) ?? 0) >= l.quantity);
  }

  /** `returnCreate` with exchange line items: each new variant must be of the same product as what goes back, and for sale. */
  private createReturn(variables: Record<string, unknown>): Record<string, unknown> {
    const input = (variables.returnInput ?? {}) as {
      orderId?: string;
      returnLineItems?: { fulfillmentLineItemId: string; quantity: number; returnReasonNote?: string }[];
      exchangeLineItems?: { variantId: string; quantity: number }[];
    };
    const error = (message: string, field: string) => ({ return: null, userErrors: [{ field: ['returnInput', field], message, code: 'INVALID' }] });
    const lines = input.returnLineItems ?? [];
    if (!this.returnableLines(String(input.orderId), lines)) return error('Fulfillment line item is not returnable', 'returnLineItems');
    const order = [...this.orders.values()].find((o) => o.gid === input.orderId) as FakeOrder;
    const variants = new Map([...this.products.values()].flatMap((p) => Object.values(p.variants).map((v) => [v.item_id, { ...v, productId: p.product_id }] as const)));
    const exchange = input.exchangeLineItems ?? [];
    for (const line of exchange) {
      const variant = variants.get(line.variantId.split('/').pop() as string);
      if (!variant || !variant.available) return error('Variant is not available', 'exchangeLineItems');
    }
    const id = `gid://shopify/Return/${order.returns.length + order.exchanges.length + 1}${order.gid.split('/').pop()}`;
    const items = lines.map((l) => ({ itemId: l.fulfillmentLineItemId.split('/').pop() as string, quantity: l.quantity, note: l.returnReasonNote ?? '' }));
    const newItems = exchange.map((l) => ({ itemId: l.variantId.split('/').pop() as string, quantity: l.quantity }));
    if (newItems.length > 0) order.exchanges.push({ id, status: 'OPEN', items, newItems });
    else order.returns.push({ id, status: 'REQUESTED', items });
    this.effects.push({ kind: newItems.length > 0 ? 'exchange' : 'return', order: order.name });
    return { return: { id, status: 'OPEN' }, userErrors: [] };
  }

  private requestReturn(variables: Record<string, unknown>): Record<string, unknown> {
    const input = (variables.input ?? {}) as { orderId?: string; returnLineItems?: { fulfillmentLineItemId: string; quantity: number; customerNote?: string }[] };
    const lines = input.returnLineItems ?? [];
    if (!this.returnableLines(String(input.orderId), lines)) {
      return { return: null, userErrors: [{ field: ['input', 'returnLineItems'], message: 'Fulfillment line item is not returnable', code: 'INVALID' }] };
    }
    const order = [...this.orders.values()].find((o) => o.gid === input.orderId) as FakeOrder;
    const id = `gid://shopify/Return/${order.returns.length + 1}${order.gid.split('/').pop()}`;
    order.returns.push({ id, status: 'REQUESTED', items: lines.map((l) => ({ itemId: l.fulfillmentLineItemId.split('/').pop() as string, quantity: l.quantity, note: l.customerNote ?? '' })) });
    this.effects.push({ kind: 'return', order: order.name });
    return { return: { id, status: 'REQUESTED' }, userErrors: [] };
  }

  private update(variables: Record<string, unknown>): Record<string, unknown> {
    const input = (variables.input ?? {}) as { id?: string; shippingAddress?: { address1?: string; address2?: string; city?: string; zip?: string; province?: string; country?: string } };
    const order = [...this.orders.values()].find((o) => o.gid === input.id);
    if (!order) return { order: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] };
    if (input.shippingAddress) {
      order.addressChanges.push({ ...input.shippingAddress });
      this.effects.push({ kind: 'address', order: order.name });
    }
    if (input.shippingAddress) Object.assign(order.tau.address, { ...input.shippingAddress, state: input.shippingAddress.province ?? order.tau.address.state });
    return { order: { id: order.gid, shippingAddress: { address1: order.tau.address.address1, zip: order.tau.address.zip } }, userErrors: [] };
  }
}
