import { calibrateCosine, vectorConfidence } from './hybrid-search';

describe('calibrating vector similarity to a confidence', () => {
  it('maps USE-lite cosines of off-topic questions to no confidence and of close paraphrases to full', () => {
    expect(calibrateCosine('use-lite', 0.2)).toBe(0);
    expect(calibrateCosine('use-lite', 0.7)).toBe(1);
    expect(calibrateCosine('use-lite', 0.5)).toBeGreaterThan(0.45);
    expect(calibrateCosine('use-lite', 0.38)).toBeLessThan(0.45);
  });

  it('is monotonic, so it never reorders passages of one question', () => {
    const xs = [0.1, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.9].map((c) => calibrateCosine('use-lite', c));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });
});

describe('weighing the vector signal by the passage\'s words', () => {
  it('leaves a paraphrase that shares no word with the question, in words the knowledge base never uses, its full confidence', () => {
    expect(vectorConfidence(0.7, 0, 0)).toBe(0.7);
  });

  it('takes the lift of the shared words from a passage that has some of the question\'s words when the others are unknown to the knowledge base', () => {
    // "do you offer gift wrapping?" against the gift-card article: "wrapping" is in no article.
    const sharesGift = vectorConfidence(0.6, 0.34, 0.34);
    expect(sharesGift).toBeLessThan(0.45);
    expect(sharesGift).toBeLessThan(vectorConfidence(0.6, 0, 0));
  });

  it('lowers it in proportion to the question\'s words the knowledge base has elsewhere but the passage lacks', () => {
    // "can I pay with PayPal?": both words are in the knowledge base.
    const neither = vectorConfidence(1, 0, 1);
    const paypalOnly = vectorConfidence(1, 0.6, 1);
    const both = vectorConfidence(1, 1, 1);
    expect(neither).toBeGreaterThan(0);
    expect(neither).toBeLessThan(paypalOnly);
    expect(paypalOnly).toBeLessThan(both);
    expect(both).toBe(1);
  });
});
