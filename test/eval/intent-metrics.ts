/** The standard intent table: in-scope accuracy, out-of-scope recall / precision, macro-F1. */

export interface LabelledPrediction {
  /** Gold intent, or null for an out-of-scope message. */
  expected: string | null;
  /** Predicted intent, or null when rejected as out of scope. */
  predicted: string | null;
}

export interface IntentMetrics {
  inScopeAccuracy: number;
  oosRecall: number | null;
  oosPrecision: number | null;
  macroF1: number;
  n: number;
}

const OOS = '\u0000oos';

export function intentMetrics(rows: LabelledPrediction[]): IntentMetrics {
  const inScope = rows.filter((r) => r.expected !== null);
  const oos = rows.filter((r) => r.expected === null);
  const rejected = rows.filter((r) => r.predicted === null);
  const labels = new Set<string>();
  for (const r of rows) {
    labels.add(r.expected ?? OOS);
    labels.add(r.predicted ?? OOS);
  }
  let f1Sum = 0;
  let f1Count = 0;
  for (const label of labels) {
    // Out-of-scope is a class of its own only when the data has out-of-scope messages.
    if (label === OOS && oos.length === 0) continue;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const r of rows) {
      const e = r.expected ?? OOS;
      const p = r.predicted ?? OOS;
      if (e === label && p === label) tp++;
      else if (p === label) fp++;
      else if (e === label) fn++;
    }
    f1Sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    f1Count++;
  }
  return {
    inScopeAccuracy: inScope.length ? inScope.filter((r) => r.predicted === r.expected).length / inScope.length : 0,
    oosRecall: oos.length ? oos.filter((r) => r.predicted === null).length / oos.length : null,
    oosPrecision: oos.length ? (rejected.length ? rejected.filter((r) => r.expected === null).length / rejected.length : 0) : null,
    macroF1: f1Count ? f1Sum / f1Count : 0,
    n: rows.length,
  };
}

export function percentile(sortedAscending: number[], p: number): number {
  if (!sortedAscending.length) return 0;
  const i = Math.min(sortedAscending.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAscending.length) - 1));
  return sortedAscending[i];
}
