import type { DeliveryStatus, InboundMessage, MessagePart, WebhookRequest } from '@cs/contracts';
import { formParams } from '../twilio/twilio-signature';
import { keywordOf, parseTwilioStatus, type MessagingKeyword } from '../twilio/twilio-messaging';
import { TWILIO_SMS_CONNECTOR_ID } from './twilio-sms.definition';

export { keywordOf } from '../twilio/twilio-messaging';
export type SmsKeyword = MessagingKeyword;

export type TwilioSmsEvent =
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'keyword'; keyword: SmsKeyword; from: string; to: string; messageSid: string }
  | { kind: 'status'; status: DeliveryStatus }
  | { kind: 'ignored'; reason: string };

/**
 * One Twilio messaging webhook, classified: an inbound text (or MMS), a carrier keyword that the
 * connector answers itself, or a status callback of a message we sent. Pure: no I/O.
 */
export function parseTwilioSms(req: WebhookRequest, channelAccountId: string): TwilioSmsEvent {
  const p = formParams(req);
  const messageSid = p.MessageSid ?? p.SmsSid;
  if (!messageSid) return { kind: 'ignored', reason: 'no MessageSid' };

  const status = parseTwilioStatus(p, req, TWILIO_SMS_CONNECTOR_ID);
  if (status) return status;

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
