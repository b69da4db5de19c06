import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { AddressInfo } from 'net';
import { closeFake, listenFake } from '../fail-request';

/** tau-bench retail's data, read at test time (never committed): users, orders, products. */
export const TAU_RETAIL_DATA = path.resolve(__dirname, '../../../../shared/eval/tau-bench-retail/data');

interface TauOrder {
  order_id: string;
  user_id: string;
  address: { address1: string; address2: string; city: string; country: string; state: string; zip: string };
  items: { name: string; item_id: string; price: number; options: Record<string, string> }[];
  fulfillments: { tracking_id: string[]; item_ids: string[] }[];
  status: 'pending' | 'processed' | 'delivered' | 'cancelled' | string;
}
interface TauUser {
  email: string;
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
  /** Return requests made on it: tau-bench item ids and the customer's note. */
  returns: { id: string; status: 'REQUESTED'; items: { itemId: string; quantity: number; note: string }[] }[];
}

/**
 * A Shopify Admin GraphQL server on 127.0.0.1 speaking the wire format `@shopify/admin-api-client`
 * uses: `POST /admin/api/<version>/graphql.json` with `X-Shopify-Access-Token`, `{ query, variables }`
 * in, `{ data }` / `{ errors }` out. It answers the operations the Shopify backend sends
 * (`orders(query: "name:...")`, `orderCancel`, `orderUpdate`, `returnableFulfillments`, `returnRequest`), recognised by their root field, over
 * tau-bench retail's orders (its pending orders are unfulfilled; processed and delivered ones carry
 * their tracking numbers). Tests read `orders`, `calls`, and may make it fail.
 */
export class FakeShopify {
  readonly accessToken = 'shpat_fake_token_for_tests';
  readonly orders = new Map<string, FakeOrder>();
  /** Every GraphQL request, with its root field. */
  readonly calls: { field: string; variables: Record<string, unknown> }[] = [];
  /** When set, mutations fail with this HTTP status (an outage). */
  failMutationsWith?: number;
  private server?: http.Server;

  constructor(dataDir = TAU_RETAIL_DATA) {
    const orders = JSON.parse(fs.readFileSync(path.join(dataDir, 'orders.json'), 'utf8')) as Record<string, TauOrder>;
    const users = JSON.parse(fs.readFileSync(path.join(dataDir, 'users.json'), 'utf8')) as Record<string, TauUser>;
    let n = 1;
    for (const order of Object.values(orders)) {
      const gid = `gid://shopify/Order/${n++}`;
      this.orders.set(order.order_id.toUpperCase(), {
        gid,
        name: order.order_id,
        email: users[order.user_id]?.email ?? '',
        tau: order,
        phone: null,
        cancelledAt: order.status === 'cancelled' ? '2024-05-01T00:00:00Z' : null,
        cancelReason: null,
        returns: [],
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

  private search(query: string): unknown[] {
    const name = /^name:"?([^"]+)"?$/.exec(query.trim())?.[1];
    const order = name ? this.orders.get(name.toUpperCase()) : undefined;
    return order ? [this.node(order)] : [];
  }

  private node(order: FakeOrder): Record<string, unknown> {
    const { tau } = order;
    const delivered = tau.status === 'delivered';
    return {
      id: order.gid,
      name: order.name,
      email: order.email,
      phone: order.phone,
      cancelledAt: order.cancelledAt,
      displayFulfillmentStatus: tau.fulfillments.length > 0 ? 'FULFILLED' : 'UNFULFILLED',
      shippingAddress: { zip: tau.address.zip, phone: order.phone },
      lineItems: { nodes: tau.items.map((i) => ({ id: `gid://shopify/LineItem/${i.item_id}`, title: i.name, quantity: 1 })) },
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
    return { job: { id: `gid://shopify/Job/${order.gid.split('/').pop()}`, done: true }, orderCancelUserErrors: [], userErrors: [] };
  }

  /** Delivered items not already in a return, as Shopify lists them: one returnable fulfillment per tau-bench fulfillment. */
  private returnable(orderId: string): unknown[] {
    const order = [...this.orders.values()].find((o) => o.gid === orderId);
    if (!order || order.tau.status !== 'delivered') return [];
    const returned = new Set(order.returns.flatMap((r) => r.items.map((i) => i.itemId)));
    return order.tau.fulfillments.map((f) => ({
      returnableFulfillmentLineItems: {
        nodes: f.item_ids
          .filter((id) => !returned.has(id))
          .map((id) => ({ quantity: 1, fulfillmentLineItem: { id: `gid://shopify/FulfillmentLineItem/${id}`, lineItem: { id: `gid://shopify/LineItem/${id}` } } })),
      },
    }));
  }

  private requestReturn(variables: Record<string, unknown>): Record<string, unknown> {
    const input = (variables.input ?? {}) as { orderId?: string; returnLineItems?: { fulfillmentLineItemId: string; quantity: number; customerNote?: string }[] };
    const returnable = new Set(
      (this.returnable(String(input.orderId)) as { returnableFulfillmentLineItems: { nodes: { fulfillmentLineItem: { id: string } }[] } }[]).flatMap((f) =>
        f.returnableFulfillmentLineItems.nodes.map((n) => n.fulfillmentLineItem.id),
      ),
    );
    const lines = input.returnLineItems ?? [];
    if (lines.length === 0 || lines.some((l) => !returnable.has(l.fulfillmentLineItemId))) {
      return { return: null, userErrors: [{ field: ['input', 'returnLineItems'], message: 'Fulfillment line item is not returnable', code: 'INVALID' }] };
    }
    const order = [...this.orders.values()].find((o) => o.gid === input.orderId) as FakeOrder;
    const id = `gid://shopify/Return/${order.returns.length + 1}${order.gid.split('/').pop()}`;
    order.returns.push({ id, status: 'REQUESTED', items: lines.map((l) => ({ itemId: l.fulfillmentLineItemId.split('/').pop() as string, quantity: l.quantity, note: l.customerNote ?? '' })) });
    return { return: { id, status: 'REQUESTED' }, userErrors: [] };
  }

  private update(variables: Record<string, unknown>): Record<string, unknown> {
    const input = (variables.input ?? {}) as { id?: string; shippingAddress?: { address1?: string; address2?: string; city?: string; zip?: string; province?: string; country?: string } };
    const order = [...this.orders.values()].find((o) => o.gid === input.id);
    if (!order) return { order: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] };
    if (input.shippingAddress) Object.assign(order.tau.address, { ...input.shippingAddress, state: input.shippingAddress.province ?? order.tau.address.state });
    return { order: { id: order.gid, shippingAddress: { address1: order.tau.address.address1, zip: order.tau.address.zip } }, userErrors: [] };
  }
}
