import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';

/**
 * tau-bench retail's database and the semantics of its state-changing tools, re-implemented from
 * their documented behaviour (../shared/eval/tau-bench-retail/tools_schema.json and wiki.md; the
 * upstream Python is not run). The score compares the state after the agent's run with the state after
 * the task's gold actions, as upstream's `calculate_reward` does with its data hash.
 */
interface Payment {
  transaction_type: 'payment' | 'refund';
  amount: number;
  payment_method_id: string;
}
export interface TauOrder {
  order_id: string;
  user_id: string;
  address: Record<string, string>;
  items: { name: string; product_id: string; item_id: string; price: number; options: Record<string, string> }[];
  fulfillments: { tracking_id: string[]; item_ids: string[] }[];
  status: string;
  payment_history: Payment[];
  [extra: string]: unknown;
}
export interface TauUser {
  name: { first_name: string; last_name: string };
  address: Record<string, string>;
  email: string;
  payment_methods: Record<string, { source: string; id: string; balance?: number; brand?: string; last_four?: string }>;
  orders: string[];
}
interface TauProduct {
  name: string;
  product_id: string;
  variants: Record<string, { item_id: string; options: Record<string, string>; available: boolean; price: number }>;
}
export interface TauData {
  orders: Record<string, TauOrder>;
  users: Record<string, TauUser>;
  products: Record<string, TauProduct>;
}

export class TauToolError extends Error {}

const round2 = (n: number) => Math.round(n * 100) / 100;

export class TauRetailDb {
  constructor(readonly data: TauData) {}

  static load(dir: string): TauRetailDb {
    const read = <T>(f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as T;
    return new TauRetailDb({ orders: read('orders.json'), users: read('users.json'), products: read('products.json') });
  }

  /** A stable hash of the whole database (keys sorted), like upstream's `get_data_hash`. */
  hash(): string {
    return createHash('sha256').update(stable(this.data)).digest('hex');
  }

  /** Runs one of tau-bench's tools by name; read-only tools change nothing and are accepted as no-ops. */
  apply(name: string, args: Record<string, unknown>): void {
    const a = args as Record<string, string> & { item_ids?: string[]; new_item_ids?: string[] };
    switch (name) {
      case 'cancel_pending_order':
        return this.cancel(a.order_id, a.reason);
      case 'modify_pending_order_address':
        return void (this.order(a.order_id, ['pending']).address = address(a));
      case 'modify_user_address':
        return void (this.user(a.user_id).address = address(a));
      case 'return_delivered_order_items':
        return this.returnItems(a.order_id, a.item_ids ?? [], a.payment_method_id);
      case 'exchange_delivered_order_items':
        return this.exchange(a.order_id, a.item_ids ?? [], a.new_item_ids ?? [], a.payment_method_id);
      case 'modify_pending_order_items':
        return this.modifyItems(a.order_id, a.item_ids ?? [], a.new_item_ids ?? [], a.payment_method_id);
      case 'modify_pending_order_payment':
        return this.modifyPayment(a.order_id, a.payment_method_id);
      default:
        return undefined;
    }
  }

  order(id: string, statuses?: string[]): TauOrder {
    const order = this.data.orders[id];
    if (!order) throw new TauToolError(`Error: order not found`);
    if (statuses && !statuses.includes(order.status)) throw new TauToolError(`Error: non-${statuses.join('/')} order cannot be changed`);
    return order;
  }

  user(id: string): TauUser {
    const user = this.data.users[id];
    if (!user) throw new TauToolError('Error: user not found');
    return user;
  }

  private cancel(orderId: string, reason: string): void {
    const order = this.order(orderId, ['pending']);
    if (reason !== 'no longer needed' && reason !== 'ordered by mistake') throw new TauToolError('Error: invalid reason');
    const refunds = order.payment_history.map((p) => ({ transaction_type: 'refund' as const, amount: p.amount, payment_method_id: p.payment_method_id }));
    order.payment_history.push(...refunds);
    order.status = 'cancelled';
    order.cancel_reason = reason;
    const user = this.user(order.user_id);
    for (const r of refunds) {
      const method = user.payment_methods[r.payment_method_id];
      if (method?.source === 'gift_card') method.balance = round2((method.balance ?? 0) + r.amount);
    }
  }

  private checkItems(order: TauOrder, itemIds: string[]): void {
    const have = order.items.map((i) => i.item_id);
    for (const id of itemIds) {
      const at = have.indexOf(id);
      if (at < 0) throw new TauToolError('Error: some item not found');
      have.splice(at, 1);
    }
  }

  private returnItems(orderId: string, itemIds: string[], paymentMethodId: string): void {
    const order = this.order(orderId, ['delivered']);
    const user = this.user(order.user_id);
    const method = user.payment_methods[paymentMethodId];
    if (!method) throw new TauToolError('Error: payment method not found');
    if (method.source !== 'gift_card' && paymentMethodId !== order.payment_history[0]?.payment_method_id) throw new TauToolError('Error: payment method should be either the original payment method or a gift card');
    this.checkItems(order, itemIds);
    order.status = 'return requested';
    order.return_items = [...itemIds].sort();
    order.return_payment_method_id = paymentMethodId;
  }

  private newItems(order: TauOrder, itemIds: string[], newItemIds: string[]): number {
    if (itemIds.length !== newItemIds.length) throw new TauToolError('Error: the number of items to be exchanged should match');
    this.checkItems(order, itemIds);
    let diff = 0;
    itemIds.forEach((id, i) => {
      const item = order.items.find((x) => x.item_id === id) as TauOrder['items'][number];
      const variant = this.data.products[item.product_id]?.variants[newItemIds[i]];
      if (!variant || !variant.available) throw new TauToolError(`Error: new item ${newItemIds[i]} not found or available`);
      diff += variant.price - item.price;
    });
    return round2(diff);
  }

  private exchange(orderId: string, itemIds: string[], newItemIds: string[], paymentMethodId: string): void {
    const order = this.order(orderId, ['delivered']);
    const diff = this.newItems(order, itemIds, newItemIds);
    const method = this.user(order.user_id).payment_methods[paymentMethodId];
    if (!method) throw new TauToolError('Error: payment method not found');
    if (method.source === 'gift_card' && (method.balance ?? 0) < diff) throw new TauToolError('Error: insufficient gift card balance to pay for the price difference');
    order.status = 'exchange requested';
    order.exchange_items = [...itemIds].sort();
    order.exchange_new_items = [...newItemIds].sort();
    order.exchange_payment_method_id = paymentMethodId;
    order.exchange_price_difference = diff;
  }

  private modifyItems(orderId: string, itemIds: string[], newItemIds: string[], paymentMethodId: string): void {
    const order = this.order(orderId, ['pending']);
    const diff = this.newItems(order, itemIds, newItemIds);
    const method = this.user(order.user_id).payment_methods[paymentMethodId];
    if (!method) throw new TauToolError('Error: payment method not found');
    if (method.source === 'gift_card' && (method.balance ?? 0) < diff) throw new TauToolError('Error: insufficient gift card balance to pay for the new item');
    order.payment_history.push({ transaction_type: diff > 0 ? 'payment' : 'refund', amount: Math.abs(diff), payment_method_id: paymentMethodId });
    if (method.source === 'gift_card') method.balance = round2((method.balance ?? 0) - diff);
    itemIds.forEach((id, i) => {
      const item = order.items.find((x) => x.item_id === id) as TauOrder['items'][number];
      const variant = this.data.products[item.product_id].variants[newItemIds[i]];
      Object.assign(item, { item_id: newItemIds[i], price: variant.price, options: variant.options });
    });
    order.status = 'pending (item modified)';
  }

  private modifyPayment(orderId: string, paymentMethodId: string): void {
    const order = this.order(orderId, ['pending']);
    const user = this.user(order.user_id);
    const method = user.payment_methods[paymentMethodId];
    if (!method) throw new TauToolError('Error: payment method not found');
    const first = order.payment_history[0];
    if (order.payment_history.length > 1 || first.transaction_type !== 'payment' || first.payment_method_id === paymentMethodId) {
      throw new TauToolError('Error: the payment method should be different from the current one');
    }
    if (method.source === 'gift_card' && (method.balance ?? 0) < first.amount) throw new TauToolError('Error: insufficient gift card balance');
    order.payment_history.push({ transaction_type: 'payment', amount: first.amount, payment_method_id: paymentMethodId }, { transaction_type: 'refund', amount: first.amount, payment_method_id: first.payment_method_id });
    if (method.source === 'gift_card') method.balance = round2((method.balance ?? 0) - first.amount);
    const old = user.payment_methods[first.payment_method_id];
    if (old?.source === 'gift_card') old.balance = round2((old.balance ?? 0) + first.amount);
  }
}

function address(a: Record<string, string>): Record<string, string> {
  return { address1: a.address1, address2: a.address2 ?? '', city: a.city, country: a.country, state: a.state, zip: a.zip };
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
