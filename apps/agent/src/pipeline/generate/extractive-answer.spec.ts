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

const MEMBER_RETURNS = [
  'How long you have to return an item depends on your membership.',
  '',
  '- Platinum members can return items at any time.',
  '- Club members have 60 days from delivery.',
  '- Without a membership you have 14 days.',
  '',
  'Returns are free for every member.',
].join('\n');

const VERIFY = ['To confirm it is you, we ask for two of the following details.', '', '- Postcode', '- Date of birth', '- Email address'].join('\n');

describe('the extractive answer keeps a rule with its cases', () => {
  it('answers "how long do club members have to send something back?" with the case that says so, after the rule it belongs to', () => {
    const answer = extractAnswer('how long do club members have to send something back?', MEMBER_RETURNS, 1000);

    expect(answer).toContain('Club members have 60 days from delivery.');
    expect(answer).toContain('depends on your membership');
    expect(answer).not.toContain('Returns are free');
  });

  it('answers "how many details do I need to prove who I am?" with the rule and its list, though one item shares a word with the question', () => {
    const answer = extractAnswer('how many details do I need, is my email address one?', VERIFY, 1000);

    expect(answer).toBe('To confirm it is you, we ask for two of the following details.\n- Postcode\n- Date of birth\n- Email address');
  });

});

describe('a passage that only asks', () => {
  it('gives no answer to "when does the winter sale start?" from a list of questions that names it', () => {
    expect(extractAnswer('when does the winter sale start?', 'When does the winter sale start? When do gift cards expire?', 1000)).toBe('');
  });

  it('gives no answer when the question\'s words are only in the passage\'s questions', () => {
    const faq = 'Customers ask about our seasons.\n\nWhen does the winter sale start? When do gift cards expire?';

    expect(extractAnswer('when does the winter sale start?', faq, 1000)).toBe('');
  });

  it('gives no answer to "are the boots waterproof?" from an index of questions without question marks', () => {
    const index = 'Our most asked questions:\n\nhow wide is the shoe, how to clean suede, waterproof, what is the lace colour, comes with a warranty';

    expect(extractAnswer('are the boots waterproof?', index, 1000)).toBe('');
  });

  it('gives no answer when the question\'s telling word is only among the page\'s questions, though its topic is in a sentence', () => {
    const index = 'Questions customers ask about our boots.\n\nhow wide is the shoe, how to clean suede, waterproof, what is the lace colour, comes with a warranty';

    expect(extractAnswer('are the boots waterproof?', index, 1000)).toBe('');
  });

  it('answers with the sentence after a question, not the question', () => {
    const answer = extractAnswer('when does the winter sale start?', 'When does the winter sale start?\n\nThe winter sale starts on 26 December.', 1000);

    expect(answer).toBe('The winter sale starts on 26 December.');
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
