import type { ActionFlow } from '@cs/persistence';
import type { Turn, Understanding } from '../pipeline.types';
import { yesOrNo, zipIn } from './customer-reply';
import { addressIn, reasonIn, refundMethodIn } from './order-details';

/**
 * What this message tells us: an order number, an email address, a zip; and, in a flow past the
 * identity check, the details its questions asked for (a reason, a refund method, an address, the
 * items or variants named), so that an answer keeps the flow going rather than ending it.
 */
export function slotsIn(turn: Turn, understanding: Understanding, flow: ActionFlow | null): Record<string, string> {
  const known = flow?.slots ?? {};
  const found: Record<string, string> = {};
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
