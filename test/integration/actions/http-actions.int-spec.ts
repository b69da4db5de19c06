import { readFileSync } from 'fs';
import { join } from 'path';
import { ActionBackendError } from '../../../apps/agent/src/actions/action-backend';
import { httpBackendDefinition } from '../../../apps/agent/src/actions/backends/http/http.definition';
import { runConnectBackend } from '../../../apps/agent/src/actions/connect-backend.cli';
import { FakeRestShop, type RestShopOrder } from '../../fakes/rest-shop/fake-rest-shop';
import { BrainHarness } from '../brain/brain-harness';

const SECRET_KEY = 'brain-int-spec-secret-key-of-32-characters';

/**
 * How a tenant declares its own shop's API: no code, settings only. The declaration is the root
 * README's example, read from it, so the example works as written (only `baseUrl` points at the fake).
 */
const declared = (baseUrl: string) => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const block = readme.slice(readme.indexOf('<!-- http-backend-example -->'));
  const settings = /--settings '(\{[\s\S]*?\})'\n```/.exec(block)?.[1];
  if (!settings) throw new Error('the README has no HTTP backend example');
  return { ...(JSON.parse(settings) as Record<string, unknown>), baseUrl };
};

/** Actions on a shop with its own REST API, declared in the tenant's settings, in the customer's words on web chat. */
describe('order actions on a shop declared as an HTTP backend', () => {
  const brain = new BrainHarness();
  let shop: FakeRestShop;

  beforeAll(async () => {
    shop = await new FakeRestShop().start();
    await brain.start('httpactions');
    await runConnectBackend(['--tenant', brain.demo.tenantId, '--backend', 'http', '--name', 'Our shop', '--settings', JSON.stringify(declared(shop.baseUrl))], {
      DATABASE_URL: (brain.ds.options as { url: string }).url,
      SECRET_KEY,
      ACTION_BACKEND_SECRETS: JSON.stringify({ authValue: `Bearer ${shop.token}` }),
    });
  }, 120_000);

  afterAll(async () => {
    await brain.stop();
    await shop?.stop();
  });

  const used = new Set<string>();
  function pendingOrder(): RestShopOrder {
    const order = [...shop.orders.values()].find((o) => o.state === 'pending' && !used.has(o.number));
    if (!order) throw new Error('no pending order left');
    used.add(order.number);
    return order;
  }

  it('tells where an order is, with its tracking number, from the shop’s own API', async () => {
    const order = [...shop.orders.values()].find((o) => o.state === 'processed' && o.shipments.length > 0) as RestShopOrder;
    const who = brain.visitor();

    await brain.ask(`where is my order #${order.number}?`, who);
    const answer = await brain.ask(`my zip is ${order.zip}`, who);

    expect(answer.text).toBe(`Order ${order.number} has shipped. Tracking number: ${order.shipments.map((s) => s.tracking).join(', ')}.`);
    expect(answer.trace).toMatchObject({ action: { backend: 'http', identity: 'verified', proof: 'zip' } });
  });

  it("never passes on another customer's data the shop wrote on an order: a person looks at it instead", async () => {
    const order = pendingOrder();
    order.lines = [...order.lines, { id: 'gift-1', name: 'Gift card for dana.other@example.net, +1 415 555 0188', product_id: 'gift', sku: 'gift-1', options: {}, price: 25 }];
    const who = brain.visitor();

    const reply = await brain.ask(`please cancel order #${order.number}, my zip is ${order.zip}`, who);

    expect(reply.text).not.toContain('dana.other@example.net');
    expect(reply.text).not.toContain('555 0188');
    expect(reply.trace).toMatchObject({ handoff: { reason: 'failed_check' }, checks: [{ name: 'personal_data', passed: false }] });
    expect(reply.conversationStatus).toBe('waiting');
  });

  it('cancels after a yes, sends the idempotency key, and a second yes sends nothing', async () => {
    const order = pendingOrder();
    const who = brain.visitor();
    await brain.ask(`please cancel my order #${order.number}, my email is ${order.email}`, who);

    const done = await brain.ask('yes', who);
    const again = await brain.ask('yes', who);

    expect(done.text).toBe(`Done: order ${order.number} has been cancelled.`);
    expect(again.text).toBe(done.text);
    expect(order.state).toBe('cancelled');
    const cancels = shop.requests.filter((r) => r.path === `/api/orders/${order.id}/cancel`);
    expect(cancels).toEqual([{ method: 'POST', path: `/api/orders/${order.id}/cancel`, idempotencyKey: (done.trace.action as { call: { idempotencyKey: string } }).call.idempotencyKey, body: { reason: 'customer' } }]);
  });

  it('hands off without claiming anything when the shop fails', async () => {
    const order = pendingOrder();
    const who = brain.visitor();
    await brain.ask(`cancel order #${order.number}, email ${order.email}`, who);
    shop.failCancelsWith = 502;
    try {
      const reply = await brain.ask('yes', who);

      expect(reply.text).toContain(`I couldn't cancel order ${order.number}, so nothing has been changed.`);
      expect(reply.trace).toMatchObject({ handoff: { reason: 'action_failed' }, action: { error: 'unavailable' } });
      expect(order.state).toBe('pending');
    } finally {
      shop.failCancelsWith = undefined;
    }
  });

  it('reads a wrong secret as unauthorized and an unknown order as none', async () => {
    const settings = httpBackendDefinition.settings.parse(declared(shop.baseUrl));
    const wrong = httpBackendDefinition.create(settings, { authValue: 'Bearer nope' });
    const right = httpBackendDefinition.create(settings, { authValue: `Bearer ${shop.token}` });

    const error = await wrong.findOrder('W0000001').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ActionBackendError);
    expect((error as ActionBackendError).code).toBe('unauthorized');
    expect(await right.findOrder('#W0000001')).toBeNull();
  });

  it('requests a return of the named item with the refund method through the declared operation, once', async () => {
    const order = [...shop.orders.values()].find((o) => o.state === 'delivered' && new Set(o.lines.map((l) => l.name)).size === o.lines.length && o.lines.length > 1) as RestShopOrder;
    const [line] = order.lines;
    const who = brain.visitor();
    await brain.ask(`I'd like to return the ${line.name.toLowerCase()} from order #${order.number}, my zip is ${order.zip}`, who);
    await brain.ask('to store credit please', who);

    const done = await brain.ask('yes', who);
    await brain.ask('yes', who);

    expect(done.text).toContain(`Done: I've requested the return of ${line.name} from order ${order.number}.`);
    expect(order.returns).toEqual([{ id: expect.any(String), kind: 'return', refund: 'store_credit', items: [{ id: line.id, quantity: 1 }] }]);
    expect(shop.requestsTo(order, 'returns')).toBe(1);
  });

  it('exchanges for a variant read from the declared product operation', async () => {
    const order = [...shop.orders.values()].find((o) => {
      const line = o.lines[0];
      return o.state === 'delivered' && o.returns.length === 0 && (shop.products.get(line?.product_id) ?? []).some((v) => v.in_stock && differsInOne(line.options, v.options));
    }) as RestShopOrder;
    const line = order.lines[0];
    const target = (shop.products.get(line.product_id) ?? []).find((v) => v.in_stock && differsInOne(line.options, v.options))!;
    const option = Object.keys(line.options).find((k) => line.options[k] !== target.options[k])!;
    const who = brain.visitor();
    await brain.ask(`I want to exchange the ${line.name.toLowerCase()} in order #${order.number} for the ${target.options[option]} one, zip ${order.zip}`, who);

    const done = await brain.ask('yes', who);

    expect(done.text).toContain(`Done: I've requested the exchange of ${line.name}`);
    expect(order.returns).toEqual([{ id: expect.any(String), kind: 'exchange', refund: 'original_payment', items: [{ id: line.id, quantity: 1, new_variant_id: target.sku }] }]);
  });

  it('changes an item of a pending order to the variant the customer names, through the declared operation', async () => {
    const order = [...shop.orders.values()].find((o) => {
      const line = o.lines[0];
      const unique = o.lines.filter((l) => l.name === line?.name).length === 1;
      return o.state === 'pending' && unique && o.itemChanges.length === 0 && (shop.products.get(line?.product_id) ?? []).some((v) => v.in_stock && differsInOne(line.options, v.options));
    }) as RestShopOrder;
    used.add(order.number);
    const line = { ...order.lines[0] };
    const target = (shop.products.get(line.product_id) ?? []).find((v) => v.in_stock && differsInOne(line.options, v.options))!;
    const option = Object.keys(line.options).find((k) => line.options[k] !== target.options[k])!;
    const who = brain.visitor();

    const confirm = await brain.ask(`I want to change the ${line.name.toLowerCase()} in my pending order #${order.number} to the ${target.options[option]} one, zip ${order.zip}`, who);
    expect(confirm.text).toContain(`Do you want me to change ${line.name} (`);
    expect(order.itemChanges).toEqual([]);
    const done = await brain.ask('yes', who);

    expect(done.text).toContain(`Done: I've changed ${line.name} (`);
    expect(order.itemChanges).toEqual([{ refund: 'original_payment', items: [{ id: line.id, quantity: 1, new_variant_id: target.sku }] }]);
    expect(order.lines[0]).toMatchObject({ id: target.sku, options: target.options, price: target.price });
    expect(shop.requestsTo(order, 'items')).toBe(1);
  });

  it('changes the shipping address of a pending order through the declared operation', async () => {
    const order = pendingOrder();
    const who = brain.visitor();
    await brain.ask(`please ship order #${order.number} to a different address: 40 Pine Road, Apt 2, Denver, CO 80203, USA. My email is ${order.email}`, who);

    const done = await brain.ask('yes', who);

    expect(done.text).toBe(`Done: order ${order.number} will be shipped to 40 Pine Road, Apt 2, Denver, CO 80203, USA.`);
    expect(order.shipping_address).toEqual({ address1: '40 Pine Road', address2: 'Apt 2', city: 'Denver', state: 'CO', zip: '80203', country: 'USA' });
  });
});

function differsInOne(current: Record<string, string>, other: Record<string, string>): boolean {
  return Object.keys(current).filter((k) => current[k] !== other[k]).length === 1;
}
