/**
 * Choosing the out-of-scope threshold on validation data. A prediction is rejected when its top
 * in-scope probability is below the threshold (or the model's own "out of scope" class wins).
 *
 * Default rule — an accuracy budget: the highest threshold whose in-scope accuracy on validation
 * (a rejected in-scope message counts as wrong) is at most `maxInScopeAccuracyDrop` (default 0.02)
 * below the accuracy with no threshold. It rejects as much as the budget allows, and it rests on
 * the in-scope validation set, which is large and like real traffic; off-topic validation sets are
 * small and unlike each other (CLINC150: 100 in val, 1000 different ones in test), so a recall
 * target set on them does not carry (0.70 on val gave 0.52 on test). Their recall is reported.
 *
 * With `targetOosRecall` set (and off-topic validation messages): among thresholds whose OOS
 * recall on validation reaches the target, the one with the best in-scope accuracy; if none
 * reaches it, the best mean of the two.
 *
 * Thresholds never carry across data sets or tenants: each is chosen on its own validation data.
 */

export interface ScoredValidation {
  /** Top in-scope probability. */
  score: number;
  /** The model's out-of-scope class won outright. */
  predictedOos: boolean;
  /** For in-scope messages: the top intent is the right one. */
  correct: boolean;
  /**
   * For out-of-scope messages: what kind of off-topic message it stands for (e.g. one of the
   * tenant's own intents left out of the model, or our background set). With groups, OOS recall is
   * the mean of the groups' recalls, so a large group does not drown a small one.
   */
  group?: string;
}

export interface ThresholdRule {
  maxInScopeAccuracyDrop?: number;
  targetOosRecall?: number;
  /**
   * With off-topic validation messages: the threshold with the best mean of in-scope accuracy and
   * OOS recall (balanced accuracy), for a tenant whose off-topic messages are our background set.
   */
  balanced?: boolean;
}

export interface ThresholdChoice {
  threshold: number;
  rule: string;
  /** On validation, with the threshold applied. */
  inScopeAccuracy: number;
  oosRecall: number | null;
  /** How many validation messages the figures are on (absent on models trained before it was kept). */
  validation?: { inScope: number; outOfScope: number };
  /** OOS recall on validation per group of off-topic messages, when they came in groups. */
  oosRecallByGroup?: Record<string, number>;
  /**
   * The softmax temperature of the score the threshold applies to (the top in-scope probability of
   * logits / temperature); absent means 1. A threshold is only meaningful on its own scale.
   */
  temperature?: number;
}

export function chooseThreshold(inScope: ScoredValidation[], oos: ScoredValidation[], rule: ThresholdRule = {}): ThresholdChoice {
  const choice = choose(inScope, oos, rule);
  const groups = groupsOf(oos);
  const byGroup = groups.size > 1 ? Object.fromEntries([...groups].map(([g, items]) => [g, recallOf(items, choice.threshold) ?? 0])) : undefined;
  return { ...choice, validation: { inScope: inScope.length, outOfScope: oos.length }, ...(byGroup ? { oosRecallByGroup: byGroup } : {}) };
}

function groupsOf(oos: ScoredValidation[]): Map<string, ScoredValidation[]> {
  const groups = new Map<string, ScoredValidation[]>();
  for (const v of oos) groups.set(v.group ?? '', [...(groups.get(v.group ?? '') ?? []), v]);
  return groups;
}

function recallOf(oos: ScoredValidation[], t: number): number | null {
  return oos.length ? oos.filter((v) => v.predictedOos || v.score < t).length / oos.length : null;
}

function choose(inScope: ScoredValidation[], oos: ScoredValidation[], rule: ThresholdRule): ThresholdChoice {
  const candidates = [0, ...new Set([...inScope, ...oos].map((v) => v.score))].sort((a, b) => a - b);
  const accuracyAt = (t: number) =>
    inScope.length ? inScope.filter((v) => v.correct && !v.predictedOos && v.score >= t).length / inScope.length : 0;
  const groups = [...groupsOf(oos).values()];
  // The mean of the groups' recalls (one group: plain recall).
  const recallAt = (t: number) => (oos.length ? groups.reduce((sum, g) => sum + (recallOf(g, t) ?? 0), 0) / groups.length : null);

  if (rule.targetOosRecall !== undefined && oos.length) {
    const target = rule.targetOosRecall;
    let best: ThresholdChoice | undefined;
    let fallback: ThresholdChoice | undefined;
    for (const t of candidates) {
      const acc = accuracyAt(t);
      const recall = recallAt(t) ?? 0;
      if (recall >= target && (!best || acc > best.inScopeAccuracy)) {
        best = { threshold: t, rule: `max in-scope accuracy with OOS recall >= ${target}`, inScopeAccuracy: acc, oosRecall: recall };
      }
      if (!fallback || (acc + recall) / 2 > (fallback.inScopeAccuracy + (fallback.oosRecall ?? 0)) / 2) {
        fallback = { threshold: t, rule: `OOS recall ${target} unreachable: max mean of in-scope accuracy and OOS recall`, inScopeAccuracy: acc, oosRecall: recall };
      }
    }
    return best ?? fallback!;
  }

  if (rule.balanced && oos.length) {
    let best: ThresholdChoice | undefined;
    for (const t of candidates) {
      const acc = accuracyAt(t);
      const recall = recallAt(t) ?? 0;
      if (!best || (acc + recall) / 2 > (best.inScopeAccuracy + (best.oosRecall ?? 0)) / 2 + 1e-12) {
        best = { threshold: t, rule: 'max mean of in-scope accuracy and OOS recall', inScopeAccuracy: acc, oosRecall: recall };
      }
    }
    return best!;
  }

  const drop = rule.maxInScopeAccuracyDrop ?? 0.02;
  const floor = accuracyAt(0) - drop;
  let threshold = 0;
  // Accuracy only falls as the threshold rises: walk up until the budget is spent.
  for (const t of candidates) {
    if (accuracyAt(t) < floor - 1e-12) break;
    threshold = t;
  }
  return { threshold, rule: `highest threshold within ${drop} of in-scope validation accuracy`, inScopeAccuracy: accuracyAt(threshold), oosRecall: recallAt(threshold) };
}

/**
 * Hold out every `every`-th example of each intent as validation, for data with no validation split
 * of its own (a tenant's examples, BANKING77): each intent keeps the same share in both halves.
 */
export function holdOutPerIntent<E extends { intent: string }>(examples: E[], every: number): { train: E[]; validation: E[] } {
  const seen = new Map<string, number>();
  const train: E[] = [];
  const validation: E[] = [];
  for (const e of examples) {
    const n = (seen.get(e.intent) ?? 0) + 1;
    seen.set(e.intent, n);
    (n % every === 0 ? validation : train).push(e);
  }
  return { train, validation };
}
