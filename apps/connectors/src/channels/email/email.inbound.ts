import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ChannelAccountRef, InboundMessage, MessagePart } from '@cs/contracts';
import { derivedAttachmentId, type AttachmentStore, type StoredAttachment } from '@cs/storage';
import type { DeliveryRecorder } from '../../outbound/delivery-recorder.service';
import type { InboundPublisher } from '../../registry/inbound-publisher.service';
import { EMAIL_CONNECTOR_ID, emailDefinition, type EmailSettings } from './email.definition';
import { screenInbound, type RejectReason } from './email.guards';
import { parseEmail, type ParsedEmail } from './email.parse';
import { SenderHourlyCap } from './email.sender-cap';
import { EmailThreadResolver } from './email.threading';

export type InboundOutcome =
  | { kind: 'published'; externalMessageId: string; conversationId?: string; threadedBy: string }
  | { kind: 'rejected'; externalMessageId: string | null; reason: RejectReason | 'unparseable'; detail: string };

/**
 * One raw mail → guards → threading → attachments stored → `msg.in.email.<tenant>`; a bounce is
 * handed to DeliveryRecorder, the one writer of delivery state. Throws only for infrastructure
 * failures (database, bus), so the mailbox retries the mail instead of losing it.
 */
export class EmailInboundProcessor {
  private readonly logger = new Logger('EmailInbound');
  private readonly threads: EmailThreadResolver;
  private readonly senderCap: SenderHourlyCap;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: InboundPublisher,
    private readonly recorder: DeliveryRecorder,
    private readonly files: AttachmentStore,
  ) {
    this.threads = new EmailThreadResolver(dataSource);
    this.senderCap = new SenderHourlyCap(dataSource);
  }

  /** `receivedAt`: when our server got it (IMAP INTERNALDATE); the Date header is the sender's claim. */
  async process(account: ChannelAccountRef, settings: EmailSettings, raw: Buffer, receivedAt?: Date): Promise<InboundOutcome> {
    let mail: ParsedEmail;
    try {
      mail = await parseEmail(raw);
    } catch (err) {
      return this.rejected(account, null, 'unparseable', (err as Error).message);
    }
    const verdict = screenInbound(mail, settings.supportAddress);
    if (!verdict.ok) {
      if (verdict.reason === 'bounce') await this.recordBounce(account, mail);
      return this.rejected(account, mail.externalMessageId, verdict.reason, verdict.detail);
    }
    const sender = mail.from!;
    // Counted last, so junk does not use up a sender's quota, and before the publish, so two
    // processes cannot both hand on the mail that fills the last slot.
    if (!(await this.senderCap.take(account.id, sender.address, settings.perSenderHourlyCap))) {
      return this.rejected(account, mail.externalMessageId, 'rate-limited', `${sender.address} over ${settings.perSenderHourlyCap}/h`);
    }
    try {
      return await this.handOn(account, settings, mail, receivedAt);
    } catch (err) {
      // The mailbox retries the mail: count it then, not now. If the database is what failed,
      // the slot stays taken, which errs on answering this sender once less this hour.
      await this.senderCap.giveBack(account.id, sender.address).catch(() => undefined);
      throw err;
    }
  }

  private async handOn(account: ChannelAccountRef, settings: EmailSettings, mail: ParsedEmail, receivedAt?: Date): Promise<InboundOutcome> {
    const sender = mail.from!;

    const thread = await this.threads.resolve(account.tenantId, sender.address, mail);
    const parts: MessagePart[] = [];
    const text = (mail.newText || mail.subject || '(empty message)').slice(0, emailDefinition.capabilities.maxTextLength);
    parts.push({ type: 'text', text });
    parts.push(...(await this.storeAttachments(account, mail, settings.maxAttachmentBytes)));

    const message: InboundMessage = {
      connectorId: EMAIL_CONNECTOR_ID,
      channel: 'email',
      channelAccountId: account.id,
      externalMessageId: mail.externalMessageId,
      externalThreadId: thread.externalThreadId,
      sender: { externalUserId: sender.address, address: sender.address, displayName: sender.name ?? undefined },
      recipient: settings.supportAddress,
      receivedAt: (receivedAt ?? mail.date ?? new Date()).toISOString(),
      parts,
      channelData: {
        subject: mail.subject.slice(0, 998),
        messageId: mail.messageId,
        inReplyTo: mail.inReplyTo,
        references: mail.references.slice(-30),
        threadedBy: thread.threadedBy,
        quoteStripped: mail.newText.length < mail.text.length,
      },
    };
    await this.publisher.publishInbound(account.tenantId, message, { conversationId: thread.conversationId });
    this.logger.log(`published ${mail.externalMessageId} from ${sender.address} (${thread.threadedBy})`);
    return { kind: 'published', externalMessageId: mail.externalMessageId, conversationId: thread.conversationId, threadedBy: thread.threadedBy };
  }

  private rejected(account: ChannelAccountRef, id: string | null, reason: RejectReason | 'unparseable', detail: string): InboundOutcome {
    this.logger.log(`not answered: ${id ?? '(no id)'} on account ${account.id}: ${reason} (${detail})`);
    return { kind: 'rejected', externalMessageId: id, reason, detail };
  }

  /**
   * Stored (object storage, AttachmentStore) under ids derived from the mail, so processing the
   * same mail twice (a crash before the mailbox flag was set) writes the same rows instead of
   * duplicates. The agent ties them to the message when it stores it; the bus only carries the
   * reference.
   */
  private async storeAttachments(account: ChannelAccountRef, mail: ParsedEmail, maxBytes: number): Promise<MessagePart[]> {
    const parts: MessagePart[] = [];
    for (const [index, att] of mail.attachments.entries()) {
      const name = att.filename ?? undefined;
      if (att.size > maxBytes) {
        parts.push({ type: 'file', name, mimeType: att.contentType, size: att.size });
        continue;
      }
      const id = attachmentId(account.tenantId, mail.externalMessageId, index);
      const stored = await this.files.save({ id, tenantId: account.tenantId, name: att.filename, mimeType: att.contentType, content: att.content });
      parts.push(attachmentPart(stored, att.inline));
    }
    return parts;
  }

  /** A bounce fails the outbound mail it reports on, so the console shows why it never arrived. */
  private async recordBounce(account: ChannelAccountRef, mail: ParsedEmail): Promise<void> {
    const report = mail.report!;
    if (report.action !== 'failed' || !report.originalMessageIds.length) return;
    const ids = report.originalMessageIds.slice(0, 20);
    const rows: { id: string; conversation_id: string; external_message_id: string }[] = await this.dataSource.query(
      `SELECT id, conversation_id, external_message_id FROM messages
        WHERE tenant_id = $1 AND direction = 'out' AND external_message_id IN (${ids.map((_, i) => `$${i + 2}`).join(', ')})`,
      [account.tenantId, ...ids],
    );
    const reason = (report.diagnostic ?? `bounced${report.recipient ? ` by ${report.recipient}` : ''}`).slice(0, 500);
    for (const row of rows) {
      await this.recorder.apply(
        account.tenantId,
        'email',
        {
          messageId: row.id,
          externalMessageId: row.external_message_id,
          connectorId: EMAIL_CONNECTOR_ID,
          state: 'failed',
          reason: 'bounced',
          errorCode: 'BOUNCED',
          ...(report.status ? { vendorCode: report.status } : {}),
          errorMessage: reason,
        },
        { conversationId: row.conversation_id },
      );
      this.logger.warn(`outbound ${row.id} bounced: ${reason}`);
    }
  }
}

function attachmentPart(stored: StoredAttachment, inline: boolean): MessagePart {
  if (inline || stored.mimeType.startsWith('image/')) {
    return { type: 'image', attachmentId: stored.id, name: stored.name ?? undefined, mimeType: stored.mimeType, size: stored.size, ...(inline ? { inline } : {}) };
  }
  return { type: 'file', attachmentId: stored.id, name: stored.name ?? undefined, mimeType: stored.mimeType, size: stored.size };
}

/** A UUID-shaped id derived from the mail and the attachment's position. */
export function attachmentId(tenantId: string, externalMessageId: string, index: number): string {
  return derivedAttachmentId(tenantId, externalMessageId, String(index));
}
