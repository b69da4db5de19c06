import { Inject, Injectable, Logger } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { DataSource } from 'typeorm';
import type { ChannelAccountRef, ChannelConnector, OutboundMessage, SendResult } from '@cs/contracts';
import { describeZodError } from '@cs/contracts';
import { AttachmentStore } from '@cs/storage';
import { ChannelAccountService } from '../../registry/channel-account.service';
import { DeliveryRecorder } from '../../outbound/delivery-recorder.service';
import { InboundPublisher } from '../../registry/inbound-publisher.service';
import { emailDefinition, emailSettingsSchema } from './email.definition';
import { EmailInboundProcessor } from './email.inbound';
import { MailboxLeases } from './email.lease';
import { EmailMailbox } from './email.mailbox';
import { EmailSender, toConnectorError } from './email.send';

/** New or edited mailboxes in the console are picked up within this time. */
const ACCOUNT_REFRESH_MS = 60_000;

/**
 * The support mailbox: IMAP in (one watcher per active account), SMTP out. Inbound mail becomes
 * `msg.in.email.<tenant>`; replies arrive through the outbound dispatcher's `send()`.
 */
@Injectable()
export class EmailConnector implements ChannelConnector {
  readonly definition = emailDefinition;
  private readonly logger = new Logger(EmailConnector.name);
  private readonly mailboxes = new Map<string, { fingerprint: string; mailbox: EmailMailbox }>();
  private readonly inbound: EmailInboundProcessor;
  private readonly sender: EmailSender;
  private readonly leases: MailboxLeases;
  private refreshTimer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly accounts: ChannelAccountService,
    publisher: InboundPublisher,
    recorder: DeliveryRecorder,
    @Inject(AttachmentStore) files: AttachmentStore,
  ) {
    this.inbound = new EmailInboundProcessor(dataSource, publisher, recorder, files);
    this.sender = new EmailSender(dataSource);
    this.leases = new MailboxLeases(dataSource);
  }

  async start(): Promise<void> {
    if (this.refreshTimer) return;
    // A refresh that fails (the database is down) is logged and tried again on the next tick; unhandled, it would end the process.
    this.refreshTimer = setInterval(
      () => void this.refresh().catch((err: Error) => this.logger.warn(`refreshing email accounts failed, retried in ${ACCOUNT_REFRESH_MS / 1000} s: ${err.message}`)),
      ACCOUNT_REFRESH_MS,
    );
    this.refreshTimer.unref();
    await this.refresh();
  }

  async stop(): Promise<void> {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
    await this.refreshing?.catch(() => undefined);
    await Promise.all([...this.mailboxes.values()].map(({ mailbox }) => mailbox.stop()));
    this.mailboxes.clear();
    await this.leases.close();
    await this.sender.close();
  }

  send(message: OutboundMessage, account: ChannelAccountRef): Promise<SendResult> {
    return this.sender.send(message, account);
  }

  /** Logs in to both servers without reading or sending anything (the console's "test" button). */
  async testConnection(account: ChannelAccountRef): Promise<{ ok: boolean; detail?: string }> {
    const parsed = emailSettingsSchema.safeParse(account.settings);
    if (!parsed.success) return { ok: false, detail: describeZodError(parsed.error) };
    const s = parsed.data;
    const imap = new ImapFlow({
      host: s.imapHost, port: s.imapPort, secure: s.imapTls, auth: { user: s.imapUser, pass: s.imapPassword },
      tls: { rejectUnauthorized: s.tlsRejectUnauthorized }, logger: false, verifyOnly: true,
    });
    imap.on('error', () => undefined);
    try {
      await imap.connect();
    } catch (err) {
      // imapflow says only "Command failed" for a refused login: name what the admin must fix.
      const e = err as { authenticationFailed?: boolean; code?: string };
      if (e.authenticationFailed) return { ok: false, detail: `IMAP: login refused for ${s.imapUser}; check the user name and password` };
      return { ok: false, detail: `IMAP: cannot connect to ${s.imapHost}:${s.imapPort}${e.code ? ` (${e.code})` : ''}` };
    }
    const smtp = createTransport({
      host: s.smtpHost, port: s.smtpPort, secure: s.smtpSecure, tls: { rejectUnauthorized: s.tlsRejectUnauthorized },
      auth: s.smtpUser ? { user: s.smtpUser, pass: s.smtpPassword ?? '' } : undefined,
    });
    try {
      await smtp.verify();
      return { ok: true };
    } catch (err) {
      return { ok: false, detail: `SMTP: ${toConnectorError(err).message.replace(/^SMTP /, '')}` };
    } finally {
      smtp.close();
    }
  }

  /** Starts watchers for new accounts, restarts edited ones, stops removed or failed ones. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const wanted = new Map<string, { ref: ChannelAccountRef; fingerprint: string }>();
    for (const account of await this.accounts.listActive(this.definition.id)) {
      try {
        const ref = this.accounts.toRef(account);
        const parsed = emailSettingsSchema.safeParse(ref.settings);
        if (!parsed.success) {
          await this.accounts.markFailed(account.id, `invalid email settings: ${describeZodError(parsed.error)}`);
          continue;
        }
        wanted.set(account.id, { ref: { ...ref, settings: parsed.data }, fingerprint: JSON.stringify(parsed.data) });
      } catch (err) {
        this.logger.error(`email account ${account.id} cannot be opened: ${(err as Error).message}`);
      }
    }
    for (const [id, current] of this.mailboxes) {
      if (wanted.get(id)?.fingerprint === current.fingerprint) continue;
      await current.mailbox.stop();
      this.mailboxes.delete(id);
    }
    for (const [id, { ref, fingerprint }] of wanted) {
      if (this.mailboxes.has(id)) continue;
      const mailbox = new EmailMailbox(ref, emailSettingsSchema.parse(ref.settings), this.dataSource, this.inbound, {
        onAuthFailure: (account, reason) => this.accounts.markFailed(account.id, reason),
        acquire: (account) => this.leases.acquire(account.id),
        release: (account) => this.leases.release(account.id),
      });
      this.mailboxes.set(id, { fingerprint, mailbox });
      mailbox.start();
    }
  }

  /** Test and console hook: run one sync pass on every watched mailbox now. */
  async syncAll(): Promise<void> {
    await Promise.all([...this.mailboxes.values()].map(({ mailbox }) => mailbox.sync()));
  }
}
