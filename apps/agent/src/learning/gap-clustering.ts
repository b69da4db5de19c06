import { cosineSimilarity } from '@cs/ai';

/**
 * How close (cosine, USE-lite) a question must be to a gap's centroid to join it; under it, the
 * question opens a gap of its own. Questions of one CLINC150 intent have a median pairwise cosine
 * of 0.64 and two different intents' a 95th percentile of 0.45; a centroid sits closer to its
 * members than they sit to each other. `npm run eval -- --only gaps` measures purity and coverage.
 */
export const GAP_SIMILARITY = 0.55;

export interface GapCentroid {
  id: string;
  centroid: ArrayLike<number>;
}

/** The gap whose centroid is closest to `vector`, when it is at least `threshold` close. */
export function nearestGap<G extends GapCentroid>(vector: ArrayLike<number>, gaps: G[], threshold = GAP_SIMILARITY): { gap: G; similarity: number } | undefined {
  let best: { gap: G; similarity: number } | undefined;
  for (const gap of gaps) {
    if (gap.centroid.length !== vector.length) continue;
    const similarity = cosineSimilarity(vector, gap.centroid);
    if (!best || similarity > best.similarity) best = { gap, similarity };
  }
  return best && best.similarity >= threshold ? best : undefined;
}

/**
 * A `real[]` column read as text (`centroid::text`): V8's JSON parser reads the numbers many times
 * faster than the driver's array parser, which mattered once a tenant has hundreds of gaps and every
 * unanswered question reads all their centroids.
 */
export function parseRealArray(text: string): number[] {
  const inner = text.trim().slice(1, -1);
  if (!inner) return [];
  try {
    return JSON.parse(`[${inner}]`) as number[];
  } catch {
    // NaN or Infinity (not JSON): slower, and the same numbers.
    return inner.split(',').map(Number);
  }
}

export function unit(vector: ArrayLike<number>): number[] {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
  norm = Math.sqrt(norm) || 1;
  return Array.from(vector, (x) => x / norm);
}

/**
 * One more question in a gap: the running sum of unit vectors and its direction, the centroid.
 * The other questions are never read again, so a gap of a thousand grows as cheaply as one of two.
 */
export function grow(sum: ArrayLike<number> | undefined, vector: ArrayLike<number>): { sum: number[]; centroid: number[] } {
  const u = unit(vector);
  const next = sum && sum.length === u.length ? u.map((x, i) => x + sum[i]) : u;
  return { sum: next, centroid: unit(next) };
}

/**
 * Incremental clustering in memory, the same rule the agent applies one question at a time (the
 * eval's simulation and the unit spec use it; the agent keeps its gaps in PostgreSQL).
 */
export class GapClusterer {
  readonly gaps: { id: string; centroid: number[]; sum: number[]; members: number[] }[] = [];

  constructor(private readonly threshold = GAP_SIMILARITY) {}

  add(index: number, vector: ArrayLike<number>): string {
    const near = nearestGap(vector, this.gaps, this.threshold);
    if (near) {
      const grown = grow(near.gap.sum, vector);
      Object.assign(near.gap, grown);
      near.gap.members.push(index);
      return near.gap.id;
    }
    const grown = grow(undefined, vector);
    const gap = { id: `g${this.gaps.length + 1}`, ...grown, members: [index] };
    this.gaps.push(gap);
    return gap.id;
  }
}
