import { inboundMessageSchema } from '@cs/contracts';
import { isOriginAllowed, parseWebchatRequest, toInboundMessage, widgetKeyOf } from './webchat.parse';

const valid = { widgetKey: 'wk_demo', sessionId: 'sess-1', clientId: 'c-42', text: 'How long does delivery take?' };

describe('web chat request parsing', () => {
  it('accepts a message typed into the widget', () => {
    const parsed = parseWebchatRequest(valid);
    expect(parsed).toEqual({ ok: true, request: valid });
  });

  it('rejects an empty message with a 400 that names the text field', () => {
    const parsed = parseWebchatRequest({ ...valid, text: '   ' });
    expect(parsed.ok).toBe(false);
    expect(parsed).toMatchObject({ status: 400, error: expect.stringMatching(/^text: /) });
  });

  it('rejects a message longer than 4000 characters, naming the field', () => {
    expect(parseWebchatRequest({ ...valid, text: 'a'.repeat(4000) }).ok).toBe(true);
    expect(parseWebchatRequest({ ...valid, text: 'a'.repeat(4001) })).toMatchObject({ ok: false, status: 400, error: expect.stringContaining('text') });
  });

  it('rejects a session id that would break the delivery subject', () => {
    expect(parseWebchatRequest({ ...valid, sessionId: 'a.b' })).toMatchObject({ ok: false, error: expect.stringContaining('sessionId') });
  });

  it('reads the widget key before validating anything else', () => {
    expect(widgetKeyOf({ widgetKey: 'wk_demo', text: '' })).toBe('wk_demo');
    expect(widgetKeyOf({ text: 'hi' })).toBeUndefined();
    expect(widgetKeyOf('nonsense')).toBeUndefined();
  });

  it('makes a resend of the same widget message carry the same vendor id, so the stream drops it', () => {
    const first = toInboundMessage(valid, 'acc-1');
    const resend = toInboundMessage({ ...valid }, 'acc-1');
    expect(first.externalMessageId).toBe('sess-1:c-42');
    expect(resend.externalMessageId).toBe(first.externalMessageId);
  });

  it('normalizes the message onto the inbound contract with the session as thread and sender', () => {
    const message = toInboundMessage({ ...valid, displayName: 'Ada' }, 'acc-1', new Date('2026-01-01T00:00:00Z'));
    expect(inboundMessageSchema.parse(message)).toEqual({
      connectorId: 'webchat',
      channel: 'webchat',
      channelAccountId: 'acc-1',
      externalMessageId: 'sess-1:c-42',
      externalThreadId: 'sess-1',
      sender: { externalUserId: 'sess-1', displayName: 'Ada' },
      receivedAt: '2026-01-01T00:00:00.000Z',
      parts: [{ type: 'text', text: 'How long does delivery take?' }],
      channelData: { clientId: 'c-42' },
    });
  });

  it('turns "did this answer your question?" into the actions Slack\'s buttons carry, naming the answer', () => {
    const messageId = '0190f5c6-0000-7000-8000-000000000001';
    const yes = toInboundMessage({ ...valid, clientId: `feedback-${messageId}`, feedback: { messageId, helpful: true } }, 'acc-1');
    const no = toInboundMessage({ ...valid, clientId: `feedback-${messageId}`, feedback: { messageId, helpful: false } }, 'acc-1');
    expect(yes.channelData).toEqual({ clientId: `feedback-${messageId}`, action: 'resolved', feedbackFor: messageId });
    expect(no.channelData).toEqual({ clientId: `feedback-${messageId}`, action: 'not_helpful', feedbackFor: messageId });
    expect(parseWebchatRequest({ ...valid, feedback: { messageId: 'm-1', helpful: true } })).toMatchObject({ ok: false, error: expect.stringContaining('feedback') });
  });

  it('lets any site embed the widget until origins are listed, then only those', () => {
    expect(isOriginAllowed([], 'https://evil.example')).toBe(true);
    expect(isOriginAllowed(['https://shop.example.com'], 'https://shop.example.com/')).toBe(true);
    expect(isOriginAllowed(['https://shop.example.com'], 'https://evil.example')).toBe(false);
  });
});
