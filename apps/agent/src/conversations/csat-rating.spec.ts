import type { InboundMessage } from '@cs/contracts';
import { ratingOf } from './csat-rating';

const message = (text: string, channelData: InboundMessage['channelData'] = {}): InboundMessage => ({
  connectorId: 'twilio-sms',
  channel: 'sms',
  channelAccountId: 'a1',
  externalMessageId: 'SM1',
  sender: { externalUserId: '+14155550100' },
  receivedAt: '2026-01-01T10:00:00.000Z',
  parts: [{ type: 'text', text }],
  channelData,
});

describe('a rating in a customer message', () => {
  it.each([
    ['5', 5],
    [' 4. ', 4],
    ['3/5', 3],
    ['2 stars', 2],
    ['4 out of 5', 4],
    ['⭐⭐⭐⭐', 4],
    ['★★', 2],
  ])('reads %j as %i', (text, rating) => {
    expect(ratingOf(message(text))).toBe(rating);
  });

  it('takes the rating of a survey button', () => {
    expect(ratingOf(message('Rated 4 of 5', { csatRating: 4 }))).toBe(4);
  });

  it.each(['6', '0', '10', 'Order 5', '5 items are missing from my order', 'How long does delivery take?', '⭐⭐⭐⭐⭐⭐'])('finds none in %j', (text) => {
    expect(ratingOf(message(text))).toBeNull();
  });
});
