import { FakeOpenAi } from '../../fakes/openai/fake-openai';
import { FakeShopify, type FakeOrder } from '../../fakes/shopify/fake-shopify';
import { BrainHarness } from '../brain/brain-harness';
import { runConnectBackend } from '../../../apps/agent/src/actions/connect-backend.cli';

const SECRET_KEY = 'brain-int-spec-secret-key-of-32-characters';

/**
 * With a language model configured, the shop actions are offered to it as OpenAI tools (the official
 * `openai` SDK against our fake, which answers with `tool_calls`); the model chooses, our code checks:
 * identity, the customer's "yes" and the tenant's permission never depend on what the model said.
 */
describe('shop actions as the model’s tools', () => {
  const brain = new BrainHarness();
  let shop: FakeShopify;
  let model: FakeOpenAi;

  beforeAll(async () => {
    [shop, model] = await Promise.all([new FakeShopify().start(), new FakeOpenAi().start()]);
    await brain.start('actiontools', { LLM_BASE_URL: model.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fake-tools-1' });
    await runConnectBackend(['--tenant', brain.demo.tenantId, '--backend', 'shopify', '--settings', JSON.stringify({ shopDomain: 'demo-shop.myshopify.com', apiBaseUrl: shop.origin })], {
      DATABASE_URL: (brain.ds.options as { url: string }).url,
      SECRET_KEY,
      ACTION_BACKEND_SECRETS: JSON.stringify({ accessToken: shop.accessToken }),
    });
  }, 120_000);
  afterAll(async () => {
    await brain.stop();
    await Promise.all([shop?.stop(), model?.stop()]);
  });
  afterEach(async () => {
    model.toolScript = () => null;
    await brain.ds.query(`UPDATE tenants SET settings = settings - 'actionPermissions' WHERE id = $1`, [brain.demo.tenantId]);
  });

  const offeredTools = () => (model.chatRequests().filter((r) => r.tools).pop()?.tools ?? []).map((t) => t.function.name);
  const pending = () => [...shop.orders.values()].filter((o) => o.tau.status === 'pending' && !o.cancelledAt);

  it('answers the order status when the model calls the tool with what the customer wrote, checked against the shop', async () => {
    const order = shop.orderWithStatus('processed');
    model.toolScript = () => ({ name: 'order_status', arguments: { order_number: order.name, email: order.email } });

    const reply = await brain.ask(`hi, any news on my order ${order.name}? I'm ${order.email}`);

    expect(offeredTools()).toEqual(['order_status', 'cancel_order', 'return_order', 'exchange_order', 'modify_items', 'change_address']);
    expect(reply.text).toBe(`Order ${order.name} has shipped. Tracking number: ${order.tau.fulfillments[0].tracking_id[0]} (UPS).`);
    expect(reply.trace).toMatchObject({ action: { tool: { called: 'order_status', args: ['orderNumber', 'email'] }, identity: 'verified', proof: 'email' } });
  });

  it('drops an email the model supplies that the customer never wrote: identity is still asked', async () => {
    const order: FakeOrder = pending()[0];
    model.toolScript = () => ({ name: 'cancel_order', arguments: { order_number: order.name, email: order.email } });

    const reply = await brain.ask(`cancel my order ${order.name} please`);

    expect(reply.text).toContain('order number and the email address');
    expect(reply.trace).toMatchObject({ action: { tool: { called: 'cancel_order', args: ['orderNumber'], dropped: ['email'] }, identity: 'pending' } });
    expect(shop.cancelCalls(order)).toBe(0);
  });

  it('cancels on the model’s call only after the customer says yes', async () => {
    const order = pending()[1];
    model.toolScript = () => ({ name: 'cancel_order', arguments: { order_number: order.name, email: order.email } });
    const who = brain.visitor();

    const confirm = await brain.ask(`please cancel ${order.name}, my email is ${order.email}`, who);
    expect(confirm.text).toContain(`cancel order ${order.name}`);
    expect(shop.cancelCalls(order)).toBe(0);
    const done = await brain.ask('yes', who);

    expect(done.text).toBe(`Done: order ${order.name} has been cancelled.`);
    expect(shop.cancelCalls(order)).toBe(1);
  });

  it('does not offer an action the tenant forbids, and ignores the model calling it anyway', async () => {
    await brain.ds.query(`UPDATE tenants SET settings = jsonb_set(settings, '{actionPermissions}', '{"cancel_order": "never"}') WHERE id = $1`, [brain.demo.tenantId]);
    const order = pending()[2];
    model.toolScript = () => ({ name: 'cancel_order', arguments: { order_number: order.name, email: order.email } });

    const reply = await brain.ask(`cancel order ${order.name}, my email is ${order.email}`);

    expect(offeredTools()).toEqual(['order_status', 'return_order', 'exchange_order', 'modify_items', 'change_address']);
    expect(reply.trace.generator).not.toBe('action');
    expect(shop.cancelCalls(order)).toBe(0);
  });

  it('starts a return on the model’s call in words the rules alone do not read, and the flow asks what the return needs', async () => {
    const order = [...shop.orders.values()].find((o) => o.tau.status === 'delivered' && o.tau.items.length === 1) as FakeOrder;
    const item = order.tau.items[0];
    model.toolScript = () => ({ name: 'return_order', arguments: { order_number: order.name, email: order.email } });
    const who = brain.visitor();

    const refund = await brain.ask(`the ${item.name.toLowerCase()} from ${order.name} doesn’t fit, how do returns work for it? I’m ${order.email}`, who);

    expect(refund.trace).toMatchObject({ action: { action: 'return_order', tool: { called: 'return_order', args: ['orderNumber', 'email'] }, identity: 'verified', awaiting: 'refund' } });
    expect(refund.text).toBe('Should the refund go to your original payment method or to store credit (a gift card)?');
    const confirm = await brain.ask('original payment', who);
    expect(confirm.text).toContain(`Do you want me to request a return of ${item.name} from order ${order.name}`);
    expect(order.returns).toEqual([]);
  });
});
