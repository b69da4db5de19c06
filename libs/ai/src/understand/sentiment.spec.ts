import { analyzeSentiment } from './sentiment';

describe('analyzeSentiment', () => {
  it('reads a thankful message as positive and not angry', () => {
    const s = analyzeSentiment('Thank you so much, that was really helpful!');
    expect(s.label).toBe('positive');
    expect(s.angry).toBe(false);
  });

  it('reads a plain question as neutral', () => {
    expect(analyzeSentiment('How long does delivery to Canada take?').label).toBe('neutral');
  });

  it('flips a negated word: "not happy" is negative, "not bad" is not', () => {
    expect(analyzeSentiment('I am not happy with this').label).toBe('negative');
    expect(analyzeSentiment('not bad at all').score).toBeGreaterThan(0);
  });

  it('flags an angry customer', () => {
    expect(analyzeSentiment('This is absolutely unacceptable, worst service ever!!!').angry).toBe(true);
    expect(analyzeSentiment('I am FURIOUS, you people are a SCAM').angry).toBe(true);
  });

  it('does not flag mild disappointment as anger', () => {
    const s = analyzeSentiment('The parcel is a bit late, a little disappointing');
    expect(s.label).toBe('negative');
    expect(s.angry).toBe(false);
  });

  it('counts intensifiers: "really bad" is worse than "bad"', () => {
    expect(analyzeSentiment('the box was really bad').score).toBeLessThan(analyzeSentiment('the box was bad').score);
  });
});
