import { DeliveryStatus, InboundMessage, MessagePart, WebhookRequest } from '@cs/contracts';
import { formParams } from '../twilio/twilio-signature';
import { TWILIO_SMS_CONNECTOR_ID } from './twilio-sms.definition';

/** The keywords carriers (and Twilio's Advanced Opt-Out) act on, matched on the whole message. */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

export type SmsKeyword = 'opt-out' | 'opt-in' | 'help';

export function keywordOf(body: string): SmsKeyword | null {
  const word = body.trim().replace(/[.!?]+$/, '').toUpperCase();
  if (OPT_OUT.has(word)) return 'opt-out';
  if (OPT_IN.has(word)) return 'opt-in';
  if (HELP.has(word)) return 'help';
  return null;
}

export type TwilioSmsEvent =
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'keyword'; keyword: SmsKeyword; from: string; to: string; messageSid: string }
  | { kind: 'status'; status: DeliveryStatus }
  | { kind: 'ignored'; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATUS_STATES: Record<string, DeliveryStatus['state'] | undefined> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
};

/**
 * One Twilio messaging webhook, classified: an inbound text (or MMS), a carrier keyword that the
 * connector answers itself, or a status callback of a message we sent. Pure: no I/O.
 */
export function parseTwilioSms(req: WebhookRequest, channelAccountId: string): TwilioSmsEvent {
  const p = formParams(req);
  const messageSid = p.MessageSid ?? p.SmsSid;
  if (!messageSid) return { kind: 'ignored', reason: 'no MessageSid' };

  const messageStatus = p.MessageStatus ?? (p.Body === undefined ? p.SmsStatus : undefined);
  if (messageStatus && messageStatus !== 'received') {
    const state = STATUS_STATES[messageStatus];
    if (!state) return { kind: 'ignored', reason: `interim status ${messageStatus}` };
    // Our own message id, put in the callback URL when sending (the signature covers it).
    const messageId = typeof req.query.messageId === 'string' && UUID.test(req.query.messageId) ? req.query.messageId : undefined;
    return {
      kind: 'status',
      status: {
        connectorId: TWILIO_SMS_CONNECTOR_ID,
        externalMessageId: messageSid,
        ...(messageId ? { messageId } : {}),
        state,
        ...(p.ErrorCode ? { errorCode: p.ErrorCode, vendorCode: p.ErrorCode } : {}),
        ...(state === 'failed' ? { reason: 'undelivered' as const, errorMessage: p.ErrorMessage || `Twilio reported the message ${messageStatus}` } : {}),
      },
    };
  }

  const from = p.From ?? '';
  const to = p.To ?? '';
  if (!from) return { kind: 'ignored', reason: 'no From' };
  const body = p.Body ?? '';
  const keyword = keywordOf(body);
  if (keyword) return { kind: 'keyword', keyword, from, to, messageSid };

  const parts: MessagePart[] = body.trim() ? [{ type: 'text', text: body }] : [];
  const media = Number(p.NumMedia ?? '0');
  for (let i = 0; i < media; i++) {
    const url = p[`MediaUrl${i}`];
    const mimeType = p[`MediaContentType${i}`];
    if (!url) continue;
    parts.push(mimeType?.startsWith('image/') ? { type: 'image', url, mimeType } : { type: 'file', url, ...(mimeType ? { mimeType } : {}) });
  }
  if (p.Latitude && p.Longitude) parts.push({ type: 'location', lat: Number(p.Latitude), lng: Number(p.Longitude) });
  if (parts.length === 0) return { kind: 'ignored', reason: 'empty message' };

  return {
    kind: 'message',
    message: {
      connectorId: TWILIO_SMS_CONNECTOR_ID,
      channel: 'sms',
      channelAccountId,
      externalMessageId: messageSid,
      sender: { externalUserId: from, address: from },
      recipient: to,
      receivedAt: req.receivedAt,
      parts,
      channelData: {
        twilioFrom: from,
        twilioTo: to,
        ...(p.MessagingServiceSid ? { messagingServiceSid: p.MessagingServiceSid } : {}),
        ...(p.FromCountry ? { fromCountry: p.FromCountry } : {}),
      },
    },
  };
}
