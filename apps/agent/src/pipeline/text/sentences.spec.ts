import { withoutPreamble } from './sentences';

describe('withoutPreamble', () => {
  it.each([
    ['One more question: how do returns work?', 'how do returns work?'],
    ['Quick question - can I pay by invoice?', 'can I pay by invoice?'],
    ['Hi, I have a question, where is my parcel?', 'where is my parcel?'],
    ['Hello! Another question: do you ship to Norway?', 'do you ship to Norway?'],
  ])('takes the preamble off %j', (text, question) => {
    expect(withoutPreamble(text)).toBe(question);
  });

  it.each(['One more question:', 'I have a question about my order', 'Which question do customers ask most?'])('keeps %j as it is', (text) => {
    expect(withoutPreamble(text)).toBe(text);
  });
});
