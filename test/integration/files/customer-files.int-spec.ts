import { randomInt } from 'crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { newId } from '@cs/contracts';
import { OBJECT_STORAGE } from '@cs/config';
import { AttachmentStore, type ObjectStorage } from '@cs/storage';
import { InboundPublisher } from '@cs/connectors';
import { startS3Server, waitFor } from '@cs/testing';
import { EmailInboundProcessor } from '../../../apps/connectors/src/channels/email/email.inbound';
import { emailSettingsSchema } from '../../../apps/connectors/src/channels/email/email.definition';
import { DeliveryRecorder } from '../../../apps/connectors/src/outbound/delivery-recorder.service';
import { createUser } from '../../../apps/gateway/src/admin/users/create-user';
import { SHOP_NUMBER, startTwilioStack, type TwilioTestStack } from '../twilio/twilio-test-app';

jest.setTimeout(180_000);
const ANSWER_MS = 60_000;
const PASSWORD = 'files-spec-password';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`a photo of a damaged parcel ${newId()}`)]);
const PDF = Buffer.from(`%PDF-1.4\n% invoice ${newId()}\n%%EOF\n`);

interface AttachmentView {
  id: string;
  name: string | null;
  mimeType: string;
  size: number;
  url: string;
  contentBase64?: string;
}

/**
 * A customer's file, from the channel to the staff and out again: an MMS picture (fake Twilio) and
 * an email PDF (the email connector's inbound path) are stored in a real S3-speaking server
 * (s3rver), tied to their message by the agent, acknowledged to the customer, shown to staff with a
 * signed link that downloads them, included in the contact's GDPR export and deleted from the
 * store by the erasure.
 */
describe('customer files on S3-compatible storage', () => {
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let stack: TwilioTestStack;
  let storage: ObjectStorage;
  let auth: { Authorization: string };

  beforeAll(async () => {
    s3 = await startS3Server();
    stack = await startTwilioStack('customerfiles', s3.env);
    storage = stack.app.get<ObjectStorage>(OBJECT_STORAGE);
    const email = `owner-${newId()}@shop.test`;
    await createUser(stack.dataSource.manager, { email, password: PASSWORD, role: 'owner', tenantId: stack.tenantId });
    const login = await api('POST', '/api/v1/auth/login', { email, password: PASSWORD });
    auth = { Authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}` };
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await s3?.close();
  });

  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${localUrl()}${path}`, {
      method,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  }
  function localUrl(): string {
    const address = stack.app.getHttpServer().address() as { port: number };
    return `http://127.0.0.1:${address.port}`;
  }

  /** The inbound message whose parts name a file, once the agent has tied the file to it. */
  async function linkedFile(attachmentId: string): Promise<{ message_id: string; conversation_id: string; contact_id: string; storage_key: string; content: Buffer | null }> {
    return waitFor(
      async () =>
        (
          await stack.dataSource.query(
            `SELECT a.message_id, m.conversation_id, c.contact_id, a.storage_key, a.content FROM attachments a
               JOIN messages m ON m.id = a.message_id JOIN conversations c ON c.id = m.conversation_id WHERE a.id = $1`,
            [attachmentId],
          )
        )[0],
      { what: 'the file tied to its message', timeoutMs: ANSWER_MS },
    );
  }

  async function staffSees(conversationId: string, bytes: Buffer, type: string): Promise<void> {
    const detail = await api('GET', `/api/v1/conversations/${conversationId}`, undefined, auth);
    expect(detail.status).toBe(200);
    const messages = (detail.body as { messages: { direction: string; attachments: AttachmentView[] }[] }).messages;
    const [file] = messages.find((m) => m.direction === 'in')!.attachments;
    expect(file).toMatchObject({ mimeType: type, size: bytes.length, url: expect.stringContaining(s3.endpoint) });
    const download = await fetch(file.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe(type);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
  }

  async function exportAndErase(contactId: string, storageKey: string, bytes: Buffer): Promise<void> {
    const exported = await api('GET', `/api/v1/contacts/${contactId}/export`, undefined, auth);
    expect(exported.status).toBe(200);
    const [file] = (exported.body as { attachments: AttachmentView[] }).attachments;
    expect(Buffer.from(file.contentBase64!, 'base64')).toEqual(bytes);

    expect(await storage.get(storageKey)).toEqual(bytes);
    expect((await api('DELETE', `/api/v1/contacts/${contactId}`, undefined, auth)).status).toBe(204);
    expect(await storage.get(storageKey)).toBeNull();
    expect(await s3.storage().get(storageKey)).toBeNull();
    expect(await stack.dataSource.query(`SELECT 1 FROM attachments WHERE storage_key = $1`, [storageKey])).toEqual([]);
  }

  it('an MMS picture: stored on S3, acknowledged, handed to a person, shown to staff, exported, and erased from the store', async () => {
    const phone = `+1415${randomInt(1_000_000, 9_999_999)}`;
    await stack.fake.receiveMms(stack.smsWebhookUrl, { from: phone, to: SHOP_NUMBER, body: 'My parcel arrived like this', media: [{ body: PNG, contentType: 'image/png' }] });

    const [reply] = await waitFor(() => stack.fake.messagesTo(phone).length > 0 && stack.fake.messagesTo(phone), { what: 'the answer', timeoutMs: ANSWER_MS });
    expect(reply.body).toMatch(/received your file .*look at it/i);
    const [{ id: attachmentId }] = await stack.dataSource.query(
      `SELECT a.id FROM attachments a JOIN messages m ON m.id = a.message_id JOIN conversations c ON c.id = m.conversation_id
         JOIN contact_identities ci ON ci.contact_id = c.contact_id WHERE ci.external_user_id = $1`,
      [phone],
    );
    const file = await linkedFile(attachmentId);
    expect(file.content).toBeNull();
    const [conversation] = await stack.dataSource.query(`SELECT status FROM conversations WHERE id = $1`, [file.conversation_id]);
    expect(conversation.status).toBe('waiting');

    await staffSees(file.conversation_id, PNG, 'image/png');
    await exportAndErase(file.contact_id, file.storage_key, PNG);
  });

  it('an email PDF: stored on S3 by the email connector, tied to the mail, shown to staff, exported, and erased from the store', async () => {
    const accountId = newId();
    const settings = emailSettingsSchema.parse({
      imapHost: 'imap.shop.test', imapUser: 'support', imapPassword: 'x', smtpHost: 'smtp.shop.test', supportAddress: 'support@shop.test',
    });
    await stack.dataSource.query(`INSERT INTO channel_accounts (id, tenant_id, connector_id, name, settings) VALUES ($1, $2, 'email', 'Mailbox', '{}')`, [accountId, stack.tenantId]);
    const publisher = stack.app.get(InboundPublisher);
    const processor = new EmailInboundProcessor(stack.dataSource, publisher, stack.app.get(DeliveryRecorder), stack.app.get(AttachmentStore));
    const sender = `grace-${newId()}@customer.example`;
    const raw = await new MailComposer({
      from: `Grace <${sender}>`,
      to: 'support@shop.test',
      subject: 'Invoice for my order',
      messageId: `<${newId()}@customer.example>`,
      text: 'Here is the invoice you asked for.',
      attachments: [{ filename: 'invoice 4711.pdf', content: PDF, contentType: 'application/pdf' }],
    })
      .compile()
      .build();

    const outcome = await processor.process({ id: accountId, tenantId: stack.tenantId, connectorId: 'email', settings }, settings, raw);

    expect(outcome.kind).toBe('published');
    const [{ id: attachmentId, name }] = await stack.dataSource.query(`SELECT id, name FROM attachments WHERE tenant_id = $1 AND name = 'invoice 4711.pdf' ORDER BY created_at DESC LIMIT 1`, [stack.tenantId]);
    expect(name).toBe('invoice 4711.pdf');
    const file = await linkedFile(attachmentId);
    await staffSees(file.conversation_id, PDF, 'application/pdf');
    await exportAndErase(file.contact_id, file.storage_key, PDF);
  });
});
