import { OutboundMessage, textOf, type LiveMessage } from '@cs/contracts';

/** Ids that become one token of a bus subject: no separator, wildcard or whitespace. */
export const SUBJECT_TOKEN = /^[^\s.*>]+$/;

export type { LiveMessage };

export function toLiveMessage(message: OutboundMessage): LiveMessage {
  return {
    id: message.messageId,
    conversationId: message.conversationId,
    direction: 'out',
    authorKind: message.authorKind,
    authorName: message.authorName,
    text: textOf(message.parts),
    parts: message.parts,
    createdAt: createdAtOf(message.messageId),
    ...(message.outcome ? { outcome: message.outcome } : {}),
  };
}

/**
 * Message ids are UUIDv7: the first 48 bits are the creation time in ms, the same instant the row
 * was stored with, so clients see one timestamp whichever path the message reached them by.
 */
export function createdAtOf(messageId: string): string {
  const hex = messageId.replace(/-/g, '');
  if (/^[0-9a-f]{32}$/i.test(hex) && hex[12] === '7') return new Date(parseInt(hex.slice(0, 12), 16)).toISOString();
  return new Date().toISOString();
}
