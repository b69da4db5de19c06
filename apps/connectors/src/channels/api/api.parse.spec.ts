import { inboundMessageSchema } from '@cs/contracts';
import { parseApiRequest, toInboundMessage } from './api.parse';

const tenantId = '0192f0c2-1111-7aaa-8bbb-000000000001';
const conversationId = '0192f0c2-2222-7aaa-8bbb-000000000002';
const valid = { tenantId, externalMessageId: 'req-1', text: 'Where is my order?', contact: { externalId: 'cust-9' } };

describe('API channel request parsing', () => {
  it('accepts a message from a shop backend', () => {
    expect(parseApiRequest(valid)).toEqual({ ok: true, request: valid });
  });

  it('names the missing contact id in the 400', () => {
    const parsed = parseApiRequest({ ...valid, contact: {} });
    expect(parsed).toMatchObject({ ok: false, status: 400, error: expect.stringContaining('contact.externalId') });
  });

  it('names a malformed contact email and a malformed conversation id', () => {
    expect(parseApiRequest({ ...valid, contact: { externalId: 'c', email: 'nope' } })).toMatchObject({
      ok: false,
      error: expect.stringContaining('contact.email'),
    });
    expect(parseApiRequest({ ...valid, conversationId: 'abc' })).toMatchObject({ ok: false, error: expect.stringContaining('conversationId') });
  });

  it('rejects an empty text, naming the field', () => {
    expect(parseApiRequest({ ...valid, text: '' })).toMatchObject({ ok: false, status: 400, error: expect.stringMatching(/^text: /) });
  });

  it('threads the message by conversation and identifies the contact by the shop id', () => {
    const message = toInboundMessage(
      { ...valid, contact: { externalId: 'cust-9', name: 'Grace', email: 'grace@example.com' } },
      'acc-api',
      conversationId,
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(inboundMessageSchema.parse(message)).toEqual({
      connectorId: 'api',
      channel: 'api',
      channelAccountId: 'acc-api',
      externalMessageId: 'req-1',
      externalThreadId: conversationId,
      sender: { externalUserId: 'cust-9', address: 'grace@example.com', displayName: 'Grace' },
      receivedAt: '2026-01-01T00:00:00.000Z',
      parts: [{ type: 'text', text: 'Where is my order?' }],
      channelData: {},
    });
  });
});
