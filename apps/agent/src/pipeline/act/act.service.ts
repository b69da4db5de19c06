import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId, type ReplyLanguage } from '@cs/contracts';
import { ActionFlow } from '@cs/persistence';
import type { ShopOrder } from '../../actions/action-backend';
import { ActionBackends, type TenantBackend } from '../../actions/action-backends.service';
import { ActionLedger } from '../../actions/action-ledger.service';
import type { ConfirmedRequest } from '../../actions/action-runner';
import { IdentityCodes, codeIn } from '../../actions/identity-codes.service';
import { LlmService } from '../../llm/llm.service';
import type { Decision, Turn, Understanding } from '../pipeline.types';
import { render } from '../text/templates';
import type { ActOutcome } from './act.types';
import { yesOrNo } from './customer-reply';
import { channelProof, owns, permissionOf, senderOf } from './identity';
import { ownOrders } from './own-orders';
import { nextStep, statusText, type FlowState } from './flow-steps';
import { checkCode, MAX_IDENTITY_ATTEMPTS, sendCode, type CodeSteps } from './code-steps';
import { errorCode, execute, failed, type ExecuteSteps } from './execute-step';
import { modelChoice } from './model-choice';
import { slotsIn } from './message-slots';
import { actionAsked, type FlowAction } from './order-details';

/** The action intents this stage carries out (by intent, or by the customer's words: order-details.ts). */
const INTENT_ACTIONS: Record<string, FlowAction> = { order_status: 'order_status', cancel_order: 'cancel_order', change_address: 'change_address' };
/** Every action the stage carries out: what a language model is offered as tools. */
const FLOW_ACTIONS: FlowAction[] = ['order_status', 'cancel_order', 'return_order', 'exchange_order', 'modify_items', 'change_address'];
/** A flow nobody answered for this long is gone: an old "yes" must not cancel anything. */
export const FLOW_IDLE_MS = 30 * 60_000;
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
export class ActService implements CodeSteps, ExecuteSteps {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(ActionBackends) private readonly backends: ActionBackends,
    @Inject(ActionLedger) readonly ledger: ActionLedger,
    @Inject(IdentityCodes) readonly codes: IdentityCodes,
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
    if (flow && typedCode) {
      const current = flow;
      return checkCode(this, turn, current, language, typedCode, { ...trace, action: current.action, backend: backend.backendId }, (t) => this.gather(turn, current, backend, language, t));
    }
    const gives: Slots = { ...tool?.args, ...slotsIn(turn, understanding, flow) };

    if (flow?.step === 'done' && flow.slots.further && reply) return this.goOn(turn, flow, backend, language, reply, trace);
    if (flow && (flow.step === 'confirm' || flow.step === 'done') && reply) {
      const step = flow.step;
      if (reply === 'no' || step === 'done') {
        if (reply === 'no') {
          await this.remove(turn, flow);
          return { text: render(language, 'actionKept', { order: flow.slots.orderNumber ?? '' }), trace: { ...trace, action: flow.action, step, customer: 'declined' }, allowed: [flow.slots.orderNumber ?? ''] };
        }
        // A "yes" again after it was done: the ledger repeats the first call's outcome, never a second call.
        return execute(this, turn, flow, backend, language, { ...trace, action: flow.action, step, customer: 'confirmed again' });
      }
      // "Yes, I ordered it by mistake": the reason goes with the cancel the customer just confirmed.
      if (gives.reason && flow.slots.request) {
        const request = JSON.parse(flow.slots.request) as ConfirmedRequest;
        if (request.action === 'cancel_order' && !request.reason) flow.slots.request = JSON.stringify({ ...request, reason: gives.reason });
      }
      return execute(this, turn, flow, backend, language, { ...trace, action: flow.action, step, customer: 'confirmed' });
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
      const { email, zip, orderNumber, verified, handled, codeVerified, codeSends, refunded } = previous?.slots ?? {};
      // The orders already done in this conversation, so that "and the rest" goes on to the next one.
      const done = previous?.step === 'done' && orderNumber ? `${handled ?? ''} ${previous.action}:${orderNumber}`.trim() : handled;
      // A code proved one order; the count of codes sent stays with the conversation's flow.
      const keep: Slots = {
        ...(email ? { email } : {}),
        ...(zip ? { zip } : {}),
        ...(done ? { handled: done } : {}),
        ...(codeVerified ? { codeVerified } : {}),
        ...(codeSends ? { codeSends } : {}),
        ...(refunded ? { refunded } : {}),
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

  /**
   * The answer to "shall I do the same for order X?" (offered once an action was done): yes starts the
   * same action on that order, with what the customer said and chose (refund method, reason) and the
   * identity checked again; no leaves it.
   */
  private async goOn(turn: Turn, flow: ActionFlow, backend: TenantBackend, language: ReplyLanguage, reply: 'yes' | 'no', trace: Record<string, unknown>): Promise<ActOutcome> {
    const next = flow.slots.further;
    const base = { ...trace, action: flow.action, backend: backend.backendId, further: true };
    delete flow.slots.further;
    if (reply === 'no') {
      await this.save(turn, flow);
      return { text: render(language, 'actionKept', { order: next }), trace: { ...base, step: 'done', customer: 'declined' }, allowed: [next] };
    }
    const { said, refund, reason, refunded, email, zip, codeSends, orderNumber, handled } = flow.slots;
    const kept = Object.entries({ said, refund, reason, refunded, email, zip, codeSends }).filter((e): e is [string, string] => !!e[1]);
    flow.slots = { ...Object.fromEntries(kept), handled: `${handled ?? ''} ${flow.action}:${orderNumber}`.trim(), orderNumber: next };
    flow.step = 'gather';
    flow.idempotencyKey = null;
    return this.gather(turn, flow, backend, language, base);
  }

  /** The order (by number, or among the sender's own) and proof of identity, then the action's next step. */
  private async gather(turn: Turn, flow: ActionFlow, backend: TenantBackend, language: ReplyLanguage, trace: Record<string, unknown>): Promise<ActOutcome> {
    const byChannel = channelProof(turn);
    const { orderNumber, email, zip } = flow.slots;
    let order: ShopOrder | null = null;
    if (!orderNumber) {
      // On email the sender's address is proven: their orders can be looked up by it, so "the blue lamp" is enough.
      const own = byChannel === 'sender_email' ? await ownOrders(backend.backend, senderOf(turn), flow.action as FlowAction, flow.slots, language) : undefined;
      if (own && 'order' in own) order = own.order;
      else {
        await this.save(turn, flow);
        const text = own?.text ?? render(language, byChannel ? 'actionAskOrder' : 'actionAskIdentity');
        return { text, trace: { ...trace, step: 'gather', identity: own ? 'verified' : 'pending', ...(own ? { proof: byChannel, awaiting: 'order' } : {}) }, allowed: own?.allowed };
      }
    } else if (!byChannel && !email && !zip) {
      await this.save(turn, flow);
      return { text: render(language, 'actionAskIdentity'), trace: { ...trace, step: 'gather', identity: 'pending' } };
    }
    if (!order) {
      try {
        order = await backend.backend.findOrder(orderNumber);
      } catch (err) {
        await this.remove(turn, flow);
        return failed(language, 'actionLookupFailed', orderNumber, { ...trace, step: 'lookup', error: errorCode(err) });
      }
      if (!order || !owns(turn, order, byChannel, flow.slots)) {
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
    if (!byChannel && turn.settings.actionIdentity === 'code' && flow.slots.codeVerified !== order.number) return sendCode(this, turn, flow, order, language, trace);
    flow.slots.verified = '1';
    const proof = byChannel ?? (flow.slots.codeVerified === order.number ? 'code' : email ? 'email' : 'zip');
    const verified: Record<string, unknown> = { ...trace, identity: 'verified', proof, orderStatus: order.status };
    // The verified order's own identifiers; not its item titles, which a shop may fill with anything.
    const allowed = [order.number, order.email ?? '', order.phone ?? '', ...order.tracking.map((t) => t.number)];
    // The order decides what changing its items is: an edit before it ships, an exchange once delivered.
    const swap = flow.action === 'exchange_order' && order.status === 'open' ? 'modify_items' : flow.action === 'modify_items' && order.status === 'delivered' ? 'exchange_order' : undefined;
    if (swap && permissionOf(turn, swap) !== 'never') {
      flow.action = swap;
      verified.action = swap;
    }
    if (flow.action === 'order_status') {
      await this.remove(turn, flow);
      return { text: statusText(order, language), trace: { ...verified, step: 'answered' }, allowed };
    }
    let step;
    try {
      step = await nextStep(flow.action as Exclude<FlowAction, 'order_status'>, order, this.state(flow, turn), backend.backend, language);
    } catch (err) {
      await this.remove(turn, flow);
      return failed(language, 'actionLookupFailed', order.number, { ...verified, step: 'lookup', error: errorCode(err) });
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
    if (step.refund !== undefined) flow.slots.refundAmount = String(step.refund);
    else delete flow.slots.refundAmount;
    delete flow.slots.awaiting;
    flow.step = 'confirm';
    // One key per action call: every "yes" to this question is the same call.
    flow.idempotencyKey = newId();
    await this.save(turn, flow);
    return { text: step.text, trace: { ...verified, step: 'confirm' }, allowed };
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

  /** A try (`dryRun`) keeps no flow: its conversation names no row, and its next question starts afresh. */
  async save(turn: Turn, flow: ActionFlow): Promise<void> {
    flow.expiresAt = new Date(Date.now() + FLOW_IDLE_MS);
    if (!turn.dryRun) await this.ds.getRepository(ActionFlow).save(flow);
  }

  async remove(turn: Turn, flow: ActionFlow): Promise<void> {
    if (!turn.dryRun) await this.ds.getRepository(ActionFlow).delete({ id: flow.id });
  }
}
