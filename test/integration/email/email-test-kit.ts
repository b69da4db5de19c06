import { createHash } from 'crypto';
import { join } from 'path';
import type { DataSource } from 'typeorm';
import { BusSubjects, newId, type InboundMessage } from '@cs/contracts';
import { InProcessBus, type BusMessage } from '@cs/messaging';
import { SecretBox } from '@cs/config';
import type { AttachmentStore } from '@cs/storage';
import { testAttachmentStore } from '@cs/testing';
import { EmailConnector } from '../../../apps/connectors/src/channels/email/email.connector';
import { ChannelAccountService } from '../../../apps/connectors/src/registry/channel-account.service';
import { InboundPublisher } from '../../../apps/connectors/src/registry/inbound-publisher.service';
import { DeliveryRecorder } from '../../../apps/connectors/src/outbound/delivery-recorder.service';
import type { DovecotServer } from './dovecot.harness';
import type { SmtpSink } from './smtp-sink.harness';

export const FIXTURES = join(__dirname, '../../../apps/connectors/src/channels/email/__fixtures__');
export const SUPPORT = 'support@shop.test';
const SECRET = 'email-connector-int-spec-secret-key-0123456789';

/** A plain-text customer mail as an MTA would deliver it. */
export function mail(opts: { from: string; subject: string; body: string; id?: string; headers?: string[] }): string {
  return [
    `From: ${opts.from}`,
    `To: Demo Shop Support <${SUPPORT}>`,
    `Subject: ${opts.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${opts.id ?? `${newId()}@customer.example`}>`,
    ...(opts.headers ?? []),
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.body,
    '',
  ].join('\r\n');
}

export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const textOfInbound = (m: BusMessage<InboundMessage>) => m.envelope.data.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');

/** One running connector with its own in-process bus, as one embedded process would have. */
export interface RunningConnector {
  connector: EmailConnector;
  inbound: BusMessage<InboundMessage>[];
  statuses: BusMessage[];
  stop(): Promise<void>;
}

/**
 * A tenant with one email channel account pointing at the test's IMAP and SMTP servers (secrets
 * sealed as the console stores them), and what the agent would have stored for its conversations.
 */
export class EmailTestTenant {
  readonly accounts: ChannelAccountService;
  /** Where the connector stores attachments: a temp folder unless a spec gives its own store. */
  files: AttachmentStore;

  private constructor(
    readonly ds: DataSource,
    readonly tenantId: string,
    readonly accountId: string,
  ) {
    this.accounts = new ChannelAccountService(ds, createHash('sha256').update(SECRET).digest());
    this.files = testAttachmentStore(ds);
  }

  static async create(
    ds: DataSource,
    imap: DovecotServer,
    smtp: SmtpSink,
    overrides: { settings?: Record<string, unknown>; secrets?: Record<string, unknown> } = {},
  ): Promise<EmailTestTenant> {
    const tenantId = newId();
    const accountId = newId();
    await ds.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Email Shop', $2)`, [tenantId, `email-${tenantId}`]);
    await ds.query(
      `INSERT INTO channel_accounts (id, tenant_id, connector_id, name, settings, secrets_encrypted) VALUES ($1, $2, 'email', 'Support mailbox', $3, $4)`,
      [
        accountId,
        tenantId,
        JSON.stringify({
          imapHost: imap.host, imapPort: imap.port, imapTls: false, imapUser: imap.user,
          smtpHost: smtp.host, smtpPort: smtp.port, smtpSecure: false, smtpUser: smtp.user,
          supportAddress: SUPPORT, displayName: 'Demo Shop Support', pollIntervalSec: 5, perSenderHourlyCap: 3,
          ...overrides.settings,
        }),
        new SecretBox(SECRET).seal({ imapPassword: imap.password, smtpPassword: smtp.password, ...overrides.secrets }),
      ],
    );
    return new EmailTestTenant(ds, tenantId, accountId);
  }

  async startConnector(): Promise<RunningConnector> {
    const bus = new InProcessBus({ prefix: 'cs' });
    const inbound: BusMessage<InboundMessage>[] = [];
    const statuses: BusMessage[] = [];
    await bus.consume({ durable: 'spec-agent', filterSubjects: [BusSubjects.msgInChannel('email')] }, async (m) => void inbound.push(m));
    await bus.consume({ durable: 'spec-status', filterSubjects: [BusSubjects.msgStatusChannel('email')] }, async (m) => void statuses.push(m));
    const publisher = new InboundPublisher(bus);
    const connector = new EmailConnector(this.ds, this.accounts, publisher, new DeliveryRecorder(this.ds, publisher), this.files);
    await connector.start();
    return {
      connector,
      inbound,
      statuses,
      async stop() {
        await connector.stop();
        await bus.close();
      },
    };
  }

  async accountRef() {
    return this.accounts.toRef((await this.accounts.findById(this.accountId))!);
  }

  /** What the agent stores when it handles an email conversation: contact, identity, conversation. */
  async seedConversation(address: string, subject: string): Promise<{ contactId: string; conversationId: string }> {
    const contactId = newId();
    const conversationId = newId();
    await this.ds.query(`INSERT INTO contacts (id, tenant_id, email) VALUES ($1, $2, $3)`, [contactId, this.tenantId, address]);
    await this.ds.query(
      `INSERT INTO contact_identities (id, tenant_id, contact_id, channel, external_user_id, address, display_name) VALUES ($1, $2, $3, 'email', $4, $4, $5)`,
      [newId(), this.tenantId, contactId, address, 'Jane Doe'],
    );
    await this.ds.query(
      `INSERT INTO conversations (id, tenant_id, contact_id, channel, connector_id, channel_account_id, external_thread_id, subject)
       VALUES ($1, $2, $3, 'email', 'email', $4, $5, $6)`,
      [conversationId, this.tenantId, contactId, this.accountId, `${newId()}@customer.example`, subject],
    );
    return { contactId, conversationId };
  }

  async seedMessage(conversationId: string, direction: 'in' | 'out', externalMessageId: string, extra: { text?: string; channelData?: object } = {}): Promise<string> {
    const id = newId();
    await this.ds.query(
      `INSERT INTO messages (id, tenant_id, conversation_id, direction, author_kind, connector_id, text, external_message_id, delivery_state, channel_data)
       VALUES ($1, $2, $3, $4, $5, 'email', $6, $7, $8, $9)`,
      [id, this.tenantId, conversationId, direction, direction === 'in' ? 'contact' : 'bot', extra.text ?? '', externalMessageId, direction === 'in' ? 'received' : 'sent', JSON.stringify(extra.channelData ?? {})],
    );
    return id;
  }
}
