import { newId } from '@cs/contracts';
import { FakeShopify, type FakeOrder } from '../../fakes/shopify/fake-shopify';
import { BrainHarness } from '../brain/brain-harness';
import { channelCustomer, connectFakeShopify, type Channel } from './channel-customer';

/**
 * Returns, exchanges and address changes on a Shopify store, and the order-status and cancel flows on
 * the channels web chat does not cover, in the customer's words: the agent module with real
 * PostgreSQL and the in-process bus, the official Admin API client pointed at our fake Shopify
 * (tau-bench retail's orders and products).
 */
describe('return, exchange and address flows on a Shopify store, on every channel', () => {
  const brain = new BrainHarness();
  let shop: FakeShopify;

  beforeAll(async () => {
    shop = await new FakeShopify().start();
    await brain.start('actionflows');
    await connectFakeShopify(brain, shop);
  }, 120_000);

  afterAll(async () => {
    await brain.stop();
    await shop?.stop();
  });

  /** An order of this status nobody else in this file uses, with at least `items` distinct items. */
  const used = new Set<string>();
  function orderOf(status: 'pending' | 'delivered' | 'processed', items = 1): FakeOrder {
    const order = [...shop.orders.values()].find(
      (o) => o.tau.status === status && !used.has(o.name) && new Set(o.tau.items.map((i) => i.name)).size === o.tau.items.length && o.tau.items.length >= items,
    );
    if (!order) throw new Error(`no ${status} order left`);
    used.add(order.name);
    return order;
  }

  const customerOn = (channel: Channel, from: string) => channelCustomer(brain, channel, from);

  it('requests a return of the items the web-chat customer names, refunded the way they chose, after their yes', async () => {
    const order = orderOf('delivered', 2);
    const [first, second] = order.tau.items;
    const who = brain.visitor();

    await brain.ask(`Hi, I'd like to return the ${first.name.toLowerCase()} from order ${order.name}`, who);
    const refund = await brain.ask(`my email is ${order.email}`, who);
    expect(refund.text).toBe('Should the refund go to your original payment method or to store credit (a gift card)?');
    const confirm = await brain.ask('store credit please', who);
    expect(confirm.text).toContain(`Do you want me to request a return of ${first.name} from order ${order.name}, refunded to store credit (a gift card)?`);
    expect(confirm.text).toContain(`The refund comes to ${first.price.toFixed(2)}.`);
    expect(order.returns).toEqual([]);

    const done = await brain.ask('yes', who);

    expect(done.text).toBe(`Done: I've requested the return of ${first.name} from order ${order.name}. You'll receive an email explaining how to send them back.`);
    expect(order.returns).toEqual([{ id: expect.any(String), status: 'REQUESTED', items: [{ itemId: first.item_id, quantity: 1, note: 'Refund to: store credit.' }] }]);
    expect(order.returns[0].items.map((i) => i.itemId)).not.toContain(second.item_id);
    expect(done.trace).toMatchObject({ action: { action: 'return_order', customer: 'confirmed', call: { outcome: 'done' }, result: 'pending' } });
  });

  it('asks which items when the customer does not say, and never repeats a return confirmed twice', async () => {
    const order = orderOf('delivered', 2);
    const [first] = order.tau.items;
    const who = brain.visitor();

    const which = await brain.ask(`I want to return something from order ${order.name}, email ${order.email}`, who);
    expect(which.text).toBe(`Which items of order ${order.name} would you like to return? It has: ${order.tau.items.map((i) => i.name).join(', ')}.`);
    await brain.ask(`the ${first.name}, refund to my card`, who);
    await brain.ask('yes', who);
    const again = await brain.ask('yes', who);

    expect(again.trace).toMatchObject({ action: { customer: 'confirmed again', call: { outcome: 'done', repeated: true } } });
    expect(shop.calls.filter((c) => c.field === 'returnRequest' && (c.variables.input as { orderId: string }).orderId === order.gid)).toHaveLength(1);
    expect(order.returns).toHaveLength(1);
    expect(order.returns[0].items[0].note).toBe('Refund to: original payment method.');
  });

  it('exchanges an item for the variant named in an email from the order address, keeping its other options', async () => {
    const order = [...shop.orders.values()].find((o) => {
      if (o.tau.status !== 'delivered' || used.has(o.name) || new Set(o.tau.items.map((i) => i.name)).size !== o.tau.items.length) return false;
      const item = o.tau.items[0];
      return Object.values(shop.products.get(item.product_id)!.variants).some((v) => v.available && variantDiffersInOne(item.options, v.options));
    })!;
    used.add(order.name);
    const item = order.tau.items[0];
    const target = Object.values(shop.products.get(item.product_id)!.variants).find((v) => v.available && variantDiffersInOne(item.options, v.options))!;
    const [option] = Object.keys(item.options).filter((k) => item.options[k] !== target.options[k]);
    const ask = customerOn('email', order.email);

    const confirm = await ask(`Hello, I'd like to exchange the ${item.name.toLowerCase()} of order ${order.name} for the ${target.options[option]} one. Thanks`);
    expect(confirm.text).toContain(`Do you want me to exchange ${item.name} (${Object.values(item.options).join(', ')}) → ${Object.values(target.options).join(' / ')} on order ${order.name}?`);
    const done = await ask('Yes');

    expect(done.text).toContain(`Done: I've requested the exchange of ${item.name}`);
    expect(order.exchanges).toEqual([
      { id: expect.any(String), status: 'OPEN', items: [{ itemId: item.item_id, quantity: 1, note: expect.stringContaining('original payment method') }], newItems: [{ itemId: target.item_id, quantity: 1 }] },
    ]);
  });

  it('changes an item of an order not shipped yet as an order edit, when an email asks to exchange it', async () => {
    const order = [...shop.orders.values()].find((o) => {
      if (o.tau.status !== 'pending' || used.has(o.name) || new Set(o.tau.items.map((i) => i.name)).size !== o.tau.items.length) return false;
      const item = o.tau.items[0];
      return Object.values(shop.products.get(item.product_id)!.variants).some((v) => v.available && variantDiffersInOne(item.options, v.options));
    })!;
    used.add(order.name);
    const item = { ...order.tau.items[0] };
    const target = Object.values(shop.products.get(item.product_id)!.variants).find((v) => v.available && variantDiffersInOne(item.options, v.options))!;
    const [option] = Object.keys(item.options).filter((k) => item.options[k] !== target.options[k]);
    const ask = customerOn('email', order.email);

    const confirm = await ask(`Hello, I'd like to exchange the ${item.name.toLowerCase()} of order ${order.name} for the ${target.options[option]} one.`);
    // Not shipped yet: an edit of the order, not a return of something never received.
    expect(confirm.text).toContain(`Do you want me to change ${item.name} (${Object.values(item.options).join(', ')}) → ${Object.values(target.options).join(' / ')} on order ${order.name}?`);
    expect(confirm.trace).toMatchObject({ action: { action: 'modify_items', step: 'confirm' } });
    expect(order.itemEdits).toEqual([]);
    const done = await ask('Yes');

    expect(done.text).toContain(`Done: I've changed ${item.name}`);
    expect(order.itemEdits).toEqual([{ items: [item.item_id], newItems: [target.item_id], note: expect.stringContaining('original payment method') }]);
    expect(order.exchanges).toEqual([]);
  });

  it('offers the other order an email named items of once the first is done, and does it only after a yes', async () => {
    // A customer with two delivered orders, each with an item the other has not.
    const delivered = [...shop.orders.values()].filter((o) => o.tau.status === 'delivered' && !used.has(o.name));
    const pair = delivered
      .map((a) => [a, delivered.find((b) => b !== a && b.email === a.email)] as const)
      .map(([a, b]) => b && { a, b, x: a.tau.items.find((i) => !b.tau.items.some((j) => j.name === i.name)), y: b.tau.items.find((i) => !a.tau.items.some((j) => j.name === i.name)) })
      .find((p) => p?.x && p.y && p.a.tau.items.filter((i) => i.name === p.x!.name).length === 1 && p.b.tau.items.filter((i) => i.name === p.y!.name).length === 1)!;
    const { a, b, x, y } = pair as { a: FakeOrder; b: FakeOrder; x: FakeOrder['tau']['items'][number]; y: FakeOrder['tau']['items'][number] };
    used.add(a.name).add(b.name);
    const ask = customerOn('email', a.email);

    await ask(`Hi, I want to return the ${x.name.toLowerCase()} of order ${a.name} and the ${y.name.toLowerCase()}, refund to my original payment method.`);
    const first = await ask('yes');
    expect(first.text).toContain(`Done: I've requested the return of ${x.name} from order ${a.name}.`);
    expect(first.text).toContain(`Order ${b.name} (`);
    expect(first.text).toContain('Shall I do the same for it?');
    expect(b.returns).toEqual([]);

    const second = await ask('yes');
    expect(second.text).toContain(`The refund comes to ${y.price.toFixed(2)}. Do you want me to request a return of ${y.name} from order ${b.name}`);
    expect(b.returns).toEqual([]);
    const done = await ask('yes');

    expect(done.text).toContain(`Done: I've requested the return of ${y.name} from order ${b.name}.`);
    expect(done.text).toContain(`the refunds come to ${(x.price + y.price).toFixed(2)} in total.`);
    expect(a.returns.map((r) => r.items.map((i) => i.itemId))).toEqual([[x.item_id]]);
    expect(b.returns.map((r) => r.items.map((i) => i.itemId))).toEqual([[y.item_id]]);
  });

  it('finds the order from the items an email names when the customer has no order number', async () => {
    const order = orderOf('delivered', 1);
    const item = order.tau.items[0];
    const ask = customerOn('email', order.email);

    const reply = await ask(`Hi, I received my ${item.name.toLowerCase()} and would like to return it.`);

    // The sender's address proves who writes; the order is the one of theirs with that item (or a question naming theirs only).
    const theirs = [...shop.orders.values()].filter((o) => o.email === order.email).map((o) => o.name);
    const named = [...reply.text.matchAll(/#W\d+/g)].map((m) => m[0]);
    expect(named.every((n) => theirs.includes(n))).toBe(true);
    expect(reply.trace).toMatchObject({ action: { action: 'return_order', identity: 'verified', proof: 'sender_email' } });
  });

  it('changes the shipping address of a pending order for the SMS customer whose number is on it', async () => {
    const order = orderOf('pending');
    order.phone = '+1 (512) 555-0177';
    const ask = customerOn('sms', '+15125550177');

    const confirm = await ask(`Please change the shipping address of my order ${order.name} to 12 Oak Street, Austin, TX 78701, USA`);
    expect(confirm.text).toBe(`Do you want me to change the shipping address of order ${order.name} to 12 Oak Street, Austin, TX 78701, USA? Reply "yes" to change it or "no" to keep it.`);
    expect(order.addressChanges).toEqual([]);
    const done = await ask('yes');

    expect(done.text).toBe(`Done: order ${order.name} will be shipped to 12 Oak Street, Austin, TX 78701, USA.`);
    expect(order.addressChanges).toEqual([{ address1: '12 Oak Street', city: 'Austin', province: 'TX', zip: '78701', country: 'USA' }]);
    expect(order.tau.address).toMatchObject({ address1: '12 Oak Street', city: 'Austin', zip: '78701', state: 'TX' });
  });

  it('hands an SMS exchange to a person when Shopify fails, saying nothing was changed', async () => {
    const order = [...shop.orders.values()].find(
      (o) => o.tau.status === 'delivered' && !used.has(o.name) && Object.values(shop.products.get(o.tau.items[0].product_id)!.variants).some((v) => v.available && variantDiffersInOne(o.tau.items[0].options, v.options)),
    )!;
    used.add(order.name);
    order.phone = '+1 (512) 555-0188';
    const item = order.tau.items[0];
    const target = Object.values(shop.products.get(item.product_id)!.variants).find((v) => v.available && variantDiffersInOne(item.options, v.options))!;
    const option = Object.keys(item.options).find((k) => item.options[k] !== target.options[k])!;
    const ask = customerOn('sms', '+15125550188');
    await ask(`I want to exchange the ${item.name.toLowerCase()} in order ${order.name} for the ${target.options[option]} one`);
    shop.failMutationsWith = 500;
    try {
      const reply = await ask('yes');

      expect(reply.text).toContain(`I couldn't make that change to order ${order.name}, so nothing has been changed.`);
      expect(reply.text).not.toMatch(/Done|requested the exchange/);
      expect(reply.trace).toMatchObject({ handoff: { reason: 'action_failed' }, action: { call: { outcome: 'failed' }, error: 'unavailable' } });
      expect(order.exchanges).toEqual([]);
    } finally {
      shop.failMutationsWith = undefined;
    }
  });

  it('tells a Slack customer where their order is, with its tracking number, once they give the order email', async () => {
    const order = orderOf('processed');
    const ask = customerOn('slack', `U${newId().slice(0, 8).toUpperCase()}`);

    const first = await ask(`hey, where's my order ${order.name}?`);
    expect(first.text).toContain('order number and the email address');
    const answer = await ask(`it's ${order.email}`);

    expect(answer.text).toBe(`Order ${order.name} has shipped. Tracking number: ${order.tau.fulfillments[0].tracking_id.join(' (UPS), ')} (UPS).`);
  });

  it("refuses to cancel someone else's order on Slack, and cancels nothing", async () => {
    const order = orderOf('pending');
    const ask = customerOn('slack', `U${newId().slice(0, 8).toUpperCase()}`);

    const reply = await ask(`please cancel order ${order.name}, my email is not.the.owner@example.com`);

    expect(reply.text).toBe("I couldn't find an order matching those details. Please check the order number and the email address or zip code.");
    expect(shop.cancelCalls(order)).toBe(0);
    expect(reply.trace).toMatchObject({ action: { identity: 'failed' } });
  });

  it('cancels on Slack after the yes, with the reason the customer gave', async () => {
    const order = orderOf('pending');
    const ask = customerOn('slack', `U${newId().slice(0, 8).toUpperCase()}`);

    const confirm = await ask(`I need to cancel order ${order.name}, email ${order.email}`);
    expect(confirm.text).toContain('You can also tell me why: no longer needed, or ordered by mistake.');
    const done = await ask('yes, I ordered it by mistake');

    expect(done.text).toBe(`Done: order ${order.name} has been cancelled.`);
    expect(order.cancelNote).toContain("Customer's reason: ordered by mistake.");
  });

  it('says a single item cannot be cancelled, only the whole order, and a no keeps it', async () => {
    const order = orderOf('pending', 2);
    const who = brain.visitor();

    const confirm = await brain.ask(`please cancel the ${order.tau.items[0].name.toLowerCase()} in my order ${order.name}, email ${order.email}`, who);
    // The refund is the whole order's: what every line cost.
    const total = order.tau.items.reduce((sum, i) => sum + i.price, 0).toFixed(2);
    expect(confirm.text).toMatch(new RegExp(`^I can only cancel a whole order, not single items\\. The refund comes to ${total}\\. Do you want me to cancel order `));
    const kept = await brain.ask('no, keep it', who);

    expect(kept.text).toBe(`All right, I haven't changed anything on order ${order.name}.`);
    expect(shop.cancelCalls(order)).toBe(0);
  });

  it('switches from a return to an exchange when the customer changes their mind, keeping the order', async () => {
    const order = orderOf('delivered', 1);
    const item = order.tau.items[0];
    const who = brain.visitor();
    await brain.ask(`I want to return the ${item.name.toLowerCase()} from order ${order.name}`, who);
    await brain.ask(`email ${order.email}`, who);

    const switched = await brain.ask(`actually, can I exchange it instead?`, who);

    expect(switched.trace).toMatchObject({ action: { action: 'exchange_order', identity: 'verified' } });
    expect(switched.text).toMatch(/^(What would you like instead of|Which items of order)/);
    expect(order.returns).toEqual([]);
  });
});

/** A variant that differs from `current` in exactly one option. */
function variantDiffersInOne(current: Record<string, string>, other: Record<string, string>): boolean {
  return Object.keys(current).filter((k) => current[k] !== other[k]).length === 1;
}
