import { WebhookRequest, inboundMessageSchema } from '@cs/contracts';
import { twilioSignature } from '../../../../../test/fakes/twilio/twilio-signature';
import { isSignedByTwilio } from '../twilio/twilio-signature';
import { keywordOf, parseTwilioSms } from './twilio-sms.parse';

const token = '0123456789abcdef0123456789abcdef';
const accountId = '0192f0c2-3333-7aaa-8bbb-000000000003';
const url = `https://support.example.com/hooks/twilio-sms/${accountId}`;

function request(params: Record<string, string>, opts: { url?: string; signWith?: string; signUrl?: string } = {}): WebhookRequest {
  const target = opts.url ?? url;
  const parsed = new URL(target);
  return {
    method: 'POST',
    url: target,
    path: parsed.pathname,
    query: Object.fromEntries(parsed.searchParams),
    headers: { 'x-twilio-signature': twilioSignature(opts.signWith ?? token, opts.signUrl ?? target, params) },
    bodyBase64: Buffer.from(new URLSearchParams(params).toString()).toString('base64'),
    receivedAt: '2026-01-01T10:00:00.000Z',
  };
}

const text = { MessageSid: 'SM0001', AccountSid: 'AC1', From: '+14155550100', To: '+14155550199', Body: 'Where is my parcel?', NumMedia: '0', SmsStatus: 'received' };

describe("Twilio's webhook signature", () => {
  it('accepts a request signed with the account token over the URL Twilio called', () => {
    expect(isSignedByTwilio(request(text), token)).toBe(true);
  });

  it('refuses a request signed with another token, for another URL, or altered on the way', () => {
    expect(isSignedByTwilio(request(text, { signWith: 'another-token-0123456789abcdef' }), token)).toBe(false);
    expect(isSignedByTwilio(request(text, { signUrl: 'http://10.0.0.5:3000/hooks/twilio-sms/' + accountId }), token)).toBe(false);
    const altered = { ...request(text), bodyBase64: Buffer.from(new URLSearchParams({ ...text, Body: 'STOP' }).toString()).toString('base64') };
    expect(isSignedByTwilio(altered, token)).toBe(false);
    expect(isSignedByTwilio({ ...request(text), headers: {} }, token)).toBe(false);
  });
});

describe('a Twilio messaging webhook', () => {
  it('becomes an inbound message keyed by MessageSid, from the sender to our number', () => {
    const event = parseTwilioSms(request(text), accountId);
    expect(event.kind).toBe('message');
    if (event.kind !== 'message') return;
    expect(inboundMessageSchema.parse(event.message)).toEqual({
      connectorId: 'twilio-sms',
      channel: 'sms',
      channelAccountId: accountId,
      externalMessageId: 'SM0001',
      sender: { externalUserId: '+14155550100', address: '+14155550100' },
      recipient: '+14155550199',
      receivedAt: '2026-01-01T10:00:00.000Z',
      parts: [{ type: 'text', text: 'Where is my parcel?' }],
      channelData: { twilioFrom: '+14155550100', twilioTo: '+14155550199' },
    });
  });

  it('carries the pictures of an MMS as image parts', () => {
    const mms = { ...text, Body: '', NumMedia: '1', MediaUrl0: 'https://api.twilio.com/x/Media/ME1', MediaContentType0: 'image/jpeg' };
    const event = parseTwilioSms(request(mms), accountId);
    expect(event.kind === 'message' && event.message.parts).toEqual([{ type: 'image', url: 'https://api.twilio.com/x/Media/ME1', mimeType: 'image/jpeg' }]);
  });

  it.each([
    ['STOP', 'opt-out'],
    ['stop', 'opt-out'],
    [' Unsubscribe ', 'opt-out'],
    ['STOPALL', 'opt-out'],
    ['cancel', 'opt-out'],
    ['END', 'opt-out'],
    ['quit.', 'opt-out'],
    ['START', 'opt-in'],
    ['unstop', 'opt-in'],
    ['HELP', 'help'],
  ])('treats "%s" as the carrier keyword %s', (body, keyword) => {
    expect(keywordOf(body)).toBe(keyword);
    expect(parseTwilioSms(request({ ...text, Body: body }), accountId)).toMatchObject({ kind: 'keyword', keyword, from: '+14155550100' });
  });

  it('passes a sentence that merely contains a keyword on to the agent', () => {
    expect(keywordOf('please stop sending the wrong size')).toBeNull();
    expect(parseTwilioSms(request({ ...text, Body: 'Can I cancel my order?' }), accountId).kind).toBe('message');
  });

  it('turns status callbacks into delivery states, with the error code of an undelivered message', () => {
    const messageId = '0192f0c2-4444-7aaa-8bbb-000000000004';
    const callbackUrl = `${url}?messageId=${messageId}`;
    const status = (s: string, extra: Record<string, string> = {}) =>
      parseTwilioSms(request({ MessageSid: 'SM9', SmsSid: 'SM9', MessageStatus: s, SmsStatus: s, To: '+1', From: '+2', ...extra }, { url: callbackUrl }), accountId);
    expect(status('delivered')).toEqual({ kind: 'status', status: { connectorId: 'twilio-sms', externalMessageId: 'SM9', messageId, state: 'delivered' } });
    expect(status('undelivered', { ErrorCode: '30003' })).toMatchObject({ status: { state: 'failed', errorCode: '30003', messageId } });
    expect(status('sent')).toMatchObject({ status: { state: 'sent' } });
    expect(status('queued')).toMatchObject({ kind: 'ignored' });
  });
});
