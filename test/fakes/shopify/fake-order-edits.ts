import type { FakeOrder } from './fake-shopify';

interface TauVariant {
  item_id: string;
  options: Record<string, string>;
  available: boolean;
  price: number;
}

interface EditSession {
  order: FakeOrder;
  /** Units taken off, by tau-bench item id, in the order the edit lowered them. */
  removed: { itemId: string; quantity: number }[];
  added: { itemId: string; quantity: number }[];
}

/**
 * Shopify's order editing on the fake store: `orderEditBegin` opens a calculated order (its lines
 * `gid://shopify/CalculatedLineItem/<item>` with their variant), `orderEditSetQuantity` and
 * `orderEditAddVariant` stage changes, `orderEditCommit` applies them to the order. Only an
 * unfulfilled, open order can be edited, only to a variant for sale; nothing changes before the commit.
 */
export class FakeOrderEdits {
  private readonly sessions = new Map<string, EditSession>();

  constructor(
    private readonly orders: () => Iterable<FakeOrder>,
    private readonly variant: (itemId: string) => TauVariant | undefined,
    private readonly onCommit: (order: FakeOrder) => void,
  ) {}

  reset(): void {
    this.sessions.clear();
  }

  handle(field: string, variables: Record<string, unknown>): Record<string, unknown> | undefined {
    if (field === 'orderEditBegin') return this.begin(String(variables.id));
    const session = this.sessions.get(String(variables.id));
    const error = (message: string) => ({ userErrors: [{ field: ['id'], message }] });
    if (field === 'orderEditSetQuantity') {
      if (!session) return { calculatedOrder: null, ...error('The order edit does not exist') };
      const itemId = String(variables.lineItemId).split('/').pop() as string;
      const have = session.order.tau.items.filter((i) => i.item_id === itemId).length;
      const quantity = Number(variables.quantity);
      if (have === 0 || quantity < 0 || quantity > have) return { calculatedOrder: null, userErrors: [{ field: ['quantity'], message: 'Quantity is invalid' }] };
      session.removed.push({ itemId, quantity: have - quantity });
      return { calculatedOrder: { id: variables.id }, userErrors: [] };
    }
    if (field === 'orderEditAddVariant') {
      if (!session) return { calculatedLineItem: null, ...error('The order edit does not exist') };
      const itemId = String(variables.variantId).split('/').pop() as string;
      if (!this.variant(itemId)?.available) return { calculatedLineItem: null, userErrors: [{ field: ['variantId'], message: 'Variant is not available' }] };
      session.added.push({ itemId, quantity: Number(variables.quantity) });
      return { calculatedLineItem: { id: `gid://shopify/CalculatedLineItem/new-${itemId}` }, userErrors: [] };
    }
    if (field === 'orderEditCommit') {
      if (!session) return { order: null, ...error('The order edit does not exist') };
      this.sessions.delete(String(variables.id));
      return this.commit(session, typeof variables.staffNote === 'string' ? variables.staffNote : '');
    }
    return undefined;
  }

  private begin(orderId: string): Record<string, unknown> {
    const order = [...this.orders()].find((o) => o.gid === orderId);
    if (!order) return { calculatedOrder: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] };
    if (order.cancelledAt || order.tau.fulfillments.length > 0) return { calculatedOrder: null, userErrors: [{ field: ['id'], message: 'The order cannot be edited' }] };
    const id = `gid://shopify/CalculatedOrder/${order.gid.split('/').pop()}-${this.sessions.size + 1}`;
    this.sessions.set(id, { order, removed: [], added: [] });
    const counts = new Map<string, number>();
    for (const item of order.tau.items) counts.set(item.item_id, (counts.get(item.item_id) ?? 0) + 1);
    const nodes = [...counts].map(([itemId, quantity]) => ({ id: `gid://shopify/CalculatedLineItem/${itemId}`, quantity, variant: { id: `gid://shopify/ProductVariant/${itemId}` } }));
    return { calculatedOrder: { id, lineItems: { nodes } }, userErrors: [] };
  }

  /** The staged changes applied: each unit taken off becomes, in turn, a unit added. */
  private commit(session: EditSession, note: string): Record<string, unknown> {
    const { order } = session;
    const off = session.removed.flatMap((r) => Array.from({ length: r.quantity }, () => r.itemId));
    const on = session.added.flatMap((a) => Array.from({ length: a.quantity }, () => a.itemId));
    if (off.length === 0 && on.length === 0) return { order: { id: order.gid }, userErrors: [] };
    off.forEach((itemId, i) => {
      const item = order.tau.items.find((x) => x.item_id === itemId && !x.edited);
      const variant = this.variant(on[i] ?? '');
      if (item && variant) Object.assign(item, { item_id: variant.item_id, price: variant.price, options: variant.options, edited: true });
    });
    for (const item of order.tau.items) delete item.edited;
    order.itemEdits.push({ items: off, newItems: on, note });
    this.onCommit(order);
    return { order: { id: order.gid }, userErrors: [] };
  }
}
