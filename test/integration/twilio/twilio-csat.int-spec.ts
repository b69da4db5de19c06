import { randomInt } from 'crypto';
import { newId } from '@cs/contracts';
import { waitFor } from '@cs/testing';
import { AnalyticsService } from '../../../apps/gateway/src/admin/analytics/analytics.service';
import { ConversationActionsService } from '../../../apps/gateway/src/admin/conversations/conversation-actions.service';
import { SettingsService } from '../../../apps/gateway/src/admin/settings/settings.service';
import { SHOP_NUMBER, WHATSAPP_NUMBER, TwilioTestStack, startTwilioStack } from './twilio-test-app';

const QUESTION = 'How long does delivery take?';
const ANSWER_MS = 40_000;
jest.setTimeout(120_000);
const customer = () => `+1415${randomInt(1_000_000, 9_999_999)}`;

/** The satisfaction question after a resolved conversation, on SMS and WhatsApp, answered with a number. */
describe('customer satisfaction by text message', () => {
  let stack: TwilioTestStack;

  beforeAll(async () => {
    stack = await startTwilioStack('twiliocsat');
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  const caller = () => ({ kind: 'apiKey' as const, id: newId(), tenantId: stack.tenantId, role: 'admin' as const, scopes: [], name: 'Sam' });
  const conversationsOf = (channel: string, phone: string): Promise<{ id: string; status: string }[]> =>
    stack.dataSource.query(
      `SELECT c.id, c.status FROM conversations c JOIN contact_identities ci ON ci.contact_id = c.contact_id AND ci.channel = c.channel
        WHERE ci.tenant_id = $1 AND c.channel = $2 AND ci.external_user_id = $3 ORDER BY c.created_at`,
      [stack.tenantId, channel, phone],
    );
  const ratingOf = async (conversationId: string): Promise<number | undefined> =>
    (await stack.dataSource.query(`SELECT rating FROM conversation_feedback WHERE conversation_id = $1`, [conversationId]))[0]?.rating;

  async function resolveAfterAnswer(channel: 'sms' | 'whatsapp', phone: string, sent: () => { body: string }[]): Promise<string> {
    await waitFor(() => sent().length === 1, { what: 'the answer', timeoutMs: ANSWER_MS });
    const [conversation] = await conversationsOf(channel, phone);
    await stack.app.get(ConversationActionsService).resolve(caller(), stack.tenantId, conversation.id);
    return conversation.id;
  }

  it('asks once a person resolves an SMS conversation, and records "4" as the rating without reopening it', async () => {
    const phone = customer();
    const texts = () => stack.fake.messagesTo(phone);
    await stack.fake.receiveSms(stack.smsWebhookUrl, { from: phone, to: SHOP_NUMBER, body: QUESTION });
    const conversationId = await resolveAfterAnswer('sms', phone, texts);

    const [, question] = await waitFor(() => texts().length === 2 && texts(), { what: 'the satisfaction question', timeoutMs: ANSWER_MS });
    expect(question.body).toBe('How would you rate the help you got? Reply with a number from 1 (poor) to 5 (excellent).');
    expect(question.from).toBe(SHOP_NUMBER);

    await stack.fake.receiveSms(stack.smsWebhookUrl, { from: phone, to: SHOP_NUMBER, body: '4' });

    const [, , thanks] = await waitFor(() => texts().length === 3 && texts(), { what: 'the thanks', timeoutMs: ANSWER_MS });
    expect(thanks.body).toBe('Thank you for your rating!');
    expect(await ratingOf(conversationId)).toBe(4);
    expect(await conversationsOf('sms', phone)).toEqual([{ id: conversationId, status: 'resolved' }]);
    const stored: { direction: string; text: string }[] = await stack.dataSource.query(`SELECT direction, text FROM messages WHERE conversation_id = $1 ORDER BY created_at, id`, [conversationId]);
    expect(stored.map((m) => m.direction)).toEqual(['in', 'out', 'out', 'in', 'out']);
    expect(stored[3].text).toBe('4');

    // A later question is a question again: a new conversation, answered by the agent.
    await stack.fake.receiveSms(stack.smsWebhookUrl, { from: phone, to: SHOP_NUMBER, body: 'Do you ship abroad?' });
    await waitFor(() => texts().length === 4, { what: 'the answer to the next question', timeoutMs: ANSWER_MS });
    expect((await conversationsOf('sms', phone)).map((c) => c.status)).toEqual(['resolved', 'bot']);
  });

  it('asks on WhatsApp too, takes "⭐⭐⭐⭐⭐", and counts each rating in the analytics under its channel', async () => {
    const phone = customer();
    const messages = () => stack.fake.messagesTo(`whatsapp:${phone}`);
    await stack.fake.receiveWhatsApp(stack.whatsAppWebhookUrl, { from: phone, to: WHATSAPP_NUMBER, body: QUESTION });
    const conversationId = await resolveAfterAnswer('whatsapp', phone, messages);
    await waitFor(() => messages().length === 2, { what: 'the satisfaction question', timeoutMs: ANSWER_MS });
    expect(messages()[1]).toMatchObject({ from: `whatsapp:${WHATSAPP_NUMBER}`, body: expect.stringMatching(/^How would you rate/) });

    await stack.fake.receiveWhatsApp(stack.whatsAppWebhookUrl, { from: phone, to: WHATSAPP_NUMBER, body: '⭐⭐⭐⭐⭐' });

    await waitFor(async () => (await ratingOf(conversationId)) === 5, { what: 'the rating', timeoutMs: ANSWER_MS });
    const report = await stack.app.get(AnalyticsService).report(stack.tenantId, new Date(Date.now() - 3_600_000), new Date(Date.now() + 60_000));
    expect(report.csat.byChannel).toEqual(expect.arrayContaining([{ channel: 'whatsapp', responses: 1, average: 5 }, { channel: 'sms', responses: 1, average: 4 }]));
  });

  it('asks nothing twice: resolving again after a reopen sends no second question', async () => {
    const phone = customer();
    const texts = () => stack.fake.messagesTo(phone);
    await stack.fake.receiveSms(stack.smsWebhookUrl, { from: phone, to: SHOP_NUMBER, body: QUESTION });
    const conversationId = await resolveAfterAnswer('sms', phone, texts);
    await waitFor(() => texts().length === 2, { what: 'the satisfaction question', timeoutMs: ANSWER_MS });
    const actions = stack.app.get(ConversationActionsService);

    await actions.reopen(caller(), stack.tenantId, conversationId);
    await actions.resolve(caller(), stack.tenantId, conversationId);

    await new Promise((r) => setTimeout(r, 1500));
    expect(texts()).toHaveLength(2);
  });

  // Last: it turns the question off for the suite's tenant.
  it('asks nothing when the tenant turned the question off in its settings', async () => {
    await stack.app.get(SettingsService).patch(caller(), stack.tenantId, { csatSurvey: false });
    const phone = customer();
    const texts = () => stack.fake.messagesTo(phone);
    await stack.fake.receiveSms(stack.smsWebhookUrl, { from: phone, to: SHOP_NUMBER, body: QUESTION });
    await resolveAfterAnswer('sms', phone, texts);

    await new Promise((r) => setTimeout(r, 1500));
    expect(texts()).toHaveLength(1);
  });
});
