import { composeAnswer } from './extractive-answer';

/*
 * What a customer notices of the answer's composition: the sentence that answers them, even in other
 * words; the condition with its consequence; the section their whole question is about. Similarities
 * are given as retrieval measures them (one per sentence, calibrated 0..1).
 */

const PAYMENTS = ['We accept the following:', '', '- Visa and Mastercard', '- PayPal', '', 'Your card is charged when the order ships.'].join('\n');

const LATE_PARCEL = [
  'Most parcels arrive within five working days of dispatch, and tracking updates as the parcel moves between our depots and the courier. ' +
    'A parcel that shows no movement for a day or two is usually waiting for the next lorry and needs nothing from you. ' +
    'If a parcel has not arrived ten working days after dispatch, we treat it as lost and send a replacement at our cost. ' +
    'You will receive an email with the new tracking number, and there is no need to place a new order. ' +
    'Parcels sent to a pick-up point are kept there for fourteen days before they come back to us.',
].join('\n');

describe('composing the answer from the sentences that answer the question', () => {
  it('answers "which ways of paying do you take?" from the list of payment methods, though no word is shared, because its meaning is closest', () => {
    const answer = composeAnswer('Which ways of paying do you take?', [{ content: PAYMENTS, heading: 'Payment methods', similarity: [0.8, 0.5, 0.5, 0.45] }], 1000);

    expect(answer?.text).toBe('We accept the following:\n- Visa and Mastercard\n- PayPal');
    expect(answer?.relevance).toBeGreaterThanOrEqual(0.375);
  });

  it('keeps the last sentence of a rule: a lost parcel is replaced, and the customer need not order again', () => {
    const answer = composeAnswer("It's been two weeks and my parcel still hasn't arrived, what happens now?", [{ content: LATE_PARCEL, heading: 'Late parcels' }], 1000, { targetChars: 250 });

    expect(answer?.text).toContain('we treat it as lost and send a replacement');
    expect(answer?.text).toContain('there is no need to place a new order');
    expect(answer?.text).not.toContain('pick-up point');
  });

  it('answers with the rule an example illustrates, not the example alone', () => {
    const exchanges =
      'Exchanges are free within 30 days of delivery, as long as the item is unworn and has its labels. ' +
      'Start the exchange from your orders page and send the item back with the prepaid label we email you. ' +
      'For example, a jacket in size M can be exchanged for the same jacket in size L. ' +
      'Exchanges for a different product are handled as a return and a new order.';

    const answer = composeAnswer('Can I swap my jacket from size M to size L?', [{ content: exchanges, heading: 'Exchanges' }], 1000, { targetChars: 200 });

    expect(answer?.text).toContain('Start the exchange from your orders page');
    expect(answer?.text).toContain('For example, a jacket in size M can be exchanged');
  });

  it('takes the section the whole question points to when two are about equally likely ("pending order" is in both)', () => {
    const sources = [
      { content: 'A pending order can be cancelled from your account until it is packed.', heading: 'Pending orders › Cancelling', confidence: 0.71 },
      { content: 'You can change the delivery address of a pending order by writing to us before it ships.', heading: 'Pending orders › Changing the address', confidence: 0.69 },
    ];

    const answer = composeAnswer('Can I change the delivery address on my pending order?', sources, 1000);

    expect(answer?.text).toBe('You can change the delivery address of a pending order by writing to us before it ships.');
    expect(answer?.source).toBe(1);
  });

  it('keeps to the best passage when another is only a little better worded', () => {
    const sources = [
      { content: 'Gift cards are valid for two years from purchase.', heading: 'Gift cards', confidence: 0.8, similarity: [0.7] },
      { content: 'Discount codes are valid for thirty days.', heading: 'Discount codes', confidence: 0.62, similarity: [0.72] },
    ];

    expect(composeAnswer('How long is a gift card valid?', sources, 1000)?.source).toBe(0);
  });

  it('draws from a second section for the part of the question the first does not answer', () => {
    const sources = [
      { content: 'You can return an item within 30 days of delivery.', heading: 'Returns', confidence: 0.7 },
      { content: 'Refunds are paid to the card you paid with, within five working days.', heading: 'Refunds', confidence: 0.66 },
    ];

    const answer = composeAnswer('How long do I have to return an item, and when is the refund paid to my card?', sources, 1000);

    expect(answer?.text).toBe('You can return an item within 30 days of delivery. Refunds are paid to the card you paid with, within five working days.');
    expect([answer?.source, answer?.second].sort()).toEqual([0, 1]);
  });

  it('says how little a sentence answers when it only shares a word with the question', () => {
    const answer = composeAnswer('Do you sell gift wrapping paper?', [{ content: 'Gift cards are valid for two years from purchase.', heading: 'Gift cards', similarity: [0.3] }], 1000);

    expect(answer?.relevance).toBeLessThan(0.375);
  });

  it("does not answer with the staff playbook's description of the customer's situation, but with what to do about it", () => {
    // Knowledge written for staff describes the situation first; the customer said as much already.
    const playbook = [
      "The customer's card keeps being declined at checkout.",
      '',
      '- Ask the customer to re-enter the card number and the expiry date.',
      '- If it is still declined, suggest paying by PayPal instead.',
    ].join('\n');

    const answer = composeAnswer('My card keeps getting declined when I check out', [{ content: playbook, heading: 'Declined cards', similarity: [0.95, 0.65, 0.5, 0.35] }], 1000);

    expect(answer?.text).toContain('re-enter the card number');
    expect(answer?.relevance).toBeGreaterThanOrEqual(0.375);
  });

  it('hands the choice to the check when the only sentence that matches says back what the customer said', () => {
    const answer = composeAnswer('The search on your website never finds anything', [{ content: 'Searches on the site come back empty whatever is typed in.\n\nTry the steps below in any order.', heading: 'Search not working', similarity: [0.97, 0.2] }], 1000);

    expect(answer?.text ?? '').not.toContain('come back empty');
    expect(answer?.relevance ?? 0).toBeLessThan(0.375);
  });

  it('never answers with a label naming the topics of an article', () => {
    const content = 'Sign-in Help: usernames, passwords, and login codes.\n\nWe cannot tell you your password, but we can email you a link to set a new one.';

    const answer = composeAnswer('Can you tell me my password?', [{ content, heading: 'Recover password', similarity: [0.8, 0.6] }], 1000);

    expect(answer?.text).toBe('We cannot tell you your password, but we can email you a link to set a new one.');
  });

  it('still answers with a rule that says what the question says: a refusal, an amount, an item of a list', () => {
    const cash = composeAnswer('Can I pay cash on delivery?', [{ content: 'We do not accept cash on delivery, cheques or bank transfers.', heading: 'Cash on delivery', similarity: [0.95] }], 1000);
    const paypal = composeAnswer('Can I pay with PayPal?', [{ content: PAYMENTS, heading: 'Payment methods', similarity: [0.5, 0.4, 0.95, 0.3] }], 1000);
    const delivery = composeAnswer('How long does standard delivery take?', [{ content: 'Standard delivery takes three to five working days.', heading: 'Delivery', similarity: [0.95] }], 1000);

    expect(cash?.text).toBe('We do not accept cash on delivery, cheques or bank transfers.');
    expect(paypal?.text).toContain('- PayPal');
    expect(delivery?.text).toBe('Standard delivery takes three to five working days.');
  });
});
