import type { ReplyLanguage } from '@cs/contracts';
import type { ActionFlow } from '@cs/persistence';
import type { ShopOrder } from '../../actions/action-backend';
import { MAX_CODE_SENDS, type IdentityCodes } from '../../actions/identity-codes.service';
import type { Turn } from '../pipeline.types';
import { render } from '../text/templates';
import type { ActOutcome } from './act.types';

/** Wrong order number / email / zip combinations, or wrong codes, before a person takes over. */
export const MAX_IDENTITY_ATTEMPTS = 3;

/** What the code steps need of the act stage: the code service, and how a flow is kept or dropped. */
export interface CodeSteps {
  codes: IdentityCodes;
  save(turn: Turn, flow: ActionFlow): Promise<void>;
  remove(turn: Turn, flow: ActionFlow): Promise<void>;
}

/** A one-time code to the order's email or phone; the flow waits for it (step `code`) keeping only its hash. */
export async function sendCode(steps: CodeSteps, turn: Turn, flow: ActionFlow, order: ShopOrder, language: ReplyLanguage, trace: Record<string, unknown>): Promise<ActOutcome> {
  // A try sends nothing to anyone: it says a code would go out, and stops there.
  if (turn.dryRun) return { text: render(language, 'codeSent', { destination: '…' }), trace: { ...trace, step: 'code', identity: 'code_not_sent_on_try' } };
  const sends = Number(flow.slots.codeSends ?? 0);
  const sent = sends < MAX_CODE_SENDS ? await steps.codes.send(turn.tenantId, turn.conversationId, flow.id, order, language) : 'too_many';
  if (typeof sent === 'string') {
    await steps.remove(turn, flow);
    const why = sent === 'too_many' ? 'too_many_codes' : 'no_code_route';
    return { handoff: { reason: 'identity_not_verified', notDone: render(language, 'identityFailed'), note: `One-time code not sent (${why.replace(/_/g, ' ')}).` }, trace: { ...trace, step: 'identity', identity: why } };
  }
  flow.step = 'code';
  flow.slots = { ...flow.slots, codeHash: sent.hash, codeExpires: String(sent.expiresAt), codeSends: String(sends + 1) };
  await steps.save(turn, flow);
  return { text: render(language, 'codeSent', { destination: sent.destination }), trace: { ...trace, step: 'code', identity: 'code_sent', via: sent.via }, allowed: [sent.destination] };
}

/**
 * The code typed back: right, the flow goes on verified (`gather` with the code proved); wrong, an
 * identity attempt (a person takes over after the last); expired, gathering again sends a new one.
 */
export async function checkCode(
  steps: CodeSteps,
  turn: Turn,
  flow: ActionFlow,
  language: ReplyLanguage,
  typed: string,
  trace: Record<string, unknown>,
  gather: (trace: Record<string, unknown>) => Promise<ActOutcome>,
): Promise<ActOutcome> {
  const { codeHash, codeExpires, ...slots } = flow.slots;
  flow.step = 'gather';
  if (!codeHash || Number(codeExpires) < Date.now()) {
    flow.slots = slots;
    return gather({ ...trace, code: 'expired' });
  }
  if (steps.codes.matches(flow.id, codeHash, typed)) {
    flow.slots = { ...slots, codeVerified: slots.orderNumber ?? '' };
    return gather({ ...trace, code: 'verified' });
  }
  flow.step = 'code';
  flow.identityAttempts += 1;
  const identity = { ...trace, step: 'identity', identity: 'code_wrong', attempts: flow.identityAttempts };
  if (flow.identityAttempts >= MAX_IDENTITY_ATTEMPTS) {
    await steps.remove(turn, flow);
    return { handoff: { reason: 'identity_not_verified', notDone: render(language, 'identityFailed') }, trace: identity };
  }
  await steps.save(turn, flow);
  return { text: render(language, 'codeWrong'), trace: identity };
}
