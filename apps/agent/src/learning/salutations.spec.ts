import { withoutSalutations } from './salutations';

describe('a person’s reply as an article’s answer', () => {
  it('drops the greeting and the closing of the letter', () => {
    expect(withoutSalutations('Hi Ada, yes: we sell city bikes. Every bicycle is delivered assembled. Best, Tom')).toBe('yes: we sell city bikes. Every bicycle is delivered assembled.');
    expect(withoutSalutations('Hello! We ship to Norway.\n\nKind regards,\nTom Baker')).toBe('We ship to Norway.');
  });

  it('keeps a sentence that only starts with a closing word', () => {
    expect(withoutSalutations('Thanks for asking: returns are free within 30 days.')).toBe('Thanks for asking: returns are free within 30 days.');
  });
});
