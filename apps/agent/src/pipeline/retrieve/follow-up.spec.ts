import { isFollowUp, rewriteWithContext } from './follow-up';

describe('follow-up questions', () => {
  it.each(['and to Canada?', 'What about express?', 'also for gift cards?', 'Germany?', 'how much does it cost?'])('hears "%s" as a follow-up', (text) => expect(isFollowUp(text)).toBe(true));

  it.each(['How much is shipping to Canada?', 'I forgot my password', 'thanks', 'is it possible to pay with PayPal when I order from abroad?'])('hears "%s" as a question of its own', (text) => expect(isFollowUp(text)).toBe(false));

  it('adds the new detail to the previous question', () => {
    expect(rewriteWithContext('How much is shipping?', 'and to Canada?')).toBe('How much is shipping to Canada?');
    expect(rewriteWithContext('How long does delivery take?', 'what about express?')).toBe('How long does delivery take express?');
  });
});
