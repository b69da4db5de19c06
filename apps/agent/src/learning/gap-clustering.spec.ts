import { createEmbeddingProvider } from '@cs/ai';
import { GapClusterer, grow, nearestGap, unit } from './gap-clustering';

describe('knowledge gaps grouped by meaning, one question at a time', () => {
  it('puts the four ways of asking for bicycles in one gap and a payment question in another (USE-lite)', async () => {
    const questions = ['do you sell bicycles?', 'do you sell bicycles?', 'do you sell bikes', 'Do you have bicycles in stock?', 'can I pay with bitcoin?', 'do you ship to Mars?'];
    const vectors = await createEmbeddingProvider({ EMBEDDINGS_PROVIDER: 'use-lite' }).embed(questions);
    const clusterer = new GapClusterer();
    const gaps = vectors.map((v, i) => clusterer.add(i, v));
    expect(new Set(gaps.slice(0, 4)).size).toBe(1);
    expect(gaps[4]).not.toBe(gaps[0]);
    expect(gaps[5]).not.toBe(gaps[0]);
    expect(clusterer.gaps.find((g) => g.id === gaps[0])?.members).toEqual([0, 1, 2, 3]);
  }, 60_000);

  it('keeps the centroid the direction of the sum of its questions, without reading them again', () => {
    const first = grow(undefined, [2, 0]);
    expect(first.centroid).toEqual([1, 0]);
    const second = grow(first.sum, [0, 5]);
    expect(second.sum).toEqual([1, 1]);
    expect(second.centroid[0]).toBeCloseTo(Math.SQRT1_2);
    expect(second.centroid[1]).toBeCloseTo(Math.SQRT1_2);
  });

  it('joins the nearest gap only above the threshold, and ignores centroids of another size', () => {
    const gaps = [
      { id: 'a', centroid: unit([1, 0]) },
      { id: 'b', centroid: unit([0.6, 0.8]) },
      { id: 'c', centroid: [1, 0, 0] },
    ];
    expect(nearestGap([0.7, 0.7], gaps)?.gap.id).toBe('b');
    expect(nearestGap([0, 1], gaps, 0.9)).toBeUndefined();
    expect(nearestGap([0, 1], gaps, 0.5)?.gap.id).toBe('b');
  });
});
