import { WebhookRequest, inboundMessageSchema } from '@cs/contracts';
import { twilioSignature } from '../../../../../test/fakes/twilio/twilio-signature';
import { parseTwilioWhatsApp } from './twilio-whatsapp.parse';
import { twilioWhatsAppSettingsSchema } from './twilio-whatsapp.definition';

const token = '0123456789abcdef0123456789abcdef';
const accountId = '0192f0c2-3333-7aaa-8bbb-000000000004';
const url = `https://support.example.com/hooks/twilio-whatsapp/${accountId}`;

function request(params: Record<string, string>, target = url): WebhookRequest {
  const parsed = new URL(target);
  return {
    method: 'POST',
    url: target,
    path: parsed.pathname,
    query: Object.fromEntries(parsed.searchParams),
    headers: { 'x-twilio-signature': twilioSignature(token, target, params) },
    bodyBase64: Buffer.from(new URLSearchParams(params).toString()).toString('base64'),
    receivedAt: '2026-01-01T10:00:00.000Z',
  };
}

const base = { MessageSid: 'SM0001', AccountSid: 'AC1', From: 'whatsapp:+447700900123', To: 'whatsapp:+14155550199', WaId: '447700900123', ProfileName: 'Grace', NumMedia: '0' };

describe('a WhatsApp webhook from Twilio', () => {
  it('is a message from the bare number, named by its WhatsApp profile', () => {
    const event = parseTwilioWhatsApp(request({ ...base, Body: 'Where is my parcel?' }), accountId);
    expect(event.kind).toBe('message');
    if (event.kind !== 'message') return;
    expect(inboundMessageSchema.parse(event.message)).toMatchObject({
      connectorId: 'twilio-whatsapp',
      channel: 'whatsapp',
      sender: { externalUserId: '+447700900123', address: '+447700900123', displayName: 'Grace' },
      recipient: '+14155550199',
      parts: [{ type: 'text', text: 'Where is my parcel?' }],
      channelData: { twilioTo: '+14155550199', profileName: 'Grace', waId: '447700900123' },
    });
  });

  it('keeps media as links with their types: a photo, a voice note, a PDF', () => {
    const event = parseTwilioWhatsApp(
      request({
        ...base,
        Body: '',
        NumMedia: '3',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/SM0001/Media/ME1',
        MediaContentType0: 'image/jpeg',
        MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/SM0001/Media/ME2',
        MediaContentType1: 'audio/ogg',
        MediaUrl2: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/SM0001/Media/ME3',
        MediaContentType2: 'application/pdf',
      }),
      accountId,
    );
    expect(event.kind === 'message' && event.message.parts).toEqual([
      { type: 'image', url: expect.stringMatching(/ME1$/), mimeType: 'image/jpeg' },
      { type: 'audio', url: expect.stringMatching(/ME2$/), mimeType: 'audio/ogg' },
      { type: 'file', url: expect.stringMatching(/ME3$/), mimeType: 'application/pdf' },
    ]);
  });

  it('is a shared location with its label', () => {
    const event = parseTwilioWhatsApp(request({ ...base, Latitude: '51.5', Longitude: '-0.12', Label: 'Home' }), accountId);
    expect(event.kind === 'message' && event.message.parts).toEqual([{ type: 'location', lat: 51.5, lng: -0.12, label: 'Home' }]);
  });

  it('is an opt-out on STOP and an opt-in on START, while HELP is an ordinary question', () => {
    expect(parseTwilioWhatsApp(request({ ...base, Body: 'stop' }), accountId)).toMatchObject({ kind: 'opt-out', from: '+447700900123' });
    expect(parseTwilioWhatsApp(request({ ...base, Body: 'START' }), accountId)).toMatchObject({ kind: 'opt-in', from: '+447700900123' });
    expect(parseTwilioWhatsApp(request({ ...base, Body: 'help' }), accountId).kind).toBe('message');
  });

  it('is a delivery state for a status callback, with our message id from the callback URL', () => {
    const messageId = '0192f0c2-3333-7aaa-8bbb-000000000009';
    const event = parseTwilioWhatsApp(request({ ...base, MessageStatus: 'failed', ErrorCode: '63016' }, `${url}?messageId=${messageId}`), accountId);
    expect(event).toEqual({
      kind: 'status',
      status: expect.objectContaining({ connectorId: 'twilio-whatsapp', messageId, state: 'failed', vendorCode: '63016', reason: 'undelivered' }),
    });
  });

  it('ignores a webhook that is not a WhatsApp message (an SMS number pointed at this URL)', () => {
    expect(parseTwilioWhatsApp(request({ ...base, From: '+447700900123', Body: 'hi' }), accountId).kind).toBe('ignored');
  });
});

describe('WhatsApp channel settings', () => {
  const account = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'f'.repeat(32) };

  it('take sender numbers in E.164 and an approved template by its Content SID', () => {
    const parsed = twilioWhatsAppSettingsSchema.parse({ ...account, senders: ['+14155550199'], templateContentSid: `HX${'b'.repeat(32)}` });
    expect(parsed).toMatchObject({ senders: ['+14155550199'], templateContentSid: `HX${'b'.repeat(32)}` });
  });

  it('name the field that is wrong: a "whatsapp:" sender, a template that is not a Content SID, no sender at all', () => {
    const issues = (settings: Record<string, unknown>) => twilioWhatsAppSettingsSchema.safeParse({ ...account, ...settings }).error?.issues.map((i) => i.path.join('.'));
    expect(issues({ senders: ['whatsapp:+14155550199'] })).toEqual(['senders.0']);
    expect(issues({ senders: ['+14155550199'], templateContentSid: 'my_template' })).toEqual(['templateContentSid']);
    expect(issues({})).toEqual(['senders']);
  });
});
