import { ActionBackendError } from '../../../apps/agent/src/actions/action-backend';
import { ShopifyActionBackend } from '../../../apps/agent/src/actions/backends/shopify/shopify.backend';
import { FakeShopify } from '../../fakes/shopify/fake-shopify';

/** The Shopify backend through the official client against our fake Admin GraphQL server. */
describe('the Shopify backend', () => {
  let shop: FakeShopify;
  let backend: ShopifyActionBackend;

  beforeAll(async () => {
    shop = await new FakeShopify().start();
    backend = new ShopifyActionBackend({ shopDomain: 'demo-shop.myshopify.com', apiVersion: '2025-10', accessToken: shop.accessToken, apiBaseUrl: shop.origin });
  });

  afterAll(async () => {
    await shop?.stop();
  });

  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'no error',
      (err: unknown) => (err instanceof ActionBackendError ? err.code : `not translated: ${(err as Error).message}`),
    );

  it('finds an order by its number, with its owner, items and tracking', async () => {
    const processed = shop.orderWithStatus('processed');

    const order = await backend.findOrder(processed.name.slice(1));

    expect(order).toEqual({
      id: processed.gid,
      number: processed.name,
      email: processed.email,
      phone: null,
      zip: processed.tau.address.zip,
      status: 'shipped',
      items: processed.tau.items.map((i) => ({
        id: `gid://shopify/LineItem/${i.item_id}`,
        title: i.name,
        quantity: 1,
        variantId: `gid://shopify/ProductVariant/${i.item_id}`,
        productId: `gid://shopify/Product/${i.product_id}`,
        options: i.options,
        price: i.price,
      })),
      tracking: processed.tau.fulfillments.flatMap((f) => f.tracking_id.map((number) => ({ number, company: 'UPS', url: expect.stringContaining(number) }))),
      placedAt: processed.createdAt,
    });
    expect(shop.calls.at(-1)).toEqual({ field: 'orders', variables: { query: `name:"${processed.name}"` } });
  });

  it('tells open, delivered and cancelled orders apart, and an unknown number from an error', async () => {
    expect((await backend.findOrder(shop.orderWithStatus('pending').name))?.status).toBe('open');
    expect((await backend.findOrder(shop.orderWithStatus('delivered').name))?.status).toBe('delivered');
    expect((await backend.findOrder([...shop.orders.values()].find((o) => o.tau.status === 'cancelled')!.name))?.status).toBe('cancelled');
    expect(await backend.findOrder('#W0000000')).toBeNull();
  });

  it('reports a cancel done only once the order says it is cancelled', async () => {
    const pending = [...shop.orders.values()].reverse().find((o) => o.tau.status === 'pending' && !o.cancelledAt)!;
    const order = (await backend.findOrder(pending.name))!;

    const result = await backend.cancelOrder(order, 'customer', 'key-1');

    expect(result).toEqual({ state: 'done', reference: expect.stringMatching(/^gid:\/\/shopify\/Job\//) });
    expect(pending.cancelledAt).not.toBeNull();
    expect(await codeOf(backend.cancelOrder(order, 'customer', 'key-2'))).toBe('rejected');
  });

  it('passes on a refused cancel of a shipped order as rejected, changing nothing', async () => {
    const processed = shop.orderWithStatus('processed');
    const order = (await backend.findOrder(processed.name))!;

    expect(await codeOf(backend.cancelOrder(order, 'customer', 'key-3'))).toBe('rejected');
    expect(processed.cancelledAt).toBeNull();
  });

  it('changes the shipping address', async () => {
    const pending = [...shop.orders.values()].reverse().find((o) => o.tau.status === 'pending' && !o.cancelledAt)!;
    const order = (await backend.findOrder(pending.name))!;

    await backend.changeShippingAddress(order, { address1: '1 Main Street', city: 'Austin', zip: '73301', province: 'TX', country: 'USA' }, 'key-4');

    expect(pending.tau.address).toMatchObject({ address1: '1 Main Street', city: 'Austin', zip: '73301', state: 'TX' });
    expect((await backend.findOrder(pending.name))?.zip).toBe('73301');
  });

  it('translates a wrong token, an outage and an unreachable shop into its own error codes', async () => {
    const name = shop.orderWithStatus('pending').name;
    const wrongToken = new ShopifyActionBackend({ shopDomain: 'demo-shop.myshopify.com', apiVersion: '2025-10', accessToken: 'shpat_wrong', apiBaseUrl: shop.origin });
    expect(await codeOf(wrongToken.findOrder(name))).toBe('unauthorized');

    shop.failMutationsWith = 503;
    try {
      expect(await codeOf(backend.cancelOrder((await backend.findOrder(name))!, 'customer', 'key-5'))).toBe('unavailable');
    } finally {
      shop.failMutationsWith = undefined;
    }

    const unreachable = new ShopifyActionBackend({ shopDomain: 'demo-shop.myshopify.com', apiVersion: '2025-10', accessToken: 'x', apiBaseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 });
    expect(await codeOf(unreachable.findOrder(name))).toBe('unavailable');
  });

  it('requests a return of the chosen items, pending until the merchant approves it', async () => {
    const delivered = shop.orderWithStatus('delivered');
    const order = (await backend.findOrder(delivered.name))!;

    const result = await backend.requestReturn(order, [{ id: order.items[0].id, quantity: 1 }], 'store_credit', 'key-6');

    expect(result).toEqual({ state: 'pending', reference: expect.stringMatching(/^gid:\/\/shopify\/Return\//) });
    expect(delivered.returns).toEqual([{ id: result.reference, status: 'REQUESTED', items: [{ itemId: delivered.tau.items[0].item_id, quantity: 1, note: 'Refund to: store credit.' }] }]);
    // The same item again, or an order not delivered: Shopify has nothing returnable.
    expect(await codeOf(backend.requestReturn(order, [{ id: order.items[0].id, quantity: 1 }], 'store_credit', 'key-7'))).toBe('rejected');
    const pending = (await backend.findOrder(shop.orderWithStatus('pending').name))!;
    expect(await codeOf(backend.requestReturn(pending, [{ id: pending.items[0].id, quantity: 1 }], 'original_payment', 'key-8'))).toBe('rejected');
  });

  it("lists a product's variants with their options, price and whether they are for sale", async () => {
    const item = shop.orderWithStatus('delivered').tau.items[0];
    const product = shop.products.get(item.product_id)!;

    const variants = await backend.productVariants(`gid://shopify/Product/${item.product_id}`);

    expect(variants).toHaveLength(Object.keys(product.variants).length);
    const same = variants.find((v) => v.id === `gid://shopify/ProductVariant/${item.item_id}`);
    expect(same).toMatchObject({ options: item.options, available: product.variants[item.item_id].available, price: product.variants[item.item_id].price });
  });

  it("finds a customer's orders by the email they ordered with, newest first, and nobody else's", async () => {
    const some = shop.orderWithStatus('delivered');
    const theirs = [...shop.orders.values()].filter((o) => o.email === some.email);

    const orders = await backend.findOrdersByEmail(some.email.toUpperCase());

    expect(orders.map((o) => o.number).sort()).toEqual(theirs.map((o) => o.name).sort());
    expect(orders.every((o) => o.email === some.email)).toBe(true);
    expect([...orders].sort((a, b) => (b.placedAt ?? '').localeCompare(a.placedAt ?? ''))).toEqual(orders);
    expect(await backend.findOrdersByEmail('nobody@example.org')).toEqual([]);
  });

  it('exchanges an item for another variant of its product with returnCreate, pending until the shop processes it', async () => {
    const delivered = [...shop.orders.values()].reverse().find((o) => o.tau.status === 'delivered' && o.returns.length === 0)!;
    const order = (await backend.findOrder(delivered.name))!;
    const item = delivered.tau.items[0];
    const other = Object.values(shop.products.get(item.product_id)!.variants).find((v) => v.available && v.item_id !== item.item_id)!;

    const result = await backend.exchange(order, [{ id: order.items[0].id, quantity: 1, newVariantId: `gid://shopify/ProductVariant/${other.item_id}` }], 'key-9', 'store_credit');

    expect(result).toEqual({ state: 'pending', reference: expect.stringMatching(/^gid:\/\/shopify\/Return\//) });
    expect(delivered.exchanges).toEqual([
      { id: result.reference, status: 'OPEN', items: [{ itemId: item.item_id, quantity: 1, note: 'Exchange; price difference to or from: store credit.' }], newItems: [{ itemId: other.item_id, quantity: 1 }] },
    ]);
  });

  it('passes on an exchange to a variant not for sale as rejected, changing nothing', async () => {
    const soldOut = (productId: string) => Object.values(shop.products.get(productId)!.variants).find((v) => !v.available);
    const delivered = [...shop.orders.values()].find((o) => o.tau.status === 'delivered' && o.exchanges.length === 0 && soldOut(o.tau.items[0].product_id))!;
    const order = (await backend.findOrder(delivered.name))!;

    const sold = soldOut(delivered.tau.items[0].product_id)!;
    const code = await codeOf(backend.exchange(order, [{ id: order.items[0].id, quantity: 1, newVariantId: `gid://shopify/ProductVariant/${sold.item_id}` }], 'key-10'));

    expect(code).toBe('rejected');
    expect(delivered.exchanges).toEqual([]);
  });

  it('changes an item of an unfulfilled order to another variant as one order edit (begin, quantity, add, commit)', async () => {
    const pending = [...shop.orders.values()].find((o) => o.tau.status === 'pending' && !o.cancelledAt && o.itemEdits.length === 0 && new Set(o.tau.items.map((i) => i.item_id)).size === o.tau.items.length)!;
    const order = (await backend.findOrder(pending.name))!;
    // A copy: the edit changes the store's line in place.
    const item = { ...pending.tau.items[0] };
    const other = Object.values(shop.products.get(item.product_id)!.variants).find((v) => v.available && v.item_id !== item.item_id)!;

    const result = await backend.modifyItems(order, [{ id: order.items[0].id, quantity: 1, newVariantId: `gid://shopify/ProductVariant/${other.item_id}` }], 'key-11', 'store_credit');

    expect(result).toEqual({ state: 'done', reference: pending.gid });
    expect(shop.calls.slice(-4).map((c) => c.field)).toEqual(['orderEditBegin', 'orderEditSetQuantity', 'orderEditAddVariant', 'orderEditCommit']);
    expect(shop.calls.at(-3)?.variables).toMatchObject({ lineItemId: `gid://shopify/CalculatedLineItem/${item.item_id}`, quantity: 0 });
    expect(pending.itemEdits).toEqual([{ items: [item.item_id], newItems: [other.item_id], note: expect.stringContaining('price difference to or from: store credit') }]);
    // The order now has the new variant at its price, and the old one no more.
    const after = (await backend.findOrder(pending.name))!;
    expect(after.items.find((i) => i.variantId === `gid://shopify/ProductVariant/${other.item_id}`)).toMatchObject({ options: other.options, price: other.price });
    expect(after.items.some((i) => i.variantId === `gid://shopify/ProductVariant/${item.item_id}`)).toBe(false);
  });

  it('refuses to edit a shipped order or to add a variant not for sale, committing nothing', async () => {
    const processed = shop.orderWithStatus('processed');
    const shipped = (await backend.findOrder(processed.name))!;
    const target = Object.values(shop.products.get(processed.tau.items[0].product_id)!.variants).find((v) => v.available)!;
    expect(await codeOf(backend.modifyItems(shipped, [{ id: shipped.items[0].id, quantity: 1, newVariantId: `gid://shopify/ProductVariant/${target.item_id}` }], 'key-12'))).toBe('rejected');

    const soldOut = (productId: string) => Object.values(shop.products.get(productId)!.variants).find((v) => !v.available);
    const pending = [...shop.orders.values()].find((o) => o.tau.status === 'pending' && !o.cancelledAt && o.itemEdits.length === 0 && soldOut(o.tau.items[0].product_id))!;
    const order = (await backend.findOrder(pending.name))!;
    const sold = soldOut(pending.tau.items[0].product_id)!;
    expect(await codeOf(backend.modifyItems(order, [{ id: order.items[0].id, quantity: 1, newVariantId: `gid://shopify/ProductVariant/${sold.item_id}` }], 'key-13'))).toBe('rejected');
    expect(shop.calls.at(-1)?.field).toBe('orderEditAddVariant');
    expect(pending.itemEdits).toEqual([]);
    expect(processed.itemEdits).toEqual([]);
  });
});
