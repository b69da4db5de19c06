import { randomInt } from 'crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { newId } from '@cs/contracts';
import { OBJECT_STORAGE } from '@cs/config';
import { AttachmentStore, type ObjectStorage } from '@cs/storage';
import { InboundPublisher } from '@cs/connectors';
import { createTestDatabase, startS3Server, waitFor } from '@cs/testing';
import { EmailInboundProcessor } from '../../../apps/connectors/src/channels/email/email.inbound';
import { emailSettingsSchema } from '../../../apps/connectors/src/channels/email/email.definition';
import { DeliveryRecorder } from '../../../apps/connectors/src/outbound/delivery-recorder.service';
import { WebchatConnector } from '../../../apps/connectors/src/channels/webchat/webchat.connector';
import { attachmentIdFor } from '../../../apps/connectors/src/channels/twilio/twilio-media';
import { sid } from '../../fakes/twilio/fake-twilio';
import { SHOP_NUMBER, WHATSAPP_NUMBER, staffOf, startTwilioStack, type TwilioTestStack } from '../twilio/twilio-test-app';

jest.setTimeout(180_000);
const ANSWER_MS = 60_000;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`a photo of a damaged parcel ${newId()}`)]);
const PDF = Buffer.from(`%PDF-1.4\n% invoice ${newId()}\n%%EOF\n`);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`a WhatsApp photo of a broken lamp ${newId()}`)]);
const WIDGET_PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`a widget photo of a torn box ${newId()}`)]);

interface AttachmentView {
  id: string;
  name: string | null;
  mimeType: string;
  size: number;
  url: string;
  contentBase64?: string;
}

/**
 * A customer's file, from the channel to the staff and out again, on every channel a customer can
 * send one: an MMS picture and a WhatsApp photo (fake Twilio, media fetched with the account's
 * credentials), an email PDF (the email connector's inbound path) and a widget upload (the
 * gateway's upload route and the web chat connector) are stored in a real S3-speaking server
 * (s3rver, its links checked as S3 checks them), tied to their message by the agent, acknowledged
 * to the customer, shown to staff with a signed link that downloads them, included in the
 * contact's GDPR export (also kept in the store as a linked document) and deleted from the store,
 * export included, by the erasure.
 */
describe('customer files on S3-compatible storage', () => {
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let stack: TwilioTestStack;
  let storage: ObjectStorage;
  let api: Awaited<ReturnType<typeof staffOf>>;

  beforeAll(async () => {
    s3 = await startS3Server({ checkLinks: true });
    // A database of its own: the mailbox it adds to the demo tenant is not other Twilio stacks' business.
    stack = await startTwilioStack('customerfiles', { ...s3.env, DATABASE_URL: await createTestDatabase('customerfiles') }, { connectors: [WebchatConnector] });
    storage = stack.app.get<ObjectStorage>(OBJECT_STORAGE);
    api = await staffOf(stack);
  }, 180_000);

  afterAll(async () => {
    // Every link staff and exports got held as S3 checks them (SigV4, expiry): none was refused.
    expect(s3?.linkChecker?.refusals).toEqual([]);
    await stack?.close();
    await s3?.close();
  });

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
    const detail = await api('GET', `/api/v1/conversations/${conversationId}`);
    expect(detail.status).toBe(200);
    const messages = (detail.body as { messages: { direction: string; attachments: AttachmentView[] }[] }).messages;
    const [file] = messages.find((m) => m.direction === 'in')!.attachments;
    expect(file).toMatchObject({ mimeType: type, size: bytes.length, url: expect.stringContaining(s3.publicEndpoint) });
    const download = await fetch(file.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe(type);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
  }

  async function exportAndErase(contactId: string, storageKey: string, bytes: Buffer): Promise<void> {
    const exported = await api('GET', `/api/v1/contacts/${contactId}/export`);
    expect(exported.status).toBe(200);
    const [file] = (exported.body as { attachments: AttachmentView[] }).attachments;
    expect(Buffer.from(file.contentBase64!, 'base64')).toEqual(bytes);

    // The same export kept in the store, as a link to hand to the person.
    const stored = await api('POST', `/api/v1/contacts/${contactId}/export`);
    expect(stored.status).toBe(201);
    const link = stored.body as { url: string; size: number };
    expect(link.url).toContain(s3.publicEndpoint);
    const document = (await (await fetch(link.url)).json()) as { contact: { id: string }; attachments: AttachmentView[] };
    expect(document.contact.id).toBe(contactId);
    expect(Buffer.from(document.attachments[0].contentBase64!, 'base64')).toEqual(bytes);
    const exportKey = `tenants/${stack.tenantId}/exports/contacts/${contactId}.json`;
    expect((await s3.storage().get(exportKey))?.length).toBe(link.size);

    expect(await storage.get(storageKey)).toEqual(bytes);
    expect((await api('DELETE', `/api/v1/contacts/${contactId}`)).status).toBe(204);
    expect(await s3.storage().get(exportKey)).toBeNull();
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

  it('a WhatsApp photo: fetched from Twilio, stored on S3, acknowledged on WhatsApp, shown to staff, exported, and erased from the store', async () => {
    const phone = `+4477009${randomInt(10_000, 99_999)}`;
    const messageSid = sid('MM');
    await stack.fake.receiveWhatsApp(stack.whatsAppWebhookUrl, { from: phone, to: WHATSAPP_NUMBER, body: 'The lamp came broken', messageSid, media: [{ body: JPEG, contentType: 'image/jpeg' }] });

    const [reply] = await waitFor(() => stack.fake.messagesTo(`whatsapp:${phone}`).length > 0 && stack.fake.messagesTo(`whatsapp:${phone}`), { what: 'the WhatsApp answer', timeoutMs: ANSWER_MS });
    expect(reply.body).toMatch(/received your file .*look at it/i);
    const file = await linkedFile(attachmentIdFor(messageSid, 0));
    expect(file.content).toBeNull();
    await staffSees(file.conversation_id, JPEG, 'image/jpeg');
    await exportAndErase(file.contact_id, file.storage_key, JPEG);
  });

  it('a widget upload: stored on S3 by the gateway, tied to the chat message, shown to staff, exported, and erased from the store', async () => {
    const address = stack.app.getHttpServer().address() as { port: number };
    const body = new FormData();
    body.append('file', new Blob([WIDGET_PNG], { type: 'image/png' }), 'torn box.png');
    body.append('text', 'The box was torn open');
    const session = `session-${newId()}`;
    const uploaded = await fetch(`http://127.0.0.1:${address.port}/webchat/files?key=${stack.widgetKey}&session=${session}&clientId=c1`, { method: 'POST', body });
    expect(uploaded.status).toBe(201);
    const { attachment } = (await uploaded.json()) as { attachment: { id: string; size: number } };
    expect(attachment.size).toBe(WIDGET_PNG.length);

    const file = await linkedFile(attachment.id);
    expect(file.content).toBeNull();
    await staffSees(file.conversation_id, WIDGET_PNG, 'image/png');
    await exportAndErase(file.contact_id, file.storage_key, WIDGET_PNG);
  });
});
