import { createHash } from 'crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { ConnectorError, type ChannelAccountRef, type OutboundMessage, type SendResult } from '@cs/contracts';
import { emailSettingsSchema, type EmailSettings } from './email.definition';
import { composeReply } from './email.compose';
import { emailWording } from './email.wording';
import { replySubject } from './email.threading';

interface ParentMail {
  externalMessageId: string | null;
  references: string[];
  subject: string | null;
  text: string;
  createdAt: Date | null;
  displayName: string | null;
}

/** How many ancestors a References header keeps (RFC 5322 allows trimming the middle; we keep the newest). */
const MAX_REFERENCES = 20;

/**
 * Sends replies over the account's SMTP server through one pooled transport per account. The
 * Message-ID derives from our message id, so a retried send carries the same id and the customer's
 * reply threads back to the stored message whichever attempt got through.
 */
export class EmailSender {
  private readonly transports = new Map<string, { fingerprint: string; transport: Transporter }>();

  constructor(private readonly dataSource: DataSource) {}

  async send(message: OutboundMessage, account: ChannelAccountRef): Promise<SendResult> {
    const parsed = emailSettingsSchema.safeParse(account.settings);
    if (!parsed.success) throw new ConnectorError('PERMANENT', `email account ${account.id} has invalid settings`);
    const settings = parsed.data;
    const to = message.target.address ?? message.target.externalUserId;
    if (!/^[^\s@<>]+@[^\s@<>]+$/.test(to)) throw new ConnectorError('INVALID_RECIPIENT', `not an email address: ${to}`);

    const parent = await this.parentMail(account.tenantId, message, to);
    const conversationSubject = await this.conversationSubject(account.tenantId, message.conversationId);
    const references = [...parent.references, parent.externalMessageId].filter(isRealMessageId).slice(-MAX_REFERENCES);
    const { text, html } = composeReply({
      parts: message.parts,
      recipientName: parent.displayName,
      authorName: message.authorKind === 'person' ? message.authorName : null,
      signature: settings.signature ?? settings.displayName,
      quoted: parent.text ? { text: parent.text, from: parent.displayName ?? to, date: parent.createdAt } : null,
      language: message.language,
    });
    const messageId = `${message.messageId}@${settings.supportAddress.split('@')[1]}`;
    try {
      await this.transport(account, settings).sendMail({
        from: { name: settings.displayName, address: settings.supportAddress },
        to,
        subject: replySubject(parent.subject ?? conversationSubject, message.conversationId, emailWording(message.language).untitledSubject),
        text,
        html,
        messageId: `<${messageId}>`,
        inReplyTo: isRealMessageId(parent.externalMessageId) ? `<${parent.externalMessageId}>` : undefined,
        references: references.map((id) => `<${id}>`),
        headers: {
          // RFC 3834: a person's answer is not automatic; ours is, so other robots must not answer it.
          'Auto-Submitted': message.authorKind === 'person' ? 'no' : 'auto-replied',
          'X-Auto-Response-Suppress': 'All',
        },
      });
    } catch (err) {
      throw toConnectorError(err);
    }
    return { externalMessageId: messageId };
  }

  async close(): Promise<void> {
    for (const { transport } of this.transports.values()) transport.close();
    this.transports.clear();
  }

  private transport(account: ChannelAccountRef, s: EmailSettings): Transporter {
    const options = {
      pool: true as const,
      maxConnections: 3,
      host: s.smtpHost,
      port: s.smtpPort,
      secure: s.smtpSecure,
      auth: s.smtpUser ? { user: s.smtpUser, pass: s.smtpPassword ?? '' } : undefined,
      tls: { rejectUnauthorized: s.tlsRejectUnauthorized },
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    };
    // Settings edited in the console take effect on the next send: the pool is keyed by their hash.
    const fingerprint = createHash('sha256').update(JSON.stringify(options)).digest('hex');
    const cached = this.transports.get(account.id);
    if (cached?.fingerprint === fingerprint) return cached.transport;
    cached?.transport.close();
    const transport = createTransport(options);
    this.transports.set(account.id, { fingerprint, transport });
    return transport;
  }

  /** The customer mail being answered: the one replied to, else the conversation's latest inbound mail. */
  private async parentMail(tenantId: string, message: OutboundMessage, address: string): Promise<ParentMail> {
    const rows: { external_message_id: string | null; channel_data: Record<string, unknown> | string | null; text: string; created_at: Date | string }[] =
      message.replyToMessageId
        ? await this.dataSource.query(
            `SELECT external_message_id, channel_data, text, created_at FROM messages WHERE tenant_id = $1 AND id = $2`,
            [tenantId, message.replyToMessageId],
          )
        : await this.dataSource.query(
            `SELECT external_message_id, channel_data, text, created_at FROM messages
              WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'in' ORDER BY id DESC LIMIT 1`,
            [tenantId, message.conversationId],
          );
    const names: { display_name: string | null }[] = await this.dataSource.query(
      `SELECT display_name FROM contact_identities WHERE tenant_id = $1 AND channel = 'email' AND lower(external_user_id) = $2 LIMIT 1`,
      [tenantId, address.toLowerCase()],
    );
    const row = rows[0];
    // The row is the truth; the outbound message carries the inbound's channel data as a fallback.
    const stored = (typeof row?.channel_data === 'string' ? JSON.parse(row.channel_data) : row?.channel_data ?? {}) as Record<string, unknown>;
    const hinted = message.channelData;
    const references = stored.references ?? hinted.references;
    const subject = stored.subject ?? hinted.subject;
    return {
      externalMessageId: row?.external_message_id ?? hinted.replyToExternalMessageId ?? null,
      references: Array.isArray(references) ? references.filter((r): r is string => typeof r === 'string') : [],
      subject: typeof subject === 'string' ? subject : null,
      text: row?.text ?? '',
      createdAt: row ? new Date(row.created_at) : null,
      displayName: names[0]?.display_name ?? null,
    };
  }

  private async conversationSubject(tenantId: string, conversationId: string): Promise<string | null> {
    const rows: { subject: string | null }[] = await this.dataSource.query(
      `SELECT subject FROM conversations WHERE tenant_id = $1 AND id = $2`,
      [tenantId, conversationId],
    );
    return rows[0]?.subject ?? null;
  }
}

/** Mail without a Message-ID is known by a hash of its bytes; that is no id to put in a header. */
function isRealMessageId(id: string | null | undefined): id is string {
  return typeof id === 'string' && id.includes('@') && !id.startsWith('sha256:');
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
  rejectedErrors?: SmtpFailure[];
}

const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPROTOCOL', 'ETLS']);

/** Vendor errors stop here (HOUSE-STYLE: translated at the driver edge); the dispatcher acts on the code. */
export function toConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const outer = (err ?? {}) as SmtpFailure;
  const e = outer.rejectedErrors?.[0] ?? outer;
  const reason = (e.response ?? e.message ?? outer.message ?? 'SMTP error').slice(0, 300);
  const status = e.response?.match(/\b([245])\.(\d{1,3})\.(\d{1,3})\b/);
  const code = e.responseCode ?? outer.responseCode;
  if (outer.code === 'EAUTH' || code === 535 || code === 534 || code === 530) return new ConnectorError('AUTH', `SMTP login refused: ${reason}`);
  if (code !== undefined && code >= 400 && code < 500) return new ConnectorError('TEMPORARY', `SMTP ${code}: ${reason}`);
  if (status?.[1] === '4') return new ConnectorError('TEMPORARY', reason);
  if (code !== undefined && code >= 500) {
    const badRecipient = status ? status[2] === '1' : /RCPT/i.test(e.command ?? '') && (code === 550 || code === 553);
    return new ConnectorError(badRecipient ? 'INVALID_RECIPIENT' : 'PERMANENT', `SMTP ${code}: ${reason}`);
  }
  if (TRANSIENT_CODES.has(outer.code ?? '')) return new ConnectorError('TEMPORARY', reason);
  if (outer.code === 'EENVELOPE' || outer.code === 'EMESSAGE') return new ConnectorError('PERMANENT', reason);
  // Unknown: retrying is the safer guess; the dispatcher gives up after its last attempt.
  return new ConnectorError('TEMPORARY', reason);
}
