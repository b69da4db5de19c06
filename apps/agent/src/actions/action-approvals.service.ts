import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { asReplyLanguage, type ActionDecisionReply, type ReplyLanguage } from '@cs/contracts';
import { ActionCall } from '@cs/persistence';
import { render, type TemplateName } from '../pipeline/text/templates';
import { renderChange, type ChangeTemplate } from '../pipeline/act/change-templates';
import { ConversationNotifier } from '../conversations/conversation-notifier.service';
import { ActionBackends } from './action-backends.service';
import { ActionLedger, type LedgerOutcome } from './action-ledger.service';
import { runAction } from './action-runner';

const decisionSchema = z.object({
  tenantId: z.string().uuid(),
  callId: z.string().uuid(),
  decision: z.enum(['approve', 'reject']),
  decidedBy: z.string().uuid(),
  note: z.string().max(2000).optional(),
});

type Told = 'done' | 'pending' | 'failed' | 'unknown' | 'rejected';

/** What the customer is told after a person's decision, per action; an outcome without its own sentence gets the general one. */
const SENTENCES: Record<string, Record<Told, TemplateName>> = {
  cancel_order: { done: 'cancelDone', pending: 'cancelPending', failed: 'actionNotDone', unknown: 'actionUnknown', rejected: 'cancelRejected' },
};
/** The changes' own sentences (act/change-templates.ts): what was approved, and done or requested. */
const CHANGE_SENTENCES: Record<string, Partial<Record<Told, ChangeTemplate>>> = {
  return_order: { done: 'returnApproved', pending: 'returnRequestedApproved', rejected: 'returnRejected' },
  exchange_order: { done: 'exchangeApproved', pending: 'exchangeRequestedApproved', rejected: 'exchangeRejected' },
  change_address: { done: 'addressApproved', rejected: 'addressRejected' },
  modify_items: { done: 'modifyApproved', rejected: 'modifyRejected' },
};
const GENERAL: Record<Told, TemplateName> = { done: 'requestDone', pending: 'requestPending', failed: 'requestFailed', unknown: 'requestUnknown', rejected: 'requestRejected' };

/**
 * The approval queue's other half (`agent.action.decide`): a person approved or rejected an action
 * the act stage parked. Approved, it runs once through the ledger (a second approval finds it
 * decided), exactly as a confirmed call would; either way the customer is told on their channel
 * what happened, from what the backend reported.
 */
@Injectable()
export class ActionApprovals {
  constructor(
    @Inject(ActionLedger) private readonly ledger: ActionLedger,
    @Inject(ActionBackends) private readonly backends: ActionBackends,
    @Inject(ConversationNotifier) private readonly notifier: ConversationNotifier,
  ) {}

  async decide(payload: unknown): Promise<ActionDecisionReply> {
    const parsed = decisionSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, status: 400, error: 'invalid decision request' };
    const { tenantId, callId, decision, decidedBy, note } = parsed.data;
    const decided = await this.ledger.decide(tenantId, callId, decision, decidedBy, note);
    if (!decided) return { ok: false, status: 404, error: 'no such action awaiting approval' };
    const { call } = decided;
    if (!decided.claimed) return { ok: false, status: 409, error: `this action is no longer awaiting approval (it is ${call.status})` };
    const language: ReplyLanguage = asReplyLanguage(await this.notifier.languageOf(tenantId, call.conversationId)) ?? 'en';
    if (decision === 'reject') {
      const customerTold = await this.tell(call, language, 'rejected', { outcome: 'rejected' });
      return { ok: true, status: 'rejected', result: null, customerTold };
    }
    const outcome = await this.run(call);
    const sentence = outcome.kind === 'done' ? outcome.result.state : outcome.kind;
    const customerTold = await this.tell(call, language, sentence, {
      outcome: outcome.kind,
      ...(outcome.kind === 'failed' ? { error: outcome.code } : {}),
      ...(outcome.kind === 'done' ? { result: outcome.result.state } : {}),
    });
    const status = outcome.kind === 'unknown' ? 'started' : outcome.kind;
    return { ok: true, status, result: outcome.kind === 'done' ? { ...outcome.result } : outcome.kind === 'failed' ? { code: outcome.code } : null, customerTold };
  }

  private async run(call: ActionCall): Promise<LedgerOutcome> {
    const backend = await this.backends.forTenant(call.tenantId);
    // The shop was disconnected since: nothing can be done, and the ledger says so.
    if (!backend) return this.ledger.runApproved(call, () => Promise.reject(new Error('no action backend connected')));
    return this.ledger.runApproved(call, () => runAction(backend.backend, call.action, call.request, call.idempotencyKey));
  }

  /** The decision's outcome in the conversation (and its trace), on the customer's channel. */
  private tell(call: ActionCall, language: ReplyLanguage, sentence: Told, detail: Record<string, unknown>): Promise<boolean> {
    const values = { order: String(call.request.order ?? '') };
    const own = CHANGE_SENTENCES[call.action]?.[sentence];
    const text = own ? renderChange(language, own, values) : render(language, (SENTENCES[call.action] ?? GENERAL)[sentence], values);
    const trace = {
      generator: 'action',
      replyLanguage: language,
      action: { action: call.action, step: 'approval', backend: call.backendId, permission: 'approval', call: { idempotencyKey: call.idempotencyKey, callId: call.id, ...detail } },
    };
    return this.notifier.tell(call.tenantId, call.conversationId, text, trace);
  }
}
