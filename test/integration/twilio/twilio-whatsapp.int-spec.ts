import { randomInt } from 'crypto';
import { newId } from '@cs/contracts';
import { OBJECT_STORAGE } from '@cs/config';
import type { ObjectStorage } from '@cs/storage';
import { waitFor } from '@cs/testing';
import { ConversationActionsService } from '../../../apps/gateway/src/admin/conversations/conversation-actions.service';
import { sid } from '../../fakes/twilio/fake-twilio';
import { PUBLIC_URL, WHATSAPP_NUMBER, TwilioTestStack, startTwilioStack } from './twilio-test-app';

const QUESTION = 'How long does delivery take?';
/** Generous: two cores are shared with other suites. */
const ANSWER_MS = 40_000;
jest.setTimeout(120_000);
const settle = (ms = 1500) => new Promise((r) => setTimeout(r, ms));
const customer = () => `+4477009${randomInt(10_000, 99_999)}`;

describe('writing to the shop on WhatsApp through Twilio', () => {
  let stack: TwilioTestStack;

  beforeAll(async () => {
    stack = await startTwilioStack('twiliowa');
    const warmUp = customer();
    await stack.fake.receiveWhatsApp(stack.whatsAppWebhookUrl, { from: warmUp, to: WHATSAPP_NUMBER, body: QUESTION });
    await waitFor(() => stack.fake.messagesTo(`whatsapp:${warmUp}`).length > 0, { what: 'the warm-up answer', timeoutMs: 90_000 });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  const write = (from: string, body: string, extra: { media?: { body: Buffer; contentType: string }[] } = {}) =>
    stack.fake.receiveWhatsApp(stack.whatsAppWebhookUrl, { from, to: WHATSAPP_NUMBER, body, profileName: 'Grace', ...extra });
  const repliesTo = (phone: string) => stack.fake.messagesTo(`whatsapp:${phone}`);

  async function stored(phone: string): Promise<{ id: string; conversation_id: string; direction: string; text: string; parts: Record<string, unknown>[]; delivery_state: string; error_code: string | null; error_message: string | null }[]> {
    return stack.dataSource.query(
      `SELECT m.id, m.conversation_id, m.direction, m.text, m.parts, m.delivery_state, m.error_code, m.error_message FROM messages m
         JOIN conversations c ON c.id = m.conversation_id
         JOIN contact_identities ci ON ci.contact_id = c.contact_id AND ci.channel = 'whatsapp'
        WHERE ci.tenant_id = $1 AND ci.external_user_id = $2 AND c.channel = 'whatsapp' ORDER BY m.id`,
      [stack.tenantId, phone],
    );
  }

  it('answers a signed message at once with empty TwiML, then on WhatsApp from the number the customer wrote to', async () => {
    const phone = customer();

    const response = await write(phone, QUESTION);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<Response/>');
    const [reply] = await waitFor(() => repliesTo(phone).length > 0 && repliesTo(phone), { what: 'the WhatsApp answer', timeoutMs: ANSWER_MS });
    expect(reply.from).toBe(`whatsapp:${WHATSAPP_NUMBER}`);
    expect(reply.contentSid).toBeUndefined();
    expect(reply.body).toMatch(/working days/i);
    expect(reply.body).toContain(`${PUBLIC_URL}/kb/`);
    expect(reply.statusCallback).toMatch(new RegExp(`^${PUBLIC_URL}/hooks/twilio-whatsapp/${stack.whatsAppAccountId}\\?messageId=[0-9a-f-]{36}$`));
    await waitFor(async () => (await stored(phone)).find((m) => m.direction === 'out' && m.delivery_state === 'delivered'), { what: 'the delivered state', timeoutMs: ANSWER_MS });
    const [contact] = await stack.dataSource.query(
      `SELECT co.name, co.phone FROM contact_identities ci JOIN contacts co ON co.id = ci.contact_id WHERE ci.tenant_id = $1 AND ci.channel = 'whatsapp' AND ci.external_user_id = $2`,
      [stack.tenantId, phone],
    );
    expect(contact).toEqual({ name: 'Grace', phone });
  });

  it('refuses a message with a bad signature with 403 and stores nothing', async () => {
    const phone = customer();
    const messageSid = sid('SM');
    const params = { MessageSid: messageSid, AccountSid: stack.accountSid, From: `whatsapp:${phone}`, To: `whatsapp:${WHATSAPP_NUMBER}`, Body: QUESTION, NumMedia: '0' };

    const forged = await stack.fake.postSigned(stack.whatsAppWebhookUrl, params, { signature: 'bm90IGEgcmVhbCBzaWduYXR1cmU=' });

    expect(forged.status).toBe(403);
    await settle();
    expect(await stack.dataSource.query(`SELECT id FROM messages WHERE external_message_id = $1`, [messageSid])).toEqual([]);
    expect(repliesTo(phone)).toEqual([]);
  });

  it('stores the photo, the voice note and the PDF a customer sends in object storage, fetched with the account credentials and tied to the message', async () => {
    const phone = customer();
    const photo = Buffer.from('\xff\xd8\xff a photo of a damaged parcel', 'binary');
    const voice = Buffer.from('OggS a voice note');
    const pdf = Buffer.from('%PDF-1.4 the delivery note');

    await write(phone, 'My parcel arrived damaged', {
      media: [{ body: photo, contentType: 'image/jpeg' }, { body: voice, contentType: 'audio/ogg' }, { body: pdf, contentType: 'application/pdf' }],
    });

    const inbound = await waitFor(async () => (await stored(phone)).find((m) => m.direction === 'in'), { what: 'the stored message', timeoutMs: ANSWER_MS });
    expect(inbound.text).toBe('My parcel arrived damaged');
    const id = expect.stringMatching(/^[0-9a-f-]{36}$/);
    expect(inbound.parts.slice(1)).toEqual([
      { type: 'image', attachmentId: id, mimeType: 'image/jpeg', size: photo.length },
      { type: 'audio', attachmentId: id, mimeType: 'audio/ogg' },
      { type: 'file', attachmentId: id, mimeType: 'application/pdf', size: pdf.length },
    ]);
    expect(JSON.stringify(inbound.parts)).not.toContain('api.twilio.com');
    const ids = inbound.parts.slice(1).map((p) => p.attachmentId as string);
    const rows = () => stack.dataSource.query(`SELECT id, message_id, storage_key, content FROM attachments WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)`, [ids]);
    const files = await waitFor(async () => ((await rows()) as { message_id: string | null }[]).every((r) => r.message_id === inbound.id) && rows(), { what: 'the files tied to the message', timeoutMs: ANSWER_MS });
    const storage = stack.app.get<ObjectStorage>(OBJECT_STORAGE);
    expect(await Promise.all(files.map((f: { storage_key: string }) => storage.get(f.storage_key)))).toEqual([photo, voice, pdf]);
    expect(files.map((f: { content: Buffer | null }) => f.content)).toEqual([null, null, null]);
    expect(stack.fake.requests.filter((r) => r.path.includes(`/Messages/`) && r.path.includes('/Media/') && r.method === 'GET').every((r) => r.auth === `${stack.accountSid}:${stack.authToken}`)).toBe(true);
  });

  it("answers a person's late reply, after WhatsApp's 24 hours, with the approved template carrying the reply", async () => {
    const phone = customer();
    await write(phone, QUESTION);
    await waitFor(() => repliesTo(phone).length === 1, { what: 'the answer within the window', timeoutMs: ANSWER_MS });
    const [{ conversation_id: conversationId }] = await stored(phone);
    // A day and an hour later, for us and for WhatsApp.
    await stack.dataSource.query(`UPDATE messages SET created_at = created_at - interval '25 hours' WHERE conversation_id = $1 AND direction = 'in'`, [conversationId]);
    stack.fake.ageWhatsAppSession(phone, 25);

    const actions = stack.app.get(ConversationActionsService);
    const caller = { kind: 'apiKey' as const, id: newId(), tenantId: stack.tenantId, role: 'admin' as const, scopes: [], name: 'Sam' };
    await actions.reply(caller, stack.tenantId, conversationId, 'Your parcel left our warehouse this morning.');

    const late = await waitFor(() => repliesTo(phone)[1], { what: 'the template', timeoutMs: ANSWER_MS });
    expect(late.contentSid).toBe(stack.whatsAppTemplateSid);
    expect(late.contentVariables).toEqual({ 1: 'Your parcel left our warehouse this morning.' });
    expect(late.body).toBe('Hello, this is Demo Shop with the answer to your question: Your parcel left our warehouse this morning.');
    expect(late.failedWith).toBeUndefined();
    await waitFor(async () => (await stored(phone)).filter((m) => m.direction === 'out' && m.delivery_state === 'delivered').length === 2, {
      what: 'the template delivered',
      timeoutMs: ANSWER_MS,
    });
  });

  it('sends a reply again, once, as the approved template when Twilio fails it afterwards with 63016 (our view of the window was a moment off)', async () => {
    const phone = customer();
    await write(phone, QUESTION);
    await waitFor(() => repliesTo(phone).length === 1, { what: 'the answer within the window', timeoutMs: ANSWER_MS });
    const [{ conversation_id: conversationId }] = await stored(phone);
    // WhatsApp's clock says the window closed; ours still has it open, so the reply goes out free-form.
    stack.fake.ageWhatsAppSession(phone, 25);

    const actions = stack.app.get(ConversationActionsService);
    const caller = { kind: 'apiKey' as const, id: newId(), tenantId: stack.tenantId, role: 'admin' as const, scopes: [], name: 'Sam' };
    const text = 'Your replacement ships tomorrow.';
    await actions.reply(caller, stack.tenantId, conversationId, text);

    const [, refused, template] = await waitFor(() => repliesTo(phone).length === 3 && repliesTo(phone), { what: 'the reply and its template retry', timeoutMs: ANSWER_MS });
    expect(refused).toMatchObject({ body: text, failedWith: '63016' });
    expect(refused.contentSid).toBeUndefined();
    const failedCallback = await waitFor(() => stack.fake.callbacks.find((c) => c.params.MessageSid === refused.sid), { what: 'the failed callback answered', timeoutMs: ANSWER_MS });
    expect(failedCallback.status).toBe(200);
    expect(failedCallback.params).toMatchObject({ MessageStatus: 'failed', ErrorCode: '63016' });
    expect(template).toMatchObject({ contentSid: stack.whatsAppTemplateSid, contentVariables: { 1: text }, from: `whatsapp:${WHATSAPP_NUMBER}`, statusCallback: refused.statusCallback });
    const reply = () => stored(phone).then((rows) => rows.find((m) => m.direction === 'out' && m.text === text)!);
    await waitFor(async () => (await reply()).delivery_state === 'delivered', { what: 'the reply delivered as the template', timeoutMs: ANSWER_MS });
    expect(await reply()).toMatchObject({ error_code: null, error_message: null });

    // Twilio posting the failure again (or a second connector process getting it) sends nothing more.
    const again = await stack.fake.postSigned(failedCallback.url, failedCallback.params);
    expect(again.status).toBe(200);
    await stack.fake.settled();
    await settle();
    expect(repliesTo(phone)).toHaveLength(3);
    expect((await reply()).delivery_state).toBe('delivered');
  });

  it('confirms STOP, sends nothing more until START, and confirms START', async () => {
    const phone = customer();

    const stop = await write(phone, 'STOP');
    expect(await stop.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>You will get no more messages from us here. Reply START to hear from us again.</Message></Response>');
    const optedOut = () =>
      stack.dataSource.query(`SELECT opted_out_at FROM contact_identities WHERE tenant_id = $1 AND channel = 'whatsapp' AND external_user_id = $2`, [stack.tenantId, phone]);
    expect((await optedOut())[0].opted_out_at).toBeInstanceOf(Date);

    await write(phone, QUESTION);
    const refused = await waitFor(async () => (await stored(phone)).find((m) => m.direction === 'out' && m.delivery_state === 'failed'), { what: 'the refused reply', timeoutMs: ANSWER_MS });
    expect(refused.error_code).toBe('INVALID_RECIPIENT');
    expect(repliesTo(phone)).toEqual([]);

    const start = await write(phone, 'start');
    expect(await start.text()).toContain('<Message>Welcome back. Ask us anything here.</Message>');
    expect((await optedOut())[0].opted_out_at).toBeNull();
    await write(phone, 'Do you ship abroad?');
    await waitFor(() => repliesTo(phone).length === 1, { what: 'the answer after START', timeoutMs: ANSWER_MS });
    expect((await stored(phone)).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual([QUESTION, 'Do you ship abroad?']);
  });
});
