import { Logger } from '@nestjs/common';
import { InboundMessage, MessagePart } from '@cs/contracts';
import { derivedAttachmentId, type AttachmentStore } from '@cs/storage';
import { rebase } from '../twilio/twilio-rest';

/** Larger media stay a link: the bus carries references, and a text's picture rarely needs more. */
const MAX_MEDIA_BYTES = 5 * 1024 * 1024;

/** A UUID derived from the MessageSid and the media index, so Twilio's retries store each file once. */
export function attachmentIdFor(messageSid: string, index: number): string {
  return derivedAttachmentId('twilio-media', messageSid, String(index));
}

/**
 * MMS pictures and files: fetched from Twilio with the account's credentials (media URLs need
 * them when "HTTP Basic auth for media" is on) and stored as attachments in object storage, so the
 * message refers to our copy rather than to a URL the agent and the console could not open.
 */
export class SmsMediaStore {
  private readonly logger = new Logger('TwilioSmsMedia');

  constructor(
    private readonly files: AttachmentStore,
    private readonly apiBaseUrl: string | undefined,
  ) {}

  async store(tenantId: string, creds: { accountSid: string; authToken: string }, message: InboundMessage): Promise<InboundMessage> {
    const parts: MessagePart[] = [];
    let index = 0;
    for (const part of message.parts) {
      if ((part.type !== 'image' && part.type !== 'file') || !part.url) {
        parts.push(part);
        continue;
      }
      const id = attachmentIdFor(message.externalMessageId, index++);
      const stored = await this.fetchAndStore(tenantId, creds, id, part.url, part.mimeType);
      parts.push(stored ? { type: stored.mimeType.startsWith('image/') ? 'image' : 'file', attachmentId: id, mimeType: stored.mimeType } : part);
    }
    return { ...message, parts };
  }

  private async fetchAndStore(
    tenantId: string,
    creds: { accountSid: string; authToken: string },
    id: string,
    url: string,
    mimeType: string | undefined,
  ): Promise<{ mimeType: string } | null> {
    const target = this.apiBaseUrl ? rebase(url, this.apiBaseUrl) : url;
    const auth = Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString('base64');
    const res = await fetch(target, { headers: { authorization: `Basic ${auth}` }, redirect: 'follow', signal: AbortSignal.timeout(10_000) });
    if (!res.ok) {
      // A 5xx makes Twilio retry the webhook; a 4xx will not get better, so the link is kept.
      if (res.status >= 500) throw new Error(`fetching MMS media answered ${res.status}`);
      this.logger.warn(`MMS media ${url} answered ${res.status}; keeping the link`);
      return null;
    }
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > MAX_MEDIA_BYTES) return null;
    const type = mimeType ?? res.headers.get('content-type') ?? 'application/octet-stream';
    const stored = await this.files.save({ id, tenantId, name: url.split('/').pop() ?? null, mimeType: type, content: body });
    return { mimeType: stored.mimeType };
  }
}
