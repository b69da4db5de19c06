import type { Envelope, InboundMessage } from '@cs/contracts';

/**
 * The key that serializes one conversation: used as the bus `orderKey` (messages of a conversation
 * handled in order, never two at once in a process) and as the advisory-lock key (never two at once
 * across processes while the conversation is resolved and the message stored). A pre-assigned
 * conversation id wins; otherwise the channel's thread, otherwise the sender.
 */
export function conversationKey(envelope: Envelope): string | undefined {
  if (envelope.conversationId) return `${envelope.tenantId}:conv:${envelope.conversationId}`;
  const data = envelope.data as Partial<InboundMessage> | null | undefined;
  if (!data || typeof data !== 'object' || !data.channel) return undefined;
  const who = data.externalThreadId ? `t:${data.externalThreadId}` : `u:${data.sender?.externalUserId ?? ''}`;
  return `${envelope.tenantId}:${data.channel}:${data.connectorId ?? ''}:${who}`;
}
