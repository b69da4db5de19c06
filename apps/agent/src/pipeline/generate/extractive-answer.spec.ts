import { cut, extractAnswer } from './extractive-answer';
import { sameWord } from '../text/sentences';

const DELIVERY = [
  'Standard delivery takes 3 to 5 working days within the United Kingdom. Express delivery takes 1 to 2 working days. Next-day delivery arrives on the next working day when you order before 2 pm.',
  '',
  'We pack orders placed before 2 pm on the same working day.',
].join('\n');

const PAYMENT = [
  'You can pay with any of these:',
  '- Visa and Mastercard cards',
  '- PayPal',
  '- Apple Pay',
  '',
  'We never store your card number.',
].join('\n');

describe('the extractive answer', () => {
  it('answers "how long does delivery take?" with the delivery-time sentences, verbatim', () => {
    const answer = extractAnswer('How long does delivery take?', DELIVERY, 1000);

    expect(answer).toContain('Standard delivery takes 3 to 5 working days');
    expect(answer).toContain('Express delivery takes 1 to 2 working days.');
    expect(answer).not.toContain('We pack orders');
  });

  it('picks the sentence that matches the question, not simply the first one', () => {
    const answer = extractAnswer('when do you pack orders?', DELIVERY, 1000);

    expect(answer).toBe('We pack orders placed before 2 pm on the same working day.');
  });

  it('keeps a list with the sentence that introduces it', () => {
    const answer = extractAnswer('How can I pay?', PAYMENT, 1000);

    expect(answer).toBe('You can pay with any of these:\n- Visa and Mastercard cards\n- PayPal\n- Apple Pay');
  });

  it('only ever uses sentences that are in the passage', () => {
    const answer = extractAnswer('do you deliver to the moon?', DELIVERY, 1000);
    const sentences = answer.split(/(?<=\.)\s+/);

    for (const sentence of sentences) expect(DELIVERY).toContain(sentence);
  });

  it('fits a short channel such as SMS', () => {
    const answer = extractAnswer('How long does delivery take?', DELIVERY, 100);

    expect(answer.length).toBeLessThanOrEqual(100);
    expect(answer.startsWith('Standard delivery takes 3 to 5 working days')).toBe(true);
  });
});

describe('word matching and cutting', () => {
  it('treats inflections of a word as the same word', () => {
    expect(sameWord('deliver', 'delivery')).toBe(true);
    expect(sameWord('ship', 'shipping')).toBe(true);
    expect(sameWord('refund', 'return')).toBe(false);
  });

  it('cuts at a word boundary and marks the cut', () => {
    expect(cut('one two three four', 12)).toBe('one two…');
    expect(cut('short', 12)).toBe('short');
  });
});
