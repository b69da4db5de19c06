import { calibrateCosine } from './hybrid-search';

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
