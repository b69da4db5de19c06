import type { DeliveryStatus, InboundMessage, MessagePart, WebhookRequest } from '@cs/contracts';
import { formParams } from '../twilio/twilio-signature';
import { keywordOf, parseTwilioStatus } from '../twilio/twilio-messaging';
import { TWILIO_WHATSAPP_CONNECTOR_ID } from './twilio-whatsapp.definition';

export const WHATSAPP_PREFIX = 'whatsapp:';

export type TwilioWhatsAppEvent =
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'opt-out' | 'opt-in'; from: string; to: string; messageSid: string }
  | { kind: 'status'; status: DeliveryStatus }
  | { kind: 'ignored'; reason: string };

/** `whatsapp:+14155550100` → `+14155550100`; null for an address that is not a WhatsApp one. */
export function phoneOf(address: string | undefined): string | null {
  return address?.startsWith(WHATSAPP_PREFIX) ? address.slice(WHATSAPP_PREFIX.length) : null;
}

/**
 * One Twilio webhook of a WhatsApp sender, classified: a customer's message (text, media, a
 * location, a quick-reply button), STOP / START, or a status callback of a message we sent. Media
 * stay links to Twilio with their type (`url`, `mimeType`): fetching them needs the account's
 * credentials. Pure: no I/O.
 */
export function parseTwilioWhatsApp(req: WebhookRequest, channelAccountId: string): TwilioWhatsAppEvent {
  const p = formParams(req);
  const messageSid = p.MessageSid ?? p.SmsSid;
  if (!messageSid) return { kind: 'ignored', reason: 'no MessageSid' };
  const status = parseTwilioStatus(p, req, TWILIO_WHATSAPP_CONNECTOR_ID);
  if (status) return status;

  const from = phoneOf(p.From);
  const to = phoneOf(p.To);
  if (!from || !to) return { kind: 'ignored', reason: `not a WhatsApp message (From ${p.From ?? 'missing'})` };
  const body = p.Body ?? '';
  const keyword = keywordOf(body);
  // HELP is a carrier rule of SMS; on WhatsApp it is a question like any other.
  if (keyword === 'opt-out' || keyword === 'opt-in') return { kind: keyword, from, to, messageSid };

  const parts: MessagePart[] = body.trim() ? [{ type: 'text', text: body }] : [];
  const media = Number(p.NumMedia ?? '0');
  for (let i = 0; i < media; i++) {
    const url = p[`MediaUrl${i}`];
    const mimeType = p[`MediaContentType${i}`] || undefined;
    if (!url) continue;
    if (mimeType?.startsWith('image/')) parts.push({ type: 'image', url, mimeType });
    else if (mimeType?.startsWith('audio/')) parts.push({ type: 'audio', url, mimeType });
    else parts.push({ type: 'file', url, ...(mimeType ? { mimeType } : {}) });
  }
  if (p.Latitude && p.Longitude) {
    const label = p.Label || p.Address || undefined;
    parts.push({ type: 'location', lat: Number(p.Latitude), lng: Number(p.Longitude), ...(label ? { label } : {}) });
  }
  if (parts.length === 0) return { kind: 'ignored', reason: 'empty message' };

  return {
    kind: 'message',
    message: {
      connectorId: TWILIO_WHATSAPP_CONNECTOR_ID,
      channel: 'whatsapp',
      channelAccountId,
      externalMessageId: messageSid,
      sender: { externalUserId: from, address: from, ...(p.ProfileName ? { displayName: p.ProfileName } : {}) },
      recipient: to,
      receivedAt: req.receivedAt,
      parts,
      channelData: {
        twilioTo: to,
        ...(p.ProfileName ? { profileName: p.ProfileName } : {}),
        ...(p.WaId ? { waId: p.WaId } : {}),
        // A tap on a quick-reply button of ours: its payload says which one.
        ...(p.ButtonPayload ? { buttonPayload: p.ButtonPayload } : {}),
        ...(p.OriginalRepliedMessageSid ? { repliedToExternalMessageId: p.OriginalRepliedMessageSid } : {}),
        ...(media > 0 ? { media: media } : {}),
      },
    },
  };
}
