import { chooseThreshold, type ScoredValidation } from './oos-threshold';

const inScope = (score: number, correct = true): ScoredValidation => ({ score, correct, predictedOos: false });
const oos = (score: number): ScoredValidation => ({ score, correct: false, predictedOos: false });

describe('chooseThreshold', () => {
  // 100 in-scope: 95 right with high scores, 5 wrong with low ones; off-topic scores spread low.
  const val = [
    ...Array.from({ length: 95 }, (_, i) => inScope(0.5 + i / 200)),
    ...Array.from({ length: 5 }, (_, i) => inScope(0.2 + i / 100, false)),
  ];
  const offTopic = Array.from({ length: 20 }, (_, i) => oos(0.1 + i / 40));

  it('spends at most the accuracy budget: rejects as much as costs no more than 2 points', () => {
    const choice = chooseThreshold(val, offTopic);
    expect(choice.inScopeAccuracy).toBeGreaterThanOrEqual(0.93);
    expect(choice.threshold).toBeCloseTo(0.51, 2); // two right answers (0.500, 0.505) are sacrificed
    expect(choice.oosRecall).toBe(17 / 20);
  });

  it('meets an explicit out-of-scope recall target with the best accuracy it can', () => {
    const choice = chooseThreshold(val, offTopic, { targetOosRecall: 1 });
    expect(choice.oosRecall).toBe(1);
    expect(choice.threshold).toBeGreaterThan(0.575);
  });

  it('works without any off-topic validation data', () => {
    const choice = chooseThreshold(val, []);
    expect(choice.oosRecall).toBeNull();
    expect(choice.inScopeAccuracy).toBeCloseTo(0.93, 5);
  });

  it('weighs each kind of off-topic message equally, however many of each there are, and reports each recall', () => {
    const inScopeVal = [0.9, 0.85, 0.8, 0.5].map((score) => inScope(score));
    // Many far-off messages, all low; a few near ones that score like weak in-scope messages.
    const far = Array.from({ length: 40 }, () => ({ ...oos(0.1), group: 'far' }));
    const near = [0.55, 0.6].map((score) => ({ ...oos(score), group: 'near' }));

    const choice = chooseThreshold(inScopeVal, [...far, ...near], { balanced: true });

    // Pooled, the near two are 5% of the off-topic set and 0.5 would do; as a kind of their own, 0.8 turns them away.
    expect(choice.threshold).toBe(0.8);
    expect(choice.oosRecallByGroup).toEqual({ far: 1, near: 1 });
    expect(choice.oosRecall).toBe(1);
  });
});
