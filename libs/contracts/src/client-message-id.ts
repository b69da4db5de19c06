import { z } from 'zod';

/**
 * A client's own id for one message it sends: the web-chat widget's `clientId`, the API channel's
 * `Idempotency-Key` header (or `clientMessageId` field). A client that resends (after a reconnect,
 * a dropped connection, a timeout) sends the same id again. Letters, digits, `-` and `_` (a UUID
 * fits): it ends up in a bus subject token and in the bus's duplicate id.
 */
export const clientMessageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be 1 to 100 letters, digits, - or _ (a UUID fits)');

/**
 * The one dedupe mechanism for client-sent messages: the client's id, within its scope (a widget
 * session, an API tenant), becomes the inbound message's `externalMessageId`. A resend then carries
 * the same `Nats-Msg-Id` (`<connectorId>:<externalMessageId>`, dropped by the stream within its
 * duplicate window) and meets the unique index on (tenant, connector, externalMessageId) of stored
 * inbound messages (the agent stores it once and answers it once, however late the resend).
 */
export function clientMessageExternalId(scope: string, clientMessageId: string): string {
  return `${scope}:${clientMessageId}`;
}
