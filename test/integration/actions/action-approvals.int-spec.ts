import { randomBytes } from 'crypto';
import { BusSubjects, makeEnvelope, MESSAGE_TYPES, newId, textOf, type OutboundMessage } from '@cs/contracts';
import { seedDemo, type SeedDemoResult } from '@cs/knowledge';
import { createTestDatabase, waitFor } from '@cs/testing';
import { AgentModule } from '../../../apps/agent/src/agent.module';
import { IntentModels } from '../../../apps/agent/src/pipeline/ai/intent-models.service';
import { runConnectBackend } from '../../../apps/agent/src/actions/connect-backend.cli';
import { FakeShopify, type FakeOrder } from '../../fakes/shopify/fake-shopify';
import { webchatMessage } from '../brain/brain-harness';
import { createTenant, signIn, startAdminApp, type AdminTestApp, type SignedIn } from '../admin/admin-test-app';

const SECRET_KEY = randomBytes(24).toString('hex');

/**
 * The approval queue end to end: the console (gateway) and the agent in one app on real PostgreSQL
 * and NATS, the official Shopify client pointed at our fake store. A tenant wants a person to approve
 * every cancel; the customer confirms on web chat, staff approve or reject from the console, and the
 * customer reads the outcome on web chat.
 */
describe('cancelling an order only after a person approves it', () => {
  let t: AdminTestApp;
  let shop: FakeShopify;
  let demo: SeedDemoResult;
  let staff: SignedIn;
  let webchatAccount: string;
  const outbox: OutboundMessage[] = [];

  beforeAll(async () => {
    shop = await new FakeShopify().start();
    const databaseUrl = await createTestDatabase('actionapprovals');
    t = await startAdminApp('actionapprovals', { imports: [AgentModule], databaseUrl, serve: true, env: { SECRET_KEY } });
    demo = await seedDemo(t.db, { publicUrl: 'http://shop.test' });
    await t.app.get(IntentModels).forTenant(undefined);
    const settings = { shopDomain: 'demo-shop.myshopify.com', apiVersion: '2025-10', apiBaseUrl: shop.origin };
    await runConnectBackend(['--tenant', demo.tenantId, '--backend', 'shopify', '--settings', JSON.stringify(settings)], {
      DATABASE_URL: databaseUrl,
      SECRET_KEY,
      ACTION_BACKEND_SECRETS: JSON.stringify({ accessToken: shop.accessToken }),
    });
    await t.db.query(`UPDATE tenants SET settings = jsonb_set(settings, '{actionPermissions}', '{"cancel_order": "approval"}') WHERE id = $1`, [demo.tenantId]);
    webchatAccount = (await t.db.query(`SELECT id FROM channel_accounts WHERE tenant_id = $1 AND connector_id = 'webchat'`, [demo.tenantId]))[0].id;
    await t.bus.consume({ durable: 'approvals-outbox', filterSubjects: [BusSubjects.msgOutAll()] }, async (m) => void outbox.push(m.envelope.data as OutboundMessage));
    staff = await signIn(t, 'agent', demo.tenantId);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await shop?.stop();
  });

  /** The customer types on web chat; the agent's reply as published. */
  async function say(who: string, text: string): Promise<OutboundMessage> {
    const message = webchatMessage(webchatAccount, who, text);
    await t.bus.publish(BusSubjects.msgIn('webchat', demo.tenantId), makeEnvelope(MESSAGE_TYPES.inbound, demo.tenantId, message));
    return waitFor(() => outbox.find((o) => o.channelData.replyToExternalMessageId === message.externalMessageId), { timeoutMs: 60_000, what: `the reply to "${text}"` });
  }

  const used = new Set<string>();
  function pendingOrder(): FakeOrder {
    const order = [...shop.orders.values()].find((o) => o.tau.status === 'pending' && !o.cancelledAt && !used.has(o.name));
    if (!order) throw new Error('no pending order left');
    used.add(order.name);
    return order;
  }

  /** A customer who asked to cancel and said yes: the action is parked. Returns its queue entry. */
  async function parkedCancel(order: FakeOrder, who: string): Promise<{ id: string; conversationId: string }> {
    await say(who, `I want to cancel order ${order.name}, my email is ${order.email}`);
    const parked = await say(who, 'yes');
    expect(textOf(parked.parts)).toContain(`I've asked our team to approve cancelling order ${order.name}; it is not cancelled yet.`);
    const queue = await t.http().get('/api/v1/action-approvals').set(staff.auth).expect(200);
    const entry = queue.body.items.find((i: { conversationId: string }) => i.conversationId === parked.conversationId);
    expect(entry).toMatchObject({ action: 'cancel_order', request: { order: order.name }, status: 'awaiting_approval', backendId: 'shopify', decidedBy: null });
    return entry;
  }

  it('cancels the order once a person approves, tells the customer on web chat, and a second approval changes nothing', async () => {
    const order = pendingOrder();
    const who = `visitor-${newId()}`;
    const entry = await parkedCancel(order, who);
    expect(shop.cancelCalls(order)).toBe(0);

    const approved = await t.http().post(`/api/v1/action-approvals/${entry.id}/approve`).set(staff.auth).send({ note: 'customer is a regular' }).expect(200);

    expect(approved.body).toMatchObject({ id: entry.id, status: 'done', decidedBy: staff.userId, decisionNote: 'customer is a regular', customerTold: true });
    expect(shop.cancelCalls(order)).toBe(1);
    expect(order.cancelledAt).not.toBeNull();
    const told = await waitFor(() => outbox.find((o) => o.conversationId === entry.conversationId && textOf(o.parts).startsWith('Done:')), { what: 'the outcome on web chat' });
    expect(textOf(told.parts)).toBe(`Done: order ${order.name} has been cancelled.`);
    expect(told.target.externalUserId).toBe(who);
    // The outcome is in the conversation with its trace, and the audit log has the person's decision and the agent's call.
    const [stored] = await t.db.query(`SELECT author_kind, trace FROM messages WHERE id = $1`, [told.messageId]);
    expect(stored).toMatchObject({ author_kind: 'bot', trace: { generator: 'action', action: { action: 'cancel_order', step: 'approval', call: { outcome: 'done', callId: entry.id } } } });
    const audit: { action: string; actor_kind: string }[] = await t.db.query(`SELECT action, actor_kind FROM audit_logs WHERE tenant_id = $1 AND (target_id = $2 OR target_id = $3) ORDER BY id`, [
      demo.tenantId,
      entry.id,
      entry.conversationId,
    ]);
    expect(audit.map((a) => `${a.actor_kind} ${a.action}`)).toEqual(['agent action.awaiting_approval', 'agent action.approved', 'agent action.done', 'user action.approve']);

    await t.http().post(`/api/v1/action-approvals/${entry.id}/approve`).set(staff.auth).send({}).expect(409);
    expect(shop.cancelCalls(order)).toBe(1);
    const queue = await t.http().get('/api/v1/action-approvals').set(staff.auth).expect(200);
    expect(queue.body.items.map((i: { id: string }) => i.id)).not.toContain(entry.id);
    const decided = await t.http().get('/api/v1/action-approvals').query({ status: 'decided' }).set(staff.auth).expect(200);
    expect(decided.body.items.map((i: { id: string }) => i.id)).toContain(entry.id);
  });

  it('leaves the order alone when a person rejects it, and tells the customer so', async () => {
    const order = pendingOrder();
    const entry = await parkedCancel(order, `visitor-${newId()}`);

    const rejected = await t.http().post(`/api/v1/action-approvals/${entry.id}/reject`).set(staff.auth).send({}).expect(200);

    expect(rejected.body).toMatchObject({ status: 'rejected', customerTold: true });
    const told = await waitFor(() => outbox.find((o) => o.conversationId === entry.conversationId && textOf(o.parts).includes('did not approve')), { what: 'the rejection on web chat' });
    expect(textOf(told.parts)).toBe(`Our team did not approve cancelling order ${order.name}, so nothing has been changed.`);
    expect(shop.cancelCalls(order)).toBe(0);
    expect(order.cancelledAt).toBeNull();
    await t.http().post(`/api/v1/action-approvals/${entry.id}/approve`).set(staff.auth).send({}).expect(409);
  });

  it('tells the customer the order was not cancelled when the shop fails after approval', async () => {
    const order = pendingOrder();
    const entry = await parkedCancel(order, `visitor-${newId()}`);
    shop.failMutationsWith = 500;
    try {
      const approved = await t.http().post(`/api/v1/action-approvals/${entry.id}/approve`).set(staff.auth).send({}).expect(200);

      expect(approved.body).toMatchObject({ status: 'failed', result: { code: 'unavailable' } });
      const told = await waitFor(() => outbox.find((o) => o.conversationId === entry.conversationId && textOf(o.parts).includes("couldn't cancel")), { what: 'the failure on web chat' });
      expect(textOf(told.parts)).toBe(`I couldn't cancel order ${order.name}, so nothing has been changed.`);
      expect(order.cancelledAt).toBeNull();
    } finally {
      shop.failMutationsWith = undefined;
    }
  });

  it('says the order is cancelled, without cancelling again, when the shop cancelled it while the request waited', async () => {
    const order = pendingOrder();
    const entry = await parkedCancel(order, `visitor-${newId()}`);
    order.cancelledAt = new Date().toISOString();

    const approved = await t.http().post(`/api/v1/action-approvals/${entry.id}/approve`).set(staff.auth).send({}).expect(200);

    expect(approved.body).toMatchObject({ status: 'done', result: { state: 'done' } });
    expect(shop.cancelCalls(order)).toBe(0);
    const told = await waitFor(() => outbox.find((o) => o.conversationId === entry.conversationId && textOf(o.parts).startsWith('Done:')), { what: 'the outcome on web chat' });
    expect(textOf(told.parts)).toBe(`Done: order ${order.name} has been cancelled.`);
  });

  it('says plainly that an approved action this agent cannot carry out was not done, in general words', async () => {
    const entry = await parkedCancel(pendingOrder(), `visitor-${newId()}`);
    // An action no runner knows (parked by a newer agent, say): nothing is called, and the customer is told so.
    await t.db.query(`UPDATE action_calls SET action = 'request_return', request = '{"order":"#R100"}' WHERE id = $1`, [entry.id]);

    const approved = await t.http().post(`/api/v1/action-approvals/${entry.id}/approve`).set(staff.auth).send({}).expect(200);

    expect(approved.body).toMatchObject({ status: 'failed', result: { code: 'unsupported' } });
    const told = await waitFor(() => outbox.find((o) => o.conversationId === entry.conversationId && textOf(o.parts).includes('#R100')), { what: 'the outcome on web chat' });
    expect(textOf(told.parts)).toBe("Your request for order #R100 couldn't be carried out, so nothing has been changed.");
  });

  it('requests an approved return through the same runner as a confirmed one, with the items and refund the customer chose', async () => {
    await t.db.query(`UPDATE tenants SET settings = jsonb_set(settings, '{actionPermissions}', '{"cancel_order": "approval", "return_order": "approval"}') WHERE id = $1`, [demo.tenantId]);
    const order = [...shop.orders.values()].find((o) => o.tau.status === 'delivered' && new Set(o.tau.items.map((i) => i.name)).size === o.tau.items.length && o.tau.items.length >= 2) as FakeOrder;
    const [first, second] = order.tau.items;
    const who = `visitor-${newId()}`;
    await say(who, `Hi, I'd like to return the ${first.name.toLowerCase()} from order ${order.name}`);
    await say(who, `my email is ${order.email}`);
    await say(who, 'store credit please');
    const parked = await say(who, 'yes');
    expect(textOf(parked.parts)).toContain(`I've asked our team to approve this change to order ${order.name}; it is not done yet.`);
    expect(order.returns).toEqual([]);
    const queue = await t.http().get('/api/v1/action-approvals').set(staff.auth).expect(200);
    const entry = queue.body.items.find((i: { conversationId: string }) => i.conversationId === parked.conversationId);
    expect(entry).toMatchObject({ action: 'return_order', request: { order: order.name, refund: 'store_credit', items: [{ id: expect.any(String), quantity: 1 }] } });

    const approved = await t.http().post(`/api/v1/action-approvals/${entry.id}/approve`).set(staff.auth).send({}).expect(200);

    expect(approved.body).toMatchObject({ status: 'done', result: { state: 'pending' }, customerTold: true });
    expect(order.returns).toEqual([{ id: expect.any(String), status: 'REQUESTED', items: [{ itemId: first.item_id, quantity: 1, note: 'Refund to: store credit.' }] }]);
    expect(order.returns[0].items.map((i) => i.itemId)).not.toContain(second.item_id);
    // The return's own sentence, not the general "your request" one.
    const told = await waitFor(() => outbox.find((o) => o.conversationId === entry.conversationId && textOf(o.parts).includes('approved your return')), { what: 'the outcome on web chat' });
    expect(textOf(told.parts)).toBe(
      `Our team approved your return for order ${order.name}; it has been requested, and you'll receive an email explaining how to send the items back.`,
    );
    await t.http().post(`/api/v1/action-approvals/${entry.id}/approve`).set(staff.auth).send({}).expect(409);
    expect(order.returns).toHaveLength(1);
    await t.db.query(`UPDATE tenants SET settings = jsonb_set(settings, '{actionPermissions}', '{"cancel_order": "approval"}') WHERE id = $1`, [demo.tenantId]);
  });

  it("shows no other tenant's queue and decides nothing there (404)", async () => {
    const entry = await parkedCancel(pendingOrder(), `visitor-${newId()}`);
    const other = await signIn(t, 'owner', (await createTenant(t.db, 'Other shop')).id);

    const queue = await t.http().get('/api/v1/action-approvals').set(other.auth).expect(200);
    expect(queue.body.items).toEqual([]);
    await t.http().post(`/api/v1/action-approvals/${entry.id}/approve`).set(other.auth).send({}).expect(404);
    await t.http().post(`/api/v1/action-approvals/${entry.id}/reject`).set(other.auth).send({}).expect(404);
    await t.http().post(`/api/v1/action-approvals/${entry.id}/approve`).set(staff.auth).send({ note: 42 }).expect(400);
    const [row] = await t.db.query(`SELECT status FROM action_calls WHERE id = $1`, [entry.id]);
    expect(row.status).toBe('awaiting_approval');
  });

  it('counts every action in the analytics: done, failed, refused, awaiting approval, approved, rejected, look-ups', async () => {
    const who = `visitor-${newId()}`;
    const someoneElses = shop.orderWithStatus('processed');
    await say(who, `where is my order ${someoneElses.name}? my email is nobody@example.com`);
    const own = shop.orderWithStatus('delivered');
    await say(`visitor-${newId()}`, `where is my order ${own.name}? my email is ${own.email}`);

    const report = await t.http().get('/api/v1/analytics').set(staff.auth).expect(200);

    // The tests above: two cancels approved and done (one cancelled by the shop meanwhile), one rejected, two approved and failed
    // (one an action with no runner), one still awaiting; a return approved and requested.
    const cancel = { action: 'cancel_order', done: 2, failed: 1, refused: 0, awaitingApproval: 1, approved: 3, rejected: 1, lookups: 0 };
    const status = { action: 'order_status', done: 0, failed: 0, refused: 1, awaitingApproval: 0, approved: 0, rejected: 0, lookups: 1 };
    const unknown = { action: 'request_return', done: 0, failed: 1, refused: 0, awaitingApproval: 0, approved: 1, rejected: 0, lookups: 0 };
    const returns = { action: 'return_order', done: 1, failed: 0, refused: 0, awaitingApproval: 0, approved: 1, rejected: 0, lookups: 0 };
    expect(report.body.actions).toEqual({ done: 3, failed: 2, refused: 1, awaitingApproval: 1, approved: 5, rejected: 1, lookups: 1, byAction: [cancel, status, unknown, returns] });
  });
});
