import type { ReplyLanguage } from '@cs/contracts';
import type { ActionBackend, MutationResult, ProductVariant, RefundMethod, ShopOrder, ShopOrderItem } from '../../actions/action-backend';
import type { ConfirmedRequest, SwappedLine } from '../../actions/action-runner';
import { render, type TemplateName } from '../text/templates';
import { renderFlow } from './act-templates';
import { renderChange } from './change-templates';
import { addressIn, addressText, itemsNamed, itemText, variantAsked, type FlowAction } from './order-details';

export type Step =
  /** A question for a missing detail; `awaiting` names it (for the trace and for reading the next answer). */
  | { kind: 'ask'; text: string; awaiting: string; itemIds?: string[] }
  /** Everything is known: the question the customer answers yes or no to; `refund`, what it gives back when the shop knows prices. */
  | { kind: 'confirm'; text: string; request: ConfirmedRequest; refund?: number }
  /** Nothing to do (the order is past the point where this is possible): the answer ends the flow. */
  | { kind: 'end'; text: string; outcome: string };

/** What the customer said in this flow, and the details already settled. */
export interface FlowState {
  said: string;
  latest: string;
  reason?: string;
  refund?: RefundMethod;
  itemIds?: string[];
  /** The question the flow asked last (`items`, `item`, `variant`...). */
  awaiting?: string;
}

/**
 * The next step of a return, exchange, address change or cancel on a verified order: ask for what is
 * missing, or the confirmation question. Pure except for reading the product's variants.
 */
export async function nextStep(action: Exclude<FlowAction, 'order_status'>, order: ShopOrder, state: FlowState, backend: ActionBackend, language: ReplyLanguage): Promise<Step> {
  const number = order.number;
  if (action === 'cancel_order') {
    if (order.status !== 'open') {
      return { kind: 'end', text: render(language, order.status === 'cancelled' ? 'orderCancelled' : 'cancelNotPossible', { order: number }), outcome: 'not_possible' };
    }
    const named = itemsNamed(state.said, order);
    // "Cancel the air purifier in it": a shop cancels orders, not single items; say so before asking.
    const whole = named.length > 0 && named.length < order.items.length ? `${renderFlow(language, 'cancelWholeOnly')} ` : '';
    const total = sum(order.items);
    const amount = total === undefined ? '' : `${renderFlow(language, 'refundTotal', { amount: money(total) })} `;
    const confirm = whole + amount + render(language, 'cancelConfirm', { order: number, items: order.items.map((i) => itemText(i)).join(', ') });
    // The shop keeps why; the customer may say it with their "yes".
    const text = state.reason ? confirm : `${confirm} ${renderFlow(language, 'askCancelReason')}`;
    return { kind: 'confirm', text, request: { action, order: number, reason: state.reason }, refund: total };
  }
  if (action === 'change_address') {
    if (order.status !== 'open') return { kind: 'end', text: renderFlow(language, 'addressNotPossible', { order: number }), outcome: 'not_possible' };
    const address = addressIn(state.latest) ?? addressIn(state.said);
    if (!address) return { kind: 'ask', text: renderFlow(language, 'askAddress', { order: number }), awaiting: 'address' };
    return { kind: 'confirm', text: renderFlow(language, 'addressConfirm', { order: number, address: addressText(address) }), request: { action, order: number, address } };
  }
  if (action === 'modify_items' && order.status !== 'open') {
    const text = order.status === 'cancelled' ? render(language, 'orderCancelled', { order: number }) : renderChange(language, 'modifyNotPossible', { order: number });
    return { kind: 'end', text, outcome: 'not_possible' };
  }
  if (action !== 'modify_items' && order.status !== 'delivered') {
    const text = order.status === 'cancelled' ? render(language, 'orderCancelled', { order: number }) : renderFlow(language, 'notDelivered', { order: number });
    return { kind: 'end', text, outcome: 'not_possible' };
  }
  const items = chosenItems(order, state);
  const listed = order.items.map((i) => itemText(i, order.items.some((o) => o !== i && o.title === i.title))).join(', ');
  if (items.length === 0) {
    const text = action === 'modify_items' ? renderChange(language, 'askModifyItems', { order: number, items: listed }) : renderFlow(language, action === 'return_order' ? 'askReturnItems' : 'askExchangeItems', { order: number, items: listed });
    return { kind: 'ask', text, awaiting: 'items' };
  }
  // Two lines of one product and nothing said to tell them apart: ask, rather than take both.
  const twin = items.find((i) => items.some((o) => o !== i && o.title === i.title));
  if (twin && !/\b(both|all|two|each|every)\b/i.test(state.said)) {
    const choices = items.filter((i) => i.title === twin.title).map((i) => `(${Object.values(i.options ?? {}).join(', ')})`).join(' / ');
    return { kind: 'ask', text: renderFlow(language, 'askWhichItem', { item: twin.title, choices }), awaiting: 'item' };
  }
  const refund = state.refund;
  if (action === 'return_order') {
    if (!refund) return { kind: 'ask', text: renderFlow(language, 'askRefund'), awaiting: 'refund', itemIds: items.map((i) => i.id) };
    const lines = items.map((i) => ({ id: i.id, quantity: i.quantity, title: i.title }));
    const total = sum(items);
    const confirm = renderFlow(language, 'returnConfirm', { order: number, items: items.map((i) => itemText(i)).join(', '), refund: refundText(language, refund) });
    return {
      kind: 'confirm',
      text: total === undefined ? confirm : `${renderFlow(language, 'refundTotal', { amount: money(total) })} ${confirm}`,
      request: { action, order: number, items: lines, refund },
      refund: total,
    };
  }
  return swapStep(action, order, items, state, backend, language);
}

/** An exchange (delivered) or an item change (not shipped yet): the variant wanted for each item, then the question. */
async function swapStep(action: 'exchange_order' | 'modify_items', order: ShopOrder, items: ShopOrderItem[], state: FlowState, backend: ActionBackend, language: ReplyLanguage): Promise<Step> {
  const number = order.number;
  const swapped: SwappedLine[] = [];
  let difference: number | undefined = 0;
  for (const item of items) {
    const variants: ProductVariant[] = item.productId && backend.productVariants ? await backend.productVariants(item.productId) : [];
    // An answer to "what would you like instead?" is about this item whatever words it uses.
    const answer = state.awaiting === 'variant' ? state.latest : '';
    const choice = variantAsked(`${wordsAbout(item, order, state)}. ${answer}`, item, variants, answer);
    if (!choice.variant) {
      const options = choice.choices.slice(0, 8).map((v) => v.title + (v.price !== undefined ? ` (${v.price.toFixed(2)})` : '')).join('; ');
      return { kind: 'ask', text: renderFlow(language, 'askVariant', { item: itemText(item, true), options: options || '-' }), awaiting: 'variant', itemIds: items.map((i) => i.id) };
    }
    swapped.push({ id: item.id, quantity: item.quantity, title: itemText(item, true), newVariantId: choice.variant.id, newTitle: choice.variant.title });
    difference = difference !== undefined && item.price !== undefined && choice.variant.price !== undefined ? difference + (choice.variant.price - item.price) * item.quantity : undefined;
  }
  const how = state.refund ?? 'original_payment';
  const values = { order: number, items: swapped.map((e) => `${e.title} → ${e.newTitle}`).join(', '), refund: refundText(language, how) };
  const confirm = action === 'modify_items' ? renderChange(language, 'modifyConfirm', values) : renderFlow(language, 'exchangeConfirm', values);
  const settle = difference === undefined || Math.abs(difference) < 0.005 ? '' : renderFlow(language, difference > 0 ? 'payMore' : 'getBack', { amount: money(Math.abs(difference)) });
  return { kind: 'confirm', text: settle ? `${confirm} ${settle}` : confirm, request: { action, order: number, items: swapped, refund: how } };
}

export function money(amount: number): string {
  return amount.toFixed(2);
}

/** What the lines cost, when the shop gave every price. */
function sum(items: ShopOrderItem[]): number | undefined {
  return items.every((i) => i.price !== undefined) ? items.reduce((total, i) => total + (i.price as number) * i.quantity, 0) : undefined;
}

/** The lines the customer named in their latest message, else those settled before, else the last message that named any. */
function chosenItems(order: ShopOrder, state: FlowState): ShopOrderItem[] {
  // An answer about the variant wanted is not a new choice of items.
  if (state.awaiting === 'variant' && state.itemIds) return order.items.filter((i) => state.itemIds?.includes(i.id));
  const latest = itemsNamed(state.latest, order);
  if (latest.length > 0) return latest;
  if (state.awaiting === 'item') {
    // "The robotic one": the options named pick among the lines of one product asked about.
    const before = chosenItems(order, { ...state, awaiting: undefined, latest: '' });
    const named = before.filter((i) => Object.values(i.options ?? {}).some((v) => new RegExp(`\\b${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(state.latest)));
    if (named.length > 0) return [...before.filter((i) => !before.some((o) => o !== i && o.title === i.title)), ...named];
  }
  if (state.itemIds) return order.items.filter((i) => state.itemIds?.includes(i.id));
  for (const line of state.said.split('\n').reverse()) {
    const named = itemsNamed(line, order);
    if (named.length > 0) return named;
  }
  return [];
}

/**
 * The words that say what the customer wants instead of this item: the clause naming it ("the
 * keyboard for one with clicky switches"), else all they said. Another item's clause is left out, so
 * one item's wish does not pick the other's option.
 */
function wordsAbout(item: ShopOrderItem, order: ShopOrder, state: FlowState): string {
  const clauses = state.said.split(/[.;!?]|\band\b(?= (the|my|a) )/i).filter(Boolean);
  const head = item.title.toLowerCase().split(/\s+/).pop() ?? '';
  const mine = clauses.filter((c) => c.toLowerCase().includes(head.replace(/s$/, '')));
  const others = order.items.filter((o) => o.title !== item.title);
  const clean = mine.filter((c) => !others.some((o) => c.toLowerCase().includes((o.title.toLowerCase().split(/\s+/).pop() ?? '#').replace(/s$/, ''))));
  return (clean.length ? clean : mine.length ? mine : [state.said]).join('. ');
}

export function refundText(language: ReplyLanguage, method: RefundMethod): string {
  return renderFlow(language, method === 'store_credit' ? 'refundStoreCredit' : 'refundOriginal');
}

export function doneText(language: ReplyLanguage, request: ConfirmedRequest, result: MutationResult): string {
  const order = request.order;
  switch (request.action) {
    case 'cancel_order':
      return render(language, result.state === 'done' ? 'cancelDone' : 'cancelPending', { order });
    case 'return_order':
      return renderFlow(language, 'returnDone', { order, items: request.items.map((i) => itemText({ ...i, options: undefined })).join(', ') });
    case 'exchange_order':
      return renderFlow(language, 'exchangeDone', { order, items: request.items.map((i) => `${i.title} → ${i.newTitle}`).join(', ') });
    case 'modify_items':
      return result.state === 'done' ? renderChange(language, 'modifyDone', { order, items: request.items.map((i) => `${i.title} → ${i.newTitle}`).join(', ') }) : renderFlow(language, 'changeUnknown', { order });
    case 'change_address':
      return result.state === 'done' ? renderFlow(language, 'addressDone', { order, address: addressText(request.address) }) : renderFlow(language, 'changeUnknown', { order });
  }
}

/** For the person who picks a hand-off up, in English like the hand-off summary. */
export function describe(request: ConfirmedRequest): string {
  switch (request.action) {
    case 'cancel_order':
      return `cancel order ${request.order}${request.reason ? ` (${request.reason})` : ''}`;
    case 'return_order':
      return `return ${request.items.map((i) => itemText({ ...i, options: undefined })).join(', ')} from order ${request.order}, refund to ${request.refund === 'store_credit' ? 'store credit' : 'the original payment'}`;
    case 'exchange_order':
      return `exchange ${request.items.map((i) => `${i.title} for ${i.newTitle}`).join(', ')} on order ${request.order}`;
    case 'modify_items':
      return `change ${request.items.map((i) => `${i.title} to ${i.newTitle}`).join(', ')} on order ${request.order} (price difference to or from ${request.refund === 'store_credit' ? 'store credit' : 'the original payment'})`;
    case 'change_address':
      return `change the shipping address of order ${request.order} to ${addressText(request.address)}`;
  }
}

/** Where the order is: its status and, unless cancelled, its tracking numbers. */
export function statusText(order: ShopOrder, language: ReplyLanguage): string {
  const sentence: Record<ShopOrder['status'], TemplateName> = { open: 'orderOpen', shipped: 'orderShipped', delivered: 'orderDelivered', cancelled: 'orderCancelled' };
  const parts = [render(language, sentence[order.status], { order: order.number })];
  if (order.status !== 'cancelled' && order.tracking.length > 0) {
    parts.push(render(language, 'orderTracking', { tracking: order.tracking.map((t) => (t.company ? `${t.number} (${t.company})` : t.number)).join(', ') }));
  }
  return parts.join(' ');
}
