import type { IntentClassifier, IntentExample } from './intent-classifier';

/**
 * Retraining a tenant's intent model from its own outcomes (issue 18): relabels and confirmed
 * resolutions become examples; a share of them, fixed per message (@cs/persistence
 * training-examples.ts), is held out and never trained on, and a new model replaces the one in use only if it is no worse on that slice.
 */

/** The share of examples whose accepted intent (out of scope counts as wrong) is their label; null without examples. */
export async function heldOutAccuracy(model: IntentClassifier, examples: IntentExample[]): Promise<number | null> {
  if (!examples.length) return null;
  const predictions = await model.classifyMany(examples.map((e) => e.text));
  return predictions.filter((p, i) => p.intent === examples[i].intent).length / examples.length;
}

export interface RetrainingJudgement {
  promote: boolean;
  reason: string;
}

/** A new model is promoted when the held-out slice can judge it and it is right at least as often as the model in use. */
export function judgeRetraining(previousAccuracy: number | null, newAccuracy: number | null): RetrainingJudgement {
  if (previousAccuracy === null || newAccuracy === null) return { promote: false, reason: 'no held-out examples to judge it on yet' };
  if (newAccuracy >= previousAccuracy) return { promote: true, reason: `no worse on the held-out examples (${pct(newAccuracy)} against ${pct(previousAccuracy)})` };
  return { promote: false, reason: `worse on the held-out examples (${pct(newAccuracy)} against ${pct(previousAccuracy)})` };
}

function pct(n: number): string {
  return `${Math.round(n * 1000) / 10}%`;
}
