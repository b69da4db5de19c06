import { FakeShopify, type FakeOrder } from '../../fakes/shopify/fake-shopify';
import { BrainHarness } from '../brain/brain-harness';
import { channelCustomer, connectFakeShopify } from './channel-customer';

/**
 * Actions on a Shopify store, in the customer's words on web chat: the agent module with real
 * PostgreSQL and the in-process bus, the official Admin API client pointed at our fake Shopify
 * (tau-bench retail's orders).
 */
describe('order actions on a Shopify store', () => {
  const brain = new BrainHarness();
  let shop: FakeShopify;

  beforeAll(async () => {
    shop = await new FakeShopify().start();
    await brain.start('actions');
    // Connected the way the README says: the command, the token from the environment.
    await connectFakeShopify(brain, shop);
    const [stored] = await brain.ds.query(`SELECT secrets_encrypted FROM action_backends WHERE tenant_id = $1`, [brain.demo.tenantId]);
    expect(stored.secrets_encrypted).not.toContain(shop.accessToken);
  }, 120_000);

  afterAll(async () => {
    await brain.stop();
    await shop?.stop();
  });

  /** A pending order nobody else in this file uses. */
  const used = new Set<string>();
  function pendingOrder(): FakeOrder {
    const order = [...shop.orders.values()].find((o) => o.tau.status === 'pending' && !o.cancelledAt && !used.has(o.name));
    if (!order) throw new Error('no pending order left');
    used.add(order.name);
    return order;
  }

  it('tells the status of a shipped order with its tracking number once the customer gives the order email', async () => {
    const order = shop.orderWithStatus('processed');
    const who = brain.visitor();

    const ask = await brain.ask(`Where is my order ${order.name}?`, who);
    expect(ask.text).toContain('order number and the email address');
    const answer = await brain.ask(`It's ${order.email}`, who);

    expect(answer.text).toBe(`Order ${order.name} has shipped. Tracking number: ${order.tau.fulfillments[0].tracking_id[0]} (UPS).`);
    expect(answer.trace).toMatchObject({ generator: 'action', action: { action: 'order_status', identity: 'verified', proof: 'email', backend: 'shopify' } });
    // The action's record keeps what was checked, never the values it was checked with.
    expect(JSON.stringify(answer.trace.action)).not.toContain(order.email);
  });

  it('cancels a pending order only after the customer confirms, and says so because Shopify did it', async () => {
    const order = pendingOrder();
    const who = brain.visitor();

    await brain.ask(`I want to cancel my order ${order.name}`, who);
    const confirm = await brain.ask(`my email is ${order.email}`, who);
    expect(confirm.text).toContain(`cancel order ${order.name} (${order.tau.items.map((i) => i.name).join(', ')})?`);
    expect(order.cancelledAt).toBeNull();
    expect(shop.cancelCalls(order)).toBe(0);

    const done = await brain.ask('yes', who);

    expect(done.text).toBe(`Done: order ${order.name} has been cancelled.`);
    expect(order.cancelledAt).not.toBeNull();
    expect(order.cancelReason).toBe('CUSTOMER');
    expect(done.trace).toMatchObject({ action: { action: 'cancel_order', customer: 'confirmed', call: { outcome: 'done', repeated: false }, result: 'done' } });
    const [call] = await brain.ds.query(`SELECT status, action FROM action_calls WHERE idempotency_key = $1`, [(done.trace.action as { call: { idempotencyKey: string } }).call.idempotencyKey]);
    expect(call).toEqual({ status: 'done', action: 'cancel_order' });
  });

  it('never cancels twice when the customer confirms again', async () => {
    const order = pendingOrder();
    const who = brain.visitor();
    await brain.ask(`Please cancel order ${order.name}, my email is ${order.email}`, who);
    await brain.ask('yes', who);

    const again = await brain.ask('yes please', who);

    expect(again.text).toBe(`Done: order ${order.name} has been cancelled.`);
    expect(again.trace).toMatchObject({ action: { customer: 'confirmed again', call: { outcome: 'done', repeated: true } } });
    expect(shop.cancelCalls(order)).toBe(1);
  });

  it("refuses someone else's order without saying anything about it", async () => {
    const order = shop.orderWithStatus('processed');
    const who = brain.visitor();

    const reply = await brain.ask(`where is my order ${order.name}? my email is someone.else@example.com`, who);

    expect(reply.text).toBe("I couldn't find an order matching those details. Please check the order number and the email address or zip code.");
    for (const secret of [order.email, order.tau.fulfillments[0].tracking_id[0], order.tau.address.zip, 'shipped']) expect(reply.text).not.toContain(secret);
    expect(reply.trace).toMatchObject({ action: { identity: 'failed', attempts: 1 } });
  });

  it('hands off after three failed identity checks', async () => {
    const order = pendingOrder();
    const who = brain.visitor();
    for (const zip of ['00001', '00002']) {
      expect((await brain.ask(`cancel my order ${order.name}, zip ${zip}`, who)).text).toContain("couldn't find an order");
    }
    const last = await brain.ask(`cancel my order ${order.name}, zip 00003`, who);

    expect(last.text).toContain("I couldn't verify that this order is yours.");
    expect(last.trace).toMatchObject({ handoff: { reason: 'identity_not_verified' } });
    expect(last.conversationStatus).toBe('waiting');
    expect(shop.cancelCalls(order)).toBe(0);
  });

  it('does not give more identity attempts to someone who asks something else in between', async () => {
    const order = pendingOrder();
    const who = brain.visitor();
    await brain.ask(`where is my order ${order.name}? zip 00001`, who);
    await brain.ask(`where is my order ${order.name}? zip 00002`, who);
    await brain.ask('how long does delivery take?', who);

    const third = await brain.ask(`where is my order ${order.name}? zip 00003`, who);

    expect(third.trace).toMatchObject({ handoff: { reason: 'identity_not_verified' }, action: { attempts: 3 } });
  });

  it('hands off saying the order was not cancelled when Shopify fails', async () => {
    const order = pendingOrder();
    const who = brain.visitor();
    await brain.ask(`cancel order ${order.name} please, email ${order.email}`, who);
    shop.failMutationsWith = 500;
    try {
      const reply = await brain.ask('yes', who);

      expect(reply.text).toContain(`I couldn't cancel order ${order.name}, so nothing has been changed.`);
      expect(reply.text).not.toContain('has been cancelled');
      expect(reply.trace).toMatchObject({ handoff: { reason: 'action_failed' }, action: { call: { outcome: 'failed' }, error: 'unavailable' } });
      expect(reply.conversationStatus).toBe('waiting');
      expect(order.cancelledAt).toBeNull();
    } finally {
      shop.failMutationsWith = undefined;
    }
  });

  it('keeps the order when the customer says no', async () => {
    const order = pendingOrder();
    const who = brain.visitor();
    await brain.ask(`cancel order ${order.name}, my email is ${order.email}`, who);

    const reply = await brain.ask('no', who);

    expect(reply.text).toBe(`All right, I haven't changed anything on order ${order.name}.`);
    expect(shop.cancelCalls(order)).toBe(0);
  });

  /** A message to the shop on email or SMS from `from`, in a conversation of its own; the reply the agent published. */
  const sendOn = async (channel: 'email' | 'sms', from: string, text: string) => (await channelCustomer(brain, channel, from)(text)).text;
  const email = (from: string, text: string) => sendOn('email', from, text);

  it("answers an SMS from the order's phone number, and no other number", async () => {
    const order = pendingOrder();
    order.phone = '+1 (415) 555-0134';

    const own = await sendOn('sms', '+14155550134', `where is my order ${order.name}?`);
    const other = await sendOn('sms', '+14155550199', `where is my order ${order.name}?`);

    expect(own).toBe(`Order ${order.name} has not shipped yet.`);
    expect(other).toBe("I couldn't find an order matching those details. Please check the order number and the email address or zip code.");
  });

  it("answers an email from the order's own address without asking who it is", async () => {
    const order = shop.orderWithStatus('delivered');

    const reply = await email(order.email, `Hello, where is my order ${order.name}? Thanks`);

    expect(reply).toBe(`Order ${order.name} has been delivered. Tracking number: ${order.tau.fulfillments[0].tracking_id[0]} (UPS).`);
  });

  it('tells an email from another address nothing about the order', async () => {
    const order = shop.orderWithStatus('delivered');

    const reply = await email('stranger@example.org', `Where is order ${order.name}? My email is ${order.email}`);

    expect(reply).toBe("I couldn't find an order matching those details. Please check the order number and the email address or zip code.");
  });

  describe("with the tenant's say per action", () => {
    const permit = (permissions: Record<string, string> | null) =>
      brain.ds.query(`UPDATE tenants SET settings = CASE WHEN $2::jsonb IS NULL THEN settings - 'actionPermissions' ELSE jsonb_set(settings, '{actionPermissions}', $2::jsonb) END WHERE id = $1`, [
        brain.demo.tenantId,
        permissions && JSON.stringify(permissions),
      ]);
    afterEach(() => permit(null));

    it('hands a confirmed cancel to a person for approval instead of doing it', async () => {
      await permit({ cancel_order: 'approval' });
      const order = pendingOrder();
      const who = brain.visitor();
      await brain.ask(`cancel order ${order.name}, my email is ${order.email}`, who);

      const reply = await brain.ask('yes', who);

      expect(reply.text).toContain(`I've asked our team to approve cancelling order ${order.name}; it is not cancelled yet.`);
      expect(reply.conversationStatus).toBe('waiting');
      expect(reply.trace).toMatchObject({ handoff: { reason: 'action_needs_approval', summary: expect.stringContaining(`awaiting approval: cancel order ${order.name}`) } });
      expect(shop.cancelCalls(order)).toBe(0);
      const [call] = await brain.ds.query(`SELECT status, request FROM action_calls WHERE conversation_id = $1`, [reply.outbound.conversationId]);
      expect(call).toEqual({ status: 'awaiting_approval', request: { order: order.name } });
    });

    it('reads a permission it does not know as "approval", never as "alone"', async () => {
      await permit({ cancel_order: 'sometimes' });
      const order = pendingOrder();
      const who = brain.visitor();
      await brain.ask(`cancel order ${order.name}, my email is ${order.email}`, who);

      const reply = await brain.ask('yes', who);

      expect(reply.trace).toMatchObject({ handoff: { reason: 'action_needs_approval' }, action: { permission: 'approval' } });
      expect(shop.cancelCalls(order)).toBe(0);
    });

    it('never looks an order up for an action the tenant forbids', async () => {
      await permit({ order_status: 'never' });
      const order = shop.orderWithStatus('processed');
      const lookups = shop.calls.filter((c) => c.field === 'orders').length;

      const reply = await brain.ask(`where is my order ${order.name}? my email is ${order.email}`);

      expect(reply.trace.generator).not.toBe('action');
      expect(shop.calls.filter((c) => c.field === 'orders').length).toBe(lookups);
    });
  });

  it('answers another question asked mid-way, and a later "yes" then cancels nothing', async () => {
    const order = pendingOrder();
    const who = brain.visitor();
    await brain.ask(`cancel order ${order.name}, my email is ${order.email}`, who);

    const other = await brain.ask('how long does delivery take?', who);
    const late = await brain.ask('yes', who);

    expect(other.text).toMatch(/^Standard delivery takes 3 to 5 working days/);
    expect(late.trace.generator).not.toBe('action');
    expect(shop.cancelCalls(order)).toBe(0);
  });

  it('lets a flow left idle expire: a late "yes" cancels nothing', async () => {
    const order = pendingOrder();
    const who = brain.visitor();
    const confirm = await brain.ask(`cancel order ${order.name}, my email is ${order.email}`, who);
    await brain.ds.query(`UPDATE action_flows SET expires_at = now() - interval '1 minute' WHERE conversation_id = $1`, [confirm.outbound.conversationId]);

    const late = await brain.ask('yes', who);

    expect(late.trace.generator).not.toBe('action');
    expect(shop.cancelCalls(order)).toBe(0);
    expect(order.cancelledAt).toBeNull();
  });
});
