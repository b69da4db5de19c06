import { z } from 'zod';
import { CHANNEL_PROFILES, type ConnectorDefinition } from '@cs/contracts';

const field = <T extends z.ZodTypeAny>(schema: T, title: string, description: string, secret = false): T =>
  schema.meta(secret ? { title, description, secret: true } : { title, description }) as T;

/** One tenant's mailbox: where mail is read (IMAP), where replies leave (SMTP), and how we sign them. */
export const emailSettingsSchema = z.object({
  imapHost: field(z.string().min(1), 'IMAP host', 'Server the support mailbox is read from, e.g. imap.example.com.'),
  imapPort: field(z.coerce.number().int().min(1).max(65535).default(993), 'IMAP port', '993 for IMAPS, 143 for plain/STARTTLS.'),
  imapTls: field(z.boolean().default(true), 'IMAP over TLS', 'Connect with implicit TLS (port 993). Off: plain, upgraded with STARTTLS when offered.'),
  imapUser: field(z.string().min(1), 'IMAP user', 'Login name of the support mailbox.'),
  imapPassword: field(z.string().min(1), 'IMAP password', 'Password or app password of the support mailbox.', true),
  imapMailbox: field(z.string().min(1).default('INBOX'), 'Folder to watch', 'Mailbox folder new customer mail arrives in.'),
  moveToFolder: field(z.string().min(1).optional(), 'Move handled mail to', 'Optional folder processed mail is moved to; left in place (flagged as seen) when empty.'),
  smtpHost: field(z.string().min(1), 'SMTP host', 'Server replies are sent through, e.g. smtp.example.com.'),
  smtpPort: field(z.coerce.number().int().min(1).max(65535).default(587), 'SMTP port', '465 for SMTPS, 587 for submission with STARTTLS, 25 for relays.'),
  smtpSecure: field(z.boolean().default(false), 'SMTP over TLS', 'Implicit TLS (port 465). Off: STARTTLS is used when the server offers it.'),
  smtpUser: field(z.string().min(1).optional(), 'SMTP user', 'Login for sending; empty for an unauthenticated relay.'),
  smtpPassword: field(z.string().min(1).optional(), 'SMTP password', 'Password for sending.', true),
  supportAddress: field(z.string().email(), 'Support address', 'The address customers write to; replies come from it and mail from it is never answered.'),
  displayName: field(z.string().min(1).default('Support'), 'Display name', 'Sender name shown to customers, e.g. "Demo Shop Support".'),
  signature: field(z.string().optional(), 'Signature', 'Closing lines under every reply; defaults to the display name.'),
  pollIntervalSec: field(z.coerce.number().int().min(5).max(3600).default(60), 'Poll interval (s)', 'How often the mailbox is checked when the server cannot push (IDLE) or the push is missed.'),
  perSenderHourlyCap: field(z.coerce.number().int().min(1).max(1000).default(10), 'Mails per sender per hour', 'More mail than this from one address in an hour is not answered (stops mail loops and floods).'),
  maxAttachmentBytes: field(z.coerce.number().int().min(0).default(10 * 1024 * 1024), 'Largest stored attachment (bytes)', 'Bigger attachments are listed by name but not stored.'),
  tlsRejectUnauthorized: field(z.boolean().default(true), 'Verify TLS certificates', 'Turn off only for a self-signed test server.'),
});
export type EmailSettings = z.infer<typeof emailSettingsSchema>;

export const EMAIL_CONNECTOR_ID = 'email';

export const emailDefinition: ConnectorDefinition<typeof emailSettingsSchema> = {
  id: EMAIL_CONNECTOR_ID,
  channel: 'email',
  displayName: 'Email (IMAP/SMTP)',
  settings: emailSettingsSchema,
  capabilities: { threads: true, attachments: true, maxTextLength: CHANNEL_PROFILES.email.maxTextLength, typing: false, richText: true },
};
