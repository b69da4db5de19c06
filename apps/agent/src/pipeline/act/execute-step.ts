import { newId, type ReplyLanguage } from '@cs/contracts';
import type { ActionFlow } from '@cs/persistence';
import { ActionBackendError } from '../../actions/action-backend';
import type { TenantBackend } from '../../actions/action-backends.service';
import type { ActionLedger } from '../../actions/action-ledger.service';
import { ledgerRequest, runAction, type ConfirmedRequest } from '../../actions/action-runner';
import type { Turn } from '../pipeline.types';
import { render, type TemplateName } from '../text/templates';
import { renderFlow } from './act-templates';
import type { ActOutcome } from './act.types';
import { renderChange } from './change-templates';
import { describe, doneText, money } from './flow-steps';
import { channelProof, permissionOf, senderOf } from './identity';
import { itemText } from './order-details';
import { furtherOrder } from './own-orders';

/** What the confirmed call needs of the act stage: the ledger, and how a flow is kept or dropped. */
export interface ExecuteSteps {
  ledger: ActionLedger;
  save(turn: Turn, flow: ActionFlow): Promise<void>;
  remove(turn: Turn, flow: ActionFlow): Promise<void>;
}

/** The confirmed action: once per idempotency key; the reply says only what the backend reported. */
export async function execute(steps: ExecuteSteps, turn: Turn, flow: ActionFlow, backend: TenantBackend, language: ReplyLanguage, trace: Record<string, unknown>): Promise<ActOutcome> {
  const number = flow.slots.orderNumber ?? '';
  const request: ConfirmedRequest = flow.slots.request ? (JSON.parse(flow.slots.request) as ConfirmedRequest) : { action: 'cancel_order', order: number };
  const key = flow.idempotencyKey ?? newId();
  const cancel = request.action === 'cancel_order';
  const call = { tenantId: turn.tenantId, conversationId: turn.conversationId, backendId: backend.backendId, action: flow.action, idempotencyKey: key, request: ledgerRequest(request) };
  if (flow.step === 'confirm' && permissionOf(turn, flow.action) === 'approval') {
    // The tenant wants a person to approve it: recorded, handed over, and not done by us.
    await steps.ledger.record(call, 'awaiting_approval');
    await steps.remove(turn, flow);
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
  const outcome = await steps.ledger.once(call, () => runAction(backend.backend, flow.action, call.request, key));
  const called = { ...trace, backend: backend.backendId, call: { idempotencyKey: key, outcome: outcome.kind, ...(outcome.kind !== 'unknown' ? { repeated: outcome.repeated } : {}) } };
  if (outcome.kind === 'done') {
    const text = doneText(language, request, outcome.result);
    // Several refunds in one conversation: the customer hears what they come to together.
    const before = Number(flow.slots.refunded ?? 0);
    const refund = flow.step === 'confirm' ? Number(flow.slots.refundAmount ?? 0) : 0;
    if (refund > 0) flow.slots.refunded = String(before + refund);
    const together = refund > 0 && before > 0 ? ` ${renderChange(language, 'refundsTogether', { amount: money(before + refund) })}` : '';
    // Another of the sender's orders the request is about: offered, never done without a "yes".
    const further = flow.step === 'confirm' && channelProof(turn) === 'sender_email' ? await furtherOrder(backend.backend, senderOf(turn), request, flow.slots) : undefined;
    if (further) flow.slots.further = further.number;
    const offer = further ? ` ${renderChange(language, 'offerFurther', { order: further.number, items: further.items.map((i) => itemText(i)).join(', ') })}` : '';
    flow.step = 'done';
    flow.idempotencyKey = key;
    await steps.save(turn, flow);
    return { text: text + together + offer, trace: { ...called, result: outcome.result.state, ...(further ? { further: true } : {}) }, allowed: [number, ...(further ? [further.number] : [])] };
  }
  await steps.remove(turn, flow);
  if (outcome.kind === 'failed') {
    return failed(language, cancel ? 'actionNotDone' : 'changeNotDone', number, { ...called, error: outcome.code }, `${describe(request)} failed (${outcome.code}); nothing was changed.`);
  }
  return failed(language, cancel ? 'actionUnknown' : 'changeUnknown', number, called, `${describe(request)}: an earlier call never finished; check the order in the shop.`);
}

export function failed(language: ReplyLanguage, sentence: TemplateName | 'changeNotDone' | 'changeUnknown', order: string, trace: Record<string, unknown>, note?: string): ActOutcome {
  const notDone = sentence === 'changeNotDone' || sentence === 'changeUnknown' ? renderFlow(language, sentence, { order }) : render(language, sentence, { order });
  return { handoff: { reason: 'action_failed', notDone, note }, trace, allowed: [order] };
}

export function errorCode(err: unknown): string {
  return err instanceof ActionBackendError ? err.code : 'unavailable';
}
