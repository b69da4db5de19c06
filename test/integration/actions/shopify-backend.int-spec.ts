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
      items: processed.tau.items.map((i) => ({ id: `gid://shopify/LineItem/${i.item_id}`, title: i.name, quantity: 1 })),
      tracking: processed.tau.fulfillments.flatMap((f) => f.tracking_id.map((number) => ({ number, company: 'UPS', url: expect.stringContaining(number) }))),
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

  it('says exchanges are not supported rather than pretending', async () => {
    const order = (await backend.findOrder(shop.orderWithStatus('delivered').name))!;
    expect(await codeOf(backend.exchange(order, [{ id: order.items[0].id, quantity: 1, newVariantId: 'x' }], 'key-9'))).toBe('unsupported');
  });
});
