import { Logger } from '@nestjs/common';
import { InboundMessage, MessagePart } from '@cs/contracts';
import { derivedAttachmentId, type AttachmentStore } from '@cs/storage';
import { rebase, type TwilioCredentials } from './twilio-rest';

/** Larger media stay a link: the bus carries references, and a text's picture rarely needs more. */
export const MAX_MEDIA_BYTES = 5 * 1024 * 1024;

type MediaPart = Extract<MessagePart, { type: 'image' | 'file' | 'audio' }>;

/** A UUID derived from the MessageSid and the media index, so Twilio's retries store each file once. */
export function attachmentIdFor(messageSid: string, index: number): string {
  return derivedAttachmentId('twilio-media', messageSid, String(index));
}

/** True when the message names media by a Twilio link (MediaUrl0...) not yet in our storage. */
export function hasTwilioMedia(message: InboundMessage): boolean {
  return message.parts.some((p) => isLinkedMedia(p));
}

function isLinkedMedia(part: MessagePart): part is MediaPart & { url: string } {
  return (part.type === 'image' || part.type === 'file' || part.type === 'audio') && !!part.url && !part.attachmentId;
}

/**
 * Media of an inbound MMS or WhatsApp message: fetched from Twilio with the account's credentials
 * (media URLs need them when "HTTP Basic auth for media" is on), checked for size, typed from their
 * bytes and stored as attachments in object storage, so the message refers to our copy rather than
 * to a URL the agent and the console could not open. The agent ties them to the message it stores.
 */
export class TwilioMediaStore {
  private readonly logger = new Logger('TwilioMedia');

  constructor(
    private readonly files: AttachmentStore,
    private readonly apiBaseUrl: string | undefined,
    private readonly maxBytes = MAX_MEDIA_BYTES,
  ) {}

  async store(tenantId: string, creds: TwilioCredentials, message: InboundMessage): Promise<InboundMessage> {
    const parts: MessagePart[] = [];
    let index = 0;
    for (const part of message.parts) {
      if (!isLinkedMedia(part)) {
        parts.push(part);
        continue;
      }
      const id = attachmentIdFor(message.externalMessageId, index++);
      const stored = await this.fetchAndStore(tenantId, creds, id, part.url, part.mimeType);
      parts.push(stored ? storedPart(part, id, stored) : part);
    }
    return { ...message, parts };
  }

  private async fetchAndStore(tenantId: string, creds: TwilioCredentials, id: string, url: string, mimeType: string | undefined): Promise<{ mimeType: string; size: number } | null> {
    const target = this.apiBaseUrl ? rebase(url, this.apiBaseUrl) : url;
    const auth = Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString('base64');
    const res = await fetch(target, { headers: { authorization: `Basic ${auth}` }, redirect: 'follow', signal: AbortSignal.timeout(10_000) });
    if (!res.ok) {
      // A 5xx makes Twilio retry the webhook; a 4xx will not get better, so the link is kept.
      if (res.status >= 500) throw new Error(`fetching Twilio media answered ${res.status}`);
      this.logger.warn(`Twilio media ${url} answered ${res.status}; keeping the link`);
      return null;
    }
    if (Number(res.headers.get('content-length') ?? 0) > this.maxBytes) {
      await res.body?.cancel();
      return null;
    }
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > this.maxBytes) return null;
    const type = mimeType ?? res.headers.get('content-type') ?? 'application/octet-stream';
    const stored = await this.files.save({ id, tenantId, name: url.split('/').pop() ?? null, mimeType: type, content: body });
    return { mimeType: stored.mimeType, size: stored.size };
  }
}

/** The part naming our copy: a voice note stays audio; otherwise what the bytes are decides image or file. */
function storedPart(part: MediaPart, attachmentId: string, stored: { mimeType: string; size: number }): MessagePart {
  if (part.type === 'audio') return { type: 'audio', attachmentId, mimeType: stored.mimeType };
  if (stored.mimeType.startsWith('image/')) return { type: 'image', attachmentId, mimeType: stored.mimeType, size: stored.size };
  return { type: 'file', attachmentId, mimeType: stored.mimeType, size: stored.size };
}
