import { channelProfile } from '@cs/contracts';
import type { ShopOrder } from '../../actions/action-backend';
import type { Turn } from '../pipeline.types';
import type { ActionPermission } from './act.types';
import { phoneKey } from './customer-reply';

export type ChannelProof = 'sender_email' | 'caller_phone';

/**
 * The channel itself proves who writes: on email the sender's address, on SMS, WhatsApp and voice
 * the customer's number. Elsewhere (web chat, API, Slack) the customer must tell us the order's email or zip.
 */
export function channelProof(turn: Turn): ChannelProof | undefined {
  const channel = turn.inbound.channel;
  if (channel === 'email') return 'sender_email';
  if (channelProfile(channel).addressKind === 'phone') return 'caller_phone';
  return undefined;
}

/** The sender's address or number as the channel gives it. */
export function senderOf(turn: Turn): string {
  return turn.inbound.sender.address ?? turn.inbound.sender.externalUserId;
}

/** Whether the one writing is the order's owner, by the proof the channel gives or the details the customer gave. */
export function owns(turn: Turn, order: ShopOrder, proof: ChannelProof | undefined, slots: Record<string, string>): boolean {
  const from = senderOf(turn);
  if (proof === 'sender_email') return !!order.email && order.email.toLowerCase() === from.trim().toLowerCase();
  if (proof === 'caller_phone') return !!phoneKey(from) && phoneKey(from) === phoneKey(order.phone);
  if (slots.email) return !!order.email && order.email.toLowerCase() === slots.email;
  return !!slots.zip && !!order.zip && order.zip.replace(/\s/g, '').toLowerCase() === slots.zip.toLowerCase();
}

/** `settings.actionPermissions[action]`; unset is `alone`, and a value we do not know is no licence to act alone. */
export function permissionOf(turn: Turn, action: string): ActionPermission {
  const all = turn.settings.actionPermissions;
  const value = all && typeof all === 'object' ? (all as Record<string, unknown>)[action] : undefined;
  if (value === undefined) return 'alone';
  return value === 'alone' || value === 'never' || value === 'approval' ? value : 'approval';
}
