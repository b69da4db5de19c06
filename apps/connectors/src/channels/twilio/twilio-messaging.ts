import type { DeliveryStatus, WebhookRequest } from '@cs/contracts';

/** The keywords carriers (and Twilio's Advanced Opt-Out) act on, matched on the whole message. */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

export type MessagingKeyword = 'opt-out' | 'opt-in' | 'help';

/** STOP, START or HELP (and their synonyms), when that is the whole message. */
export function keywordOf(body: string): MessagingKeyword | null {
  const word = body.trim().replace(/[.!?]+$/, '').toUpperCase();
  if (OPT_OUT.has(word)) return 'opt-out';
  if (OPT_IN.has(word)) return 'opt-in';
  if (HELP.has(word)) return 'help';
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATUS_STATES: Record<string, DeliveryStatus['state'] | undefined> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
};

export type TwilioStatusEvent = { kind: 'status'; status: DeliveryStatus } | { kind: 'ignored'; reason: string };

/**
 * A status callback of a message we sent on the Messages API (SMS and WhatsApp alike), or null when
 * the webhook is an inbound message. Pure.
 */
export function parseTwilioStatus(p: Record<string, string>, req: WebhookRequest, connectorId: string): TwilioStatusEvent | null {
  const messageSid = p.MessageSid ?? p.SmsSid;
  const messageStatus = p.MessageStatus ?? (p.Body === undefined ? p.SmsStatus : undefined);
  if (!messageSid || !messageStatus || messageStatus === 'received') return null;
  const state = STATUS_STATES[messageStatus];
  if (!state) return { kind: 'ignored', reason: `interim status ${messageStatus}` };
  // Our own message id, put in the callback URL when sending (the signature covers it).
  const messageId = typeof req.query.messageId === 'string' && UUID.test(req.query.messageId) ? req.query.messageId : undefined;
  return {
    kind: 'status',
    status: {
      connectorId,
      externalMessageId: messageSid,
      ...(messageId ? { messageId } : {}),
      state,
      ...(p.ErrorCode ? { errorCode: p.ErrorCode, vendorCode: p.ErrorCode } : {}),
      ...(state === 'failed' ? { reason: 'undelivered' as const, errorMessage: p.ErrorMessage || `Twilio reported the message ${messageStatus}` } : {}),
    },
  };
}
