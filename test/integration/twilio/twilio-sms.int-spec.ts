import { randomInt } from 'crypto';
import { waitFor } from '@cs/testing';
import { OBJECT_STORAGE } from '@cs/config';
import type { ObjectStorage } from '@cs/storage';
import { ChannelAccountService } from '@cs/connectors';
import { TwilioSmsConnector } from '../../../apps/connectors/src/channels/twilio-sms/twilio-sms.connector';
import { sid } from '../../fakes/twilio/fake-twilio';
import { PUBLIC_URL, SHOP_NUMBER, TwilioTestStack, startTwilioStack } from './twilio-test-app';

const QUESTION = 'How long does delivery take?';
/** Generous: two cores are shared with other suites. */
const ANSWER_MS = 40_000;
jest.setTimeout(120_000);
const settle = (ms = 1500) => new Promise((r) => setTimeout(r, ms));
const customer = () => `+1415${randomInt(1_000_000, 9_999_999)}`;

describe('texting the shop through Twilio', () => {
  let stack: TwilioTestStack;

  beforeAll(async () => {
    stack = await startTwilioStack('twiliosms');
    // The first answer loads the agent's models; no test should pay for that.
    const warmUp = customer();
    await stack.fake.receiveSms(stack.smsWebhookUrl, { from: warmUp, to: SHOP_NUMBER, body: QUESTION });
    await waitFor(() => stack.fake.messagesTo(warmUp).length > 0, { what: 'the warm-up answer', timeoutMs: 90_000 });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  const text = (from: string, body: string, messageSid?: string) => stack.fake.receiveSms(stack.smsWebhookUrl, { from, to: SHOP_NUMBER, body, messageSid });

  const repliesTo = (phone: string) => stack.fake.messagesTo(phone);

  async function storedMessages(
    phone: string,
  ): Promise<{ direction: string; text: string; parts: { type: string; attachmentId?: string }[]; external_message_id: string | null; delivery_state: string; error_code: string | null }[]> {
    return stack.dataSource.query(
      `SELECT m.direction, m.text, m.parts, m.external_message_id, m.delivery_state, m.error_code FROM messages m
         JOIN conversations c ON c.id = m.conversation_id
         JOIN contact_identities ci ON ci.contact_id = c.contact_id AND ci.channel = 'sms'
        WHERE ci.tenant_id = $1 AND ci.external_user_id = $2 ORDER BY m.id`,
      [stack.tenantId, phone],
    );
  }

  async function optedOutAt(phone: string): Promise<Date | null | undefined> {
    const rows = await stack.dataSource.query(
      `SELECT opted_out_at FROM contact_identities WHERE tenant_id = $1 AND channel = 'sms' AND external_user_id = $2`,
      [stack.tenantId, phone],
    );
    return rows[0]?.opted_out_at;
  }

  it('answers a signed text at once with empty TwiML, then by SMS from the number the customer wrote to', async () => {
    const phone = customer();

    const response = await text(phone, QUESTION);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await response.text()).toBe('<Response/>');
    const [reply] = await waitFor(() => repliesTo(phone).length > 0 && repliesTo(phone), { what: 'the SMS answer', timeoutMs: ANSWER_MS });
    expect(reply.from).toBe(SHOP_NUMBER);
    expect(reply.to).toBe(phone);
    expect(reply.body).toMatch(/working days/i);
    expect(reply.body).toContain(`${PUBLIC_URL}/kb/`);
    expect(reply.body).not.toMatch(/[*#`]/);
    expect(reply.statusCallback).toMatch(new RegExp(`^${PUBLIC_URL}/hooks/twilio-sms/${stack.accountId}\\?messageId=[0-9a-f-]{36}$`));
    // Twilio's status callbacks (sent, then delivered) reach the message.
    await waitFor(async () => (await storedMessages(phone)).find((m) => m.direction === 'out' && m.delivery_state === 'delivered'), {
      what: 'the delivered state',
      timeoutMs: ANSWER_MS,
    });
    const stored = await storedMessages(phone);
    expect(stored.map((m) => [m.direction, m.external_message_id])).toEqual([
      ['in', expect.stringMatching(/^SM/)],
      ['out', reply.sid],
    ]);
    await settle(500);
    expect(repliesTo(phone)).toHaveLength(1);
  });

  it('refuses a text with a bad signature with 403 and stores nothing', async () => {
    const phone = customer();
    const messageSid = sid('SM');
    const params = { MessageSid: messageSid, SmsSid: messageSid, AccountSid: stack.accountSid, From: phone, To: SHOP_NUMBER, Body: QUESTION, NumMedia: '0' };

    const forged = await stack.fake.postSigned(stack.smsWebhookUrl, params, { signature: 'bm90IGEgcmVhbCBzaWduYXR1cmU=' });
    const unsigned = await stack.fake.postSigned(stack.smsWebhookUrl, params, { signature: '' });

    expect(forged.status).toBe(403);
    expect(unsigned.status).toBe(403);
    await settle();
    expect(await storedMessages(phone)).toEqual([]);
    const rows = await stack.dataSource.query(`SELECT id FROM messages WHERE external_message_id = $1`, [messageSid]);
    expect(rows).toEqual([]);
    expect(repliesTo(phone)).toEqual([]);
  });

  it("gives Twilio's retry of the same MessageSid no second answer", async () => {
    const phone = customer();
    const messageSid = sid('SM');

    const [first, retry] = await Promise.all([text(phone, QUESTION, messageSid), text(phone, QUESTION, messageSid)]);
    await waitFor(() => repliesTo(phone).length > 0, { what: 'the answer', timeoutMs: ANSWER_MS });
    const late = await text(phone, QUESTION, messageSid);

    expect([first.status, retry.status, late.status]).toEqual([200, 200, 200]);
    await settle();
    expect(repliesTo(phone)).toHaveLength(1);
    expect((await storedMessages(phone)).filter((m) => m.direction === 'in')).toHaveLength(1);
  });

  it('stops texting a customer who sent STOP, and starts again after START', async () => {
    const phone = customer();

    const stop = await text(phone, 'STOP');
    expect(stop.status).toBe(200);
    expect(await stop.text()).toBe('<Response/>');
    expect(await optedOutAt(phone)).toBeInstanceOf(Date);

    await text(phone, QUESTION);
    const refused = await waitFor(async () => (await storedMessages(phone)).find((m) => m.direction === 'out' && m.delivery_state === 'failed'), {
      what: 'the reply refused for an opted-out number',
      timeoutMs: ANSWER_MS,
    });
    expect(refused.error_code).toBe('INVALID_RECIPIENT');
    expect(repliesTo(phone)).toEqual([]);

    await text(phone, 'start');
    expect(await optedOutAt(phone)).toBeNull();
    await text(phone, 'Do you ship abroad?');
    await waitFor(() => repliesTo(phone).length === 1, { what: 'the answer after START', timeoutMs: ANSWER_MS });
    // The keywords themselves never reached the agent.
    expect((await storedMessages(phone)).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual([QUESTION, 'Do you ship abroad?']);
  });

  it('starts a new conversation when the customer texts again after the last one was resolved', async () => {
    const phone = customer();
    await text(phone, QUESTION);
    await waitFor(() => repliesTo(phone).length === 1, { what: 'the first answer', timeoutMs: ANSWER_MS });
    const conversationsOf = () =>
      stack.dataSource.query(
        `SELECT c.id, c.status FROM conversations c JOIN contact_identities ci ON ci.contact_id = c.contact_id
          WHERE ci.tenant_id = $1 AND ci.channel = 'sms' AND ci.external_user_id = $2 ORDER BY c.created_at`,
        [stack.tenantId, phone],
      ) as Promise<{ id: string; status: string }[]>;
    const [first] = await conversationsOf();
    await stack.dataSource.query(`UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = $1`, [first.id]);

    await text(phone, 'Do you ship abroad?');

    await waitFor(() => repliesTo(phone).length === 2, { what: 'the second answer', timeoutMs: ANSWER_MS });
    const conversations = await conversationsOf();
    expect(conversations.map((c) => c.status)).toEqual(['resolved', 'bot']);
  });

  it("answers HELP with the shop's help text in TwiML, without bothering the agent", async () => {
    const phone = customer();

    const help = await text(phone, 'HELP');

    expect(help.status).toBe(200);
    expect(await help.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>Demo Shop support. Reply STOP to opt out.</Message></Response>');
    await settle(800);
    expect(await storedMessages(phone)).toEqual([]);
    expect(repliesTo(phone)).toEqual([]);
  });

  it('marks the customer opted out when Twilio refuses with 21610, and fails that reply', async () => {
    const phone = customer();
    stack.fake.failNext({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient', to: phone });

    await text(phone, QUESTION);

    const failed = await waitFor(async () => (await storedMessages(phone)).find((m) => m.direction === 'out' && m.delivery_state === 'failed'), {
      what: 'the failed reply',
      timeoutMs: ANSWER_MS,
    });
    expect(failed.error_code).toBe('INVALID_RECIPIENT');
    expect(await optedOutAt(phone)).toBeInstanceOf(Date);
    expect(repliesTo(phone)).toEqual([]);
  });

  it("waits out Twilio's rate limit (429, Retry-After) and then answers once", async () => {
    const phone = customer();
    stack.fake.failNext({ status: 429, code: 20429, message: 'Too Many Requests', retryAfterSeconds: 1, to: phone });

    await text(phone, QUESTION);

    await waitFor(() => repliesTo(phone).length > 0, { what: 'the answer after the rate limit', timeoutMs: ANSWER_MS });
    const attempts = stack.fake.requests.filter((r) => r.path.endsWith('/Messages.json') && r.params.To === phone);
    expect(attempts).toHaveLength(2);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(1000);
    await settle(500);
    expect(repliesTo(phone)).toHaveLength(1);
  });

  it('keeps the pictures of an MMS as attachments in object storage, fetched with the account credentials and tied to the message', async () => {
    const phone = customer();
    const picture = Buffer.from('\x89PNG\r\n\x1a\n a photo of a damaged parcel', 'binary');

    const response = await stack.fake.receiveMms(stack.smsWebhookUrl, { from: phone, to: SHOP_NUMBER, body: 'My parcel arrived damaged', media: [{ body: picture, contentType: 'image/png' }] });

    expect(response.status).toBe(200);
    const inbound = await waitFor(async () => (await storedMessages(phone)).find((m) => m.direction === 'in'), { what: 'the stored MMS', timeoutMs: ANSWER_MS });
    const image = inbound.parts.find((p) => p.type === 'image')!;
    expect(image).toEqual({ type: 'image', attachmentId: expect.stringMatching(/^[0-9a-f-]{36}$/), mimeType: 'image/png', size: picture.length });
    const row = async () => (await stack.dataSource.query('SELECT tenant_id, message_id, mime_type, size, content, storage_key FROM attachments WHERE id = $1', [image.attachmentId]))[0];
    const attachment = await waitFor(async () => ((await row())?.message_id ? row() : undefined), { what: 'the attachment tied to its message', timeoutMs: ANSWER_MS });
    expect(attachment).toMatchObject({ tenant_id: stack.tenantId, mime_type: 'image/png', size: picture.length, content: null });
    expect(await stack.app.get<ObjectStorage>(OBJECT_STORAGE).get(attachment.storage_key)).toEqual(picture);
    expect(stack.fake.requests.some((r) => r.path.includes('/Media/') && r.auth === `${stack.accountSid}:${stack.authToken}`)).toBe(true);
    // The agent cannot look at a picture: it says it got it, and a person takes over.
    const [reply] = await waitFor(() => repliesTo(phone).length > 0 && repliesTo(phone), { what: 'the acknowledgement', timeoutMs: ANSWER_MS });
    expect(reply.body).toMatch(/received your file/);
  });

  it("tests the connection by asking Twilio's Accounts API, and says when the token is wrong", async () => {
    const connector = stack.app.get(TwilioSmsConnector);
    const accounts = stack.app.get(ChannelAccountService);
    const ref = accounts.toRef((await accounts.findById(stack.accountId))!);

    expect(await connector.testConnection(ref)).toEqual({ ok: true, detail: 'Fake shop account (active)' });
    const wrong = await connector.testConnection({ ...ref, settings: { ...ref.settings, authToken: 'f'.repeat(32) } });
    expect(wrong).toMatchObject({ ok: false, detail: expect.stringContaining('20003') });
  });
});
