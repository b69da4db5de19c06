import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { channelProfile, newId, type ReplyLanguage } from '@cs/contracts';
import { ActionFlow } from '@cs/persistence';
import { ActionBackendError, type ShopOrder } from '../../actions/action-backend';
import { ActionBackends, type TenantBackend } from '../../actions/action-backends.service';
import { ActionLedger } from '../../actions/action-ledger.service';
import { ledgerRequest, runAction, type ConfirmedRequest } from '../../actions/action-runner';
import { IdentityCodes, MAX_CODE_SENDS, codeIn } from '../../actions/identity-codes.service';
import { LlmService } from '../../llm/llm.service';
import type { Decision, Turn, Understanding } from '../pipeline.types';
import { render, type TemplateName } from '../text/templates';
import type { ActionPermission, ActOutcome } from './act.types';
import { phoneKey, yesOrNo, zipIn } from './customer-reply';
import { renderFlow } from './act-templates';
import { describe, doneText, nextStep, type FlowState } from './flow-steps';
import { modelChoice } from './model-choice';
import { actionAsked, addressIn, itemsNamed, itemText, reasonIn, refundMethodIn, type FlowAction } from './order-details';

/** The action intents this stage carries out (by intent, or by the customer's words: order-details.ts). */
const INTENT_ACTIONS: Record<string, FlowAction> = { order_status: 'order_status', cancel_order: 'cancel_order', change_address: 'change_address' };
/** Every action the stage carries out: what a language model is offered as tools. */
const FLOW_ACTIONS: FlowAction[] = ['order_status', 'cancel_order', 'return_order', 'exchange_order', 'change_address'];
/** A flow nobody answered for this long is gone: an old "yes" must not cancel anything. */
export const FLOW_IDLE_MS = 30 * 60_000;
/** Wrong order number / email / zip combinations before a person takes over. */
export const MAX_IDENTITY_ATTEMPTS = 3;
/** How much of what the customer said in one flow is kept to read their wishes from. */
const SAID_MAX = 2000;

type Slots = Record<string, string>;

/**
 * The act stage (issue 15): an action (order status, cancel, return, exchange, address change)
 * gathers the order and proof of identity, then what it needs (items, refund method, the variants
 * wanted, the new address) over as many turns as it takes, asks for an explicit "yes" before anything
 * is changed, calls the tenant's backend once per confirmation (ActionLedger), and answers from what
 * the backend reported. The flow lives in `action_flows`, one per conversation. Returns undefined
 * when the turn is not an action's (or the tenant has no backend): retrieval answers as before.
 */
@Injectable()
export class ActService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(ActionBackends) private readonly backends: ActionBackends,
    @Inject(ActionLedger) private readonly ledger: ActionLedger,
    @Inject(IdentityCodes) private readonly codes: IdentityCodes,
    @Inject(LlmService) private readonly llm: LlmService,
  ) {}

  /**
   * The turn's action step, and what its reply may disclose (`allowed`): the customer's own words in
   * this conversation, and the data of an order they proved is theirs. The conductor checks the reply
   * against it: another customer's order is never shown, whatever the step wrote.
   */
  async act(turn: Turn, understanding: Understanding, decision: Decision, language: ReplyLanguage): Promise<ActOutcome | undefined> {
    const outcome = await this.step(turn, understanding, decision, language);
    if (!outcome) return undefined;
    const said: { text: string }[] = await this.ds.query(
      `SELECT text FROM messages WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'in' ORDER BY id DESC LIMIT 50`,
      [turn.tenantId, turn.conversationId],
    );
    return { ...outcome, allowed: [turn.text, ...said.map((m) => m.text), ...(outcome.allowed ?? [])] };
  }

  private async step(turn: Turn, understanding: Understanding, decision: Decision, language: ReplyLanguage): Promise<ActOutcome | undefined> {
    // A tenant with no shop connected has nothing to act on (and no flow worth a query per message).
    if (!(await this.backends.hasBackend(turn.tenantId))) return undefined;
    const flows = this.ds.getRepository(ActionFlow);
    let flow = await flows.findOne({ where: { conversationId: turn.conversationId } });
    const trace: Record<string, unknown> = {};
    if (flow && flow.expiresAt.getTime() < Date.now()) {
      await this.remove(turn, flow);
      trace.expired = { action: flow.action, step: flow.step };
      flow = null;
    }
    // With a model, the actions are its tools: it may name the action and read the details; the rules decide otherwise.
    // A return question ("how do returns work for it?") is asked too: the model tells a request from a question.
    const tool = decision.kind === 'answer' && (decision.action || flow?.step === 'gather' || understanding.intent === 'return_or_exchange' || actionAsked(turn.text))
      ? await modelChoice(this.llm, turn, FLOW_ACTIONS.filter((a) => permissionOf(turn, a) !== 'never'), trace)
      : undefined;
    // An action the tenant forbids is not carried out: the knowledge base answers as before.
    const wanted = tool?.action ?? (decision.kind === 'answer' ? (actionAsked(turn.text) ?? (decision.action ? INTENT_ACTIONS[decision.action] : undefined)) : undefined);
    const requested = wanted && permissionOf(turn, wanted) !== 'never' ? wanted : undefined;
    // A flow the customer left after failed identity checks is parked: it only keeps the count, so
    // that asking something else in between does not buy more attempts.
    const parked = flow?.step === 'parked' ? flow : null;
    if (parked) flow = null;
    if (flow && permissionOf(turn, flow.action) === 'never') {
      await this.remove(turn, flow);
      flow = null;
    }
    if (!flow && !requested) return undefined;
    const backend = await this.backends.forTenant(turn.tenantId);
    if (!backend) {
      if (flow) await this.remove(turn, flow);
      return undefined;
    }
    const reply = yesOrNo(turn.text);
    const typedCode = flow?.step === 'code' ? codeIn(turn.text) : undefined;
    if (flow && typedCode) return this.checkCode(turn, flow, backend, language, typedCode, { ...trace, action: flow.action, backend: backend.backendId });
    const gives: Slots = { ...tool?.args, ...this.slotsIn(turn, understanding, flow) };

    if (flow && (flow.step === 'confirm' || flow.step === 'done') && reply) {
      const step = flow.step;
      if (reply === 'no' || step === 'done') {
        if (reply === 'no') {
          await this.remove(turn, flow);
          return { text: render(language, 'actionKept', { order: flow.slots.orderNumber ?? '' }), trace: { ...trace, action: flow.action, step, customer: 'declined' }, allowed: [flow.slots.orderNumber ?? ''] };
        }
        // A "yes" again after it was done: the ledger repeats the first call's outcome, never a second call.
        return this.execute(turn, flow, backend, language, { ...trace, action: flow.action, step, customer: 'confirmed again' });
      }
      // "Yes, I ordered it by mistake": the reason goes with the cancel the customer just confirmed.
      if (gives.reason && flow.slots.request) {
        const request = JSON.parse(flow.slots.request) as ConfirmedRequest;
        if (request.action === 'cancel_order' && !request.reason) flow.slots.request = JSON.stringify({ ...request, reason: gives.reason });
      }
      return this.execute(turn, flow, backend, language, { ...trace, action: flow.action, step, customer: 'confirmed' });
    }
    if (flow && !requested && Object.keys(gives).length === 0) {
      // Something else (a question, small talk): the customer changed their mind or moved on.
      if (decision.kind === 'smalltalk') return undefined;
      if (flow.identityAttempts > 0) await this.save(turn, Object.assign(flow, { step: 'parked', slots: {}, idempotencyKey: null }));
      else await this.remove(turn, flow);
      return undefined;
    }
    if (decision.kind !== 'answer' && !flow) return undefined;

    // Start a flow, or switch to another action keeping who the customer is (and, before anything
    // was done, which order: "actually, I'd rather exchange it").
    const action = (requested ?? (flow as ActionFlow).action) as FlowAction;
    if (!flow || flow.action !== action || flow.step === 'done') {
      const previous = flow ?? parked;
      const { email, zip, orderNumber, verified, handled, codeVerified, codeSends } = previous?.slots ?? {};
      // The orders already done in this conversation, so that "and the rest" goes on to the next one.
      const done = previous?.step === 'done' && orderNumber ? `${handled ?? ''} ${previous.action}:${orderNumber}`.trim() : handled;
      // A code proved one order; the count of codes sent stays with the conversation's flow.
      const keep: Slots = {
        ...(email ? { email } : {}),
        ...(zip ? { zip } : {}),
        ...(done ? { handled: done } : {}),
        ...(codeVerified ? { codeVerified } : {}),
        ...(codeSends ? { codeSends } : {}),
      };
      if (flow && flow.step !== 'done' && orderNumber) Object.assign(keep, { orderNumber, ...(verified ? { verified } : {}) });
      flow = flows.create({ id: previous?.id ?? newId(), tenantId: turn.tenantId, conversationId: turn.conversationId, action, step: 'gather', slots: keep, identityAttempts: previous?.identityAttempts ?? 0, idempotencyKey: null });
    }
    if (gives.orderNumber && gives.orderNumber !== flow.slots.orderNumber) delete flow.slots.verified;
    flow.slots = { ...flow.slots, ...gives, said: `${flow.slots.said ?? ''}\n${turn.text}`.slice(-SAID_MAX) };
    flow.step = 'gather';
    trace.action = action;
    trace.backend = backend.backendId;
    return this.gather(turn, flow, backend, language, trace);
  }

  /** The order (by number, or among the sender's own) and proof of identity, then the action's next step. */
  private async gather(turn: Turn, flow: ActionFlow, backend: TenantBackend, language: ReplyLanguage, trace: Record<string, unknown>): Promise<ActOutcome> {
    const channelProof = this.channelProof(turn);
    const { orderNumber, email, zip } = flow.slots;
    let order: ShopOrder | null = null;
    if (!orderNumber) {
      // On email the sender's address is proven: their orders can be looked up by it, so "the blue lamp" is enough.
      const own = channelProof === 'sender_email' ? await this.ownOrders(turn, flow, backend, language) : undefined;
      if (own && 'order' in own) order = own.order;
      else {
        await this.save(turn, flow);
        const text = own?.text ?? render(language, channelProof ? 'actionAskOrder' : 'actionAskIdentity');
        return { text, trace: { ...trace, step: 'gather', identity: own ? 'verified' : 'pending', ...(own ? { proof: channelProof, awaiting: 'order' } : {}) }, allowed: own?.allowed };
      }
    } else if (!channelProof && !email && !zip) {
      await this.save(turn, flow);
      return { text: render(language, 'actionAskIdentity'), trace: { ...trace, step: 'gather', identity: 'pending' } };
    }
    if (!order) {
      try {
        order = await backend.backend.findOrder(orderNumber);
      } catch (err) {
        await this.remove(turn, flow);
        return this.failed(language, 'actionLookupFailed', orderNumber, { ...trace, step: 'lookup', error: errorCode(err) });
      }
      if (!order || !owns(turn, order, channelProof, flow.slots)) {
        flow.identityAttempts += 1;
        // Never say which part was wrong: that would tell a stranger the order exists.
        flow.slots = {};
        const identity = { ...trace, step: 'identity', identity: 'failed', attempts: flow.identityAttempts };
        if (flow.identityAttempts >= MAX_IDENTITY_ATTEMPTS) {
          await this.remove(turn, flow);
          return { handoff: { reason: 'identity_not_verified', notDone: render(language, 'identityFailed') }, trace: identity };
        }
        await this.save(turn, flow);
        return { text: render(language, 'actionNotFound'), trace: identity };
      }
    }
    flow.slots = { ...flow.slots, orderNumber: order.number };
    // The tenant may want more than details anyone could know: a code sent to the order's own email or phone.
    if (!channelProof && turn.settings.actionIdentity === 'code' && flow.slots.codeVerified !== order.number) return this.sendCode(turn, flow, order, language, trace);
    flow.slots.verified = '1';
    const proof = channelProof ?? (flow.slots.codeVerified === order.number ? 'code' : email ? 'email' : 'zip');
    const verified = { ...trace, identity: 'verified', proof, orderStatus: order.status };
    // The verified order's own identifiers; not its item titles, which a shop may fill with anything.
    const allowed = [order.number, order.email ?? '', order.phone ?? '', ...order.tracking.map((t) => t.number)];
    if (flow.action === 'order_status') {
      await this.remove(turn, flow);
      return { text: this.statusText(order, language), trace: { ...verified, step: 'answered' }, allowed };
    }
    let step;
    try {
      step = await nextStep(flow.action as Exclude<FlowAction, 'order_status'>, order, this.state(flow, turn), backend.backend, language);
    } catch (err) {
      await this.remove(turn, flow);
      return this.failed(language, 'actionLookupFailed', order.number, { ...verified, step: 'lookup', error: errorCode(err) });
    }
    if (step.kind === 'end') {
      await this.remove(turn, flow);
      return { text: step.text, trace: { ...verified, step: step.outcome }, allowed };
    }
    if (step.kind === 'ask') {
      flow.slots.awaiting = step.awaiting;
      // The items settled so far stay settled while the next question is answered.
      if (step.itemIds) flow.slots.items = JSON.stringify(step.itemIds);
      await this.save(turn, flow);
      return { text: step.text, trace: { ...verified, step: 'gather', awaiting: step.awaiting }, allowed };
    }
    if ('items' in step.request) flow.slots.items = JSON.stringify(step.request.items.map((i) => i.id));
    flow.slots.request = JSON.stringify(step.request);
    delete flow.slots.awaiting;
    flow.step = 'confirm';
    // One key per action call: every "yes" to this question is the same call.
    flow.idempotencyKey = newId();
    await this.save(turn, flow);
    return { text: step.text, trace: { ...verified, step: 'confirm' }, allowed };
  }

  /** A one-time code to the order's email or phone; the flow waits for it (step `code`) keeping only its hash. */
  private async sendCode(turn: Turn, flow: ActionFlow, order: ShopOrder, language: ReplyLanguage, trace: Record<string, unknown>): Promise<ActOutcome> {
    // A try sends nothing to anyone: it says a code would go out, and stops there.
    if (turn.dryRun) return { text: render(language, 'codeSent', { destination: '…' }), trace: { ...trace, step: 'code', identity: 'code_not_sent_on_try' } };
    const sends = Number(flow.slots.codeSends ?? 0);
    const sent = sends < MAX_CODE_SENDS ? await this.codes.send(turn.tenantId, turn.conversationId, flow.id, order, language) : 'too_many';
    if (typeof sent === 'string') {
      await this.remove(turn, flow);
      const why = sent === 'too_many' ? 'too_many_codes' : 'no_code_route';
      return { handoff: { reason: 'identity_not_verified', notDone: render(language, 'identityFailed'), note: `One-time code not sent (${why.replace(/_/g, ' ')}).` }, trace: { ...trace, step: 'identity', identity: why } };
    }
    flow.step = 'code';
    flow.slots = { ...flow.slots, codeHash: sent.hash, codeExpires: String(sent.expiresAt), codeSends: String(sends + 1) };
    await this.save(turn, flow);
    return { text: render(language, 'codeSent', { destination: sent.destination }), trace: { ...trace, step: 'code', identity: 'code_sent', via: sent.via }, allowed: [sent.destination] };
  }

  /** The code typed back: right, the flow goes on verified; wrong, an identity attempt; expired, a new one. */
  private async checkCode(turn: Turn, flow: ActionFlow, backend: TenantBackend, language: ReplyLanguage, typed: string, trace: Record<string, unknown>): Promise<ActOutcome> {
    const { codeHash, codeExpires, ...slots } = flow.slots;
    flow.step = 'gather';
    if (!codeHash || Number(codeExpires) < Date.now()) {
      flow.slots = slots;
      return this.gather(turn, flow, backend, language, { ...trace, code: 'expired' });
    }
    if (this.codes.matches(flow.id, codeHash, typed)) {
      flow.slots = { ...slots, codeVerified: slots.orderNumber ?? '' };
      return this.gather(turn, flow, backend, language, { ...trace, code: 'verified' });
    }
    flow.step = 'code';
    flow.identityAttempts += 1;
    const identity = { ...trace, step: 'identity', identity: 'code_wrong', attempts: flow.identityAttempts };
    if (flow.identityAttempts >= MAX_IDENTITY_ATTEMPTS) {
      await this.remove(turn, flow);
      return { handoff: { reason: 'identity_not_verified', notDone: render(language, 'identityFailed') }, trace: identity };
    }
    await this.save(turn, flow);
    return { text: render(language, 'codeWrong'), trace: identity };
  }

  /** The sender's orders that fit the action and what they named; one is the order, several are a question. */
  private async ownOrders(turn: Turn, flow: ActionFlow, backend: TenantBackend, language: ReplyLanguage): Promise<{ order: ShopOrder } | { text: string; allowed: string[] } | undefined> {
    if (!backend.backend.findOrdersByEmail) return undefined;
    const from = (turn.inbound.sender.address ?? turn.inbound.sender.externalUserId).trim().toLowerCase();
    let orders: ShopOrder[];
    try {
      orders = await backend.backend.findOrdersByEmail(from);
    } catch {
      return undefined;
    }
    const fits: Record<FlowAction, ShopOrder['status'][]> = {
      order_status: ['open', 'shipped', 'delivered', 'cancelled'],
      cancel_order: ['open'],
      change_address: ['open'],
      return_order: ['delivered'],
      exchange_order: ['delivered'],
    };
    const handled = (flow.slots.handled ?? '').split(' ');
    const fitting = orders.filter((o) => fits[flow.action as FlowAction].includes(o.status) && !handled.includes(`${flow.action}:${o.number}`));
    const said = `${flow.slots.said ?? ''}`;
    const named = fitting.filter((o) => o.items.some((i) => itemsNamedIn(said, o, i)));
    // What they named is in an order this cannot be done for (a laptop not delivered yet): that order,
    // so the answer says why, rather than another order that happens to fit.
    const elsewhere = named.length === 0 ? orders.filter((o) => o.items.some((i) => itemsNamedIn(said, o, i))) : [];
    if (elsewhere.length === 1) return { order: elsewhere[0] };
    const candidates = named.length > 0 ? named : fitting;
    if (candidates.length === 1) return { order: candidates[0] };
    if (candidates.length === 0) return { text: renderFlow(language, 'noOrders'), allowed: [] };
    const listed = candidates.slice(0, 6);
    const list = listed.map((o) => `${o.number} (${o.items.map((i) => itemText(i)).join(', ')})`).join('; ');
    // The sender's own orders (their address is proven): their numbers may be shown to them.
    return { text: renderFlow(language, 'askWhichOrder', { orders: list }), allowed: listed.map((o) => o.number) };
  }

  private state(flow: ActionFlow, turn: Turn): FlowState {
    const s = flow.slots;
    return {
      said: s.said ?? turn.text,
      latest: turn.text,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.refund ? { refund: s.refund as 'original_payment' | 'store_credit' } : {}),
      ...(s.items ? { itemIds: JSON.parse(s.items) as string[] } : {}),
      ...(s.awaiting ? { awaiting: s.awaiting } : {}),
    };
  }

  /** The confirmed action: once per idempotency key; the reply says only what the backend reported. */
  private async execute(turn: Turn, flow: ActionFlow, backend: TenantBackend, language: ReplyLanguage, trace: Record<string, unknown>): Promise<ActOutcome> {
    const number = flow.slots.orderNumber ?? '';
    const request: ConfirmedRequest = flow.slots.request ? (JSON.parse(flow.slots.request) as ConfirmedRequest) : { action: 'cancel_order', order: number };
    const key = flow.idempotencyKey ?? newId();
    const cancel = request.action === 'cancel_order';
    const call = { tenantId: turn.tenantId, conversationId: turn.conversationId, backendId: backend.backendId, action: flow.action, idempotencyKey: key, request: ledgerRequest(request) };
    if (flow.step === 'confirm' && permissionOf(turn, flow.action) === 'approval') {
      // The tenant wants a person to approve it: recorded, handed over, and not done by us.
      await this.ledger.record(call, 'awaiting_approval');
      await this.remove(turn, flow);
      return {
        handoff: {
          reason: 'action_needs_approval',
          notDone: cancel ? render(language, 'cancelAwaitsApproval', { order: number }) : renderFlow(language, 'changeAwaitsApproval', { order: number }),
          note: `Confirmed by the customer (identity verified), awaiting approval: ${describe(request)}.`,
        },
        trace: { ...trace, backend: backend.backendId, permission: 'approval', call: { idempotencyKey: key, outcome: 'awaiting_approval' } },
        allowed: [number],
      };
    }
    // The same runner a person's approval uses (actions/action-runner.ts), from the request as the ledger keeps it.
    const outcome = await this.ledger.once(call, () => runAction(backend.backend, flow.action, call.request, key));
    const called = { ...trace, backend: backend.backendId, call: { idempotencyKey: key, outcome: outcome.kind, ...(outcome.kind !== 'unknown' ? { repeated: outcome.repeated } : {}) } };
    if (outcome.kind === 'done') {
      flow.step = 'done';
      flow.idempotencyKey = key;
      await this.save(turn, flow);
      return { text: doneText(language, request, outcome.result), trace: { ...called, result: outcome.result.state }, allowed: [number] };
    }
    await this.remove(turn, flow);
    if (outcome.kind === 'failed') {
      return this.failed(language, cancel ? 'actionNotDone' : 'changeNotDone', number, { ...called, error: outcome.code }, `${describe(request)} failed (${outcome.code}); nothing was changed.`);
    }
    return this.failed(language, cancel ? 'actionUnknown' : 'changeUnknown', number, called, `${describe(request)}: an earlier call never finished; check the order in the shop.`);
  }

  private failed(language: ReplyLanguage, sentence: TemplateName | 'changeNotDone' | 'changeUnknown', order: string, trace: Record<string, unknown>, note?: string): ActOutcome {
    const notDone = sentence === 'changeNotDone' || sentence === 'changeUnknown' ? renderFlow(language, sentence, { order }) : render(language, sentence, { order });
    return { handoff: { reason: 'action_failed', notDone, note }, trace, allowed: [order] };
  }

  private statusText(order: ShopOrder, language: ReplyLanguage): string {
    const sentence: Record<ShopOrder['status'], TemplateName> = { open: 'orderOpen', shipped: 'orderShipped', delivered: 'orderDelivered', cancelled: 'orderCancelled' };
    const parts = [render(language, sentence[order.status], { order: order.number })];
    if (order.status !== 'cancelled' && order.tracking.length > 0) {
      parts.push(render(language, 'orderTracking', { tracking: order.tracking.map((t) => (t.company ? `${t.number} (${t.company})` : t.number)).join(', ') }));
    }
    return parts.join(' ');
  }

  /**
   * What this message tells us: an order number, an email address, a zip; and, in a flow past the
   * identity check, the details its questions asked for (a reason, a refund method, an address, the
   * items or variants named), so that an answer keeps the flow going rather than ending it.
   */
  private slotsIn(turn: Turn, understanding: Understanding, flow: ActionFlow | null): Slots {
    const known = flow?.slots ?? {};
    const found: Slots = {};
    const order = understanding.entities.find((e) => e.type === 'order_number')?.value;
    if (order) found.orderNumber = order;
    const email = understanding.entities.find((e) => e.type === 'email')?.value;
    if (email) found.email = email.toLowerCase();
    const zip = zipIn(turn.text, order ?? known.orderNumber);
    if (zip && !addressIn(turn.text)) found.zip = zip;
    const reason = reasonIn(turn.text);
    if (reason) found.reason = reason;
    const refund = refundMethodIn(turn.text);
    if (refund) found.refund = refund;
    // A reply to the flow's own question (which items, which variant, what address, which order) is
    // an answer whatever words it uses; the next step reads it, and asks again if it says nothing.
    if (flow?.step === 'gather' && known.awaiting && !yesOrNo(turn.text)) found.answer = '1';
    if (flow?.step === 'confirm' && /\b(only|just|instead|also|rather|actually|not the|but)\b/i.test(turn.text)) found.answer = '1';
    return found;
  }

  /**
   * The channel itself proves who writes: on email the sender's address, on SMS, WhatsApp and voice
   * the customer's number. Elsewhere (web chat, API, Slack) the customer must tell us the order's email or zip.
   */
  private channelProof(turn: Turn): 'sender_email' | 'caller_phone' | undefined {
    const channel = turn.inbound.channel;
    if (channel === 'email') return 'sender_email';
    if (channelProfile(channel).addressKind === 'phone') return 'caller_phone';
    return undefined;
  }

  /** A try (`dryRun`) keeps no flow: its conversation names no row, and its next question starts afresh. */
  private async save(turn: Turn, flow: ActionFlow): Promise<void> {
    flow.expiresAt = new Date(Date.now() + FLOW_IDLE_MS);
    if (!turn.dryRun) await this.ds.getRepository(ActionFlow).save(flow);
  }

  private async remove(turn: Turn, flow: ActionFlow): Promise<void> {
    if (!turn.dryRun) await this.ds.getRepository(ActionFlow).delete({ id: flow.id });
  }
}

function itemsNamedIn(said: string, order: ShopOrder, item: ShopOrder['items'][number]): boolean {
  return itemsNamed(said, order).includes(item);
}

/** `settings.actionPermissions[action]`; unset is `alone`, and a value we do not know is no licence to act alone. */
function permissionOf(turn: Turn, action: string): ActionPermission {
  const all = turn.settings.actionPermissions;
  const value = all && typeof all === 'object' ? (all as Record<string, unknown>)[action] : undefined;
  if (value === undefined) return 'alone';
  return value === 'alone' || value === 'never' || value === 'approval' ? value : 'approval';
}

/** Whether the one writing is the order's owner, by the proof the channel gives or the details the customer gave. */
function owns(turn: Turn, order: ShopOrder, proof: 'sender_email' | 'caller_phone' | undefined, slots: Slots): boolean {
  const from = turn.inbound.sender.address ?? turn.inbound.sender.externalUserId;
  if (proof === 'sender_email') return !!order.email && order.email.toLowerCase() === from.trim().toLowerCase();
  if (proof === 'caller_phone') return !!phoneKey(from) && phoneKey(from) === phoneKey(order.phone);
  if (slots.email) return !!order.email && order.email.toLowerCase() === slots.email;
  return !!slots.zip && !!order.zip && order.zip.replace(/\s/g, '').toLowerCase() === slots.zip.toLowerCase();
}

function errorCode(err: unknown): string {
  return err instanceof ActionBackendError ? err.code : 'unavailable';
}
