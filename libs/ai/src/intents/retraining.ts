import type { IntentClassifier, IntentExample } from './intent-classifier';

/**
 * Retraining a tenant's intent model from its own outcomes (issue 18): relabels and confirmed
 * resolutions become examples; a share of them, fixed per message (@cs/persistence
 * training-examples.ts), is held out and never trained on, and a new model replaces the one in use only
 * if it is no worse on that slice (judgeRetraining).
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

/** A model's held-out accuracy on the examples staff labelled, and on those customers confirmed (null: none held out). */
export interface HeldOutScores {
  staff: number | null;
  confirmed: number | null;
}

/**
 * How far the retrained model may fall on the confirmed examples while it gains on the staff-labelled
 * ones. A confirmed example carries the label the model in use gave it, so that model is right on
 * those by construction and a fair model always looks a little worse there; they only guard
 * against the new model forgetting what worked (on BANKING77 in `npm run eval -- --only retrain` a
 * retrained model better on fresh questions lost a few points on them).
 */
export const FORGETTING_LIMIT = 0.1;

/**
 * The promotion rule. Staff labels are the only unbiased judge: with staff-labelled examples held
 * out, the new model must be right on them at least as often as the model in use, and may not fall
 * more than FORGETTING_LIMIT on the confirmed ones. With confirmed examples only, it must be no
 * worse on those.
 */
export function judgeRetraining(previous: HeldOutScores, next: HeldOutScores): RetrainingJudgement {
  if (previous.staff !== null && next.staff !== null) {
    const staff = `staff-labelled held-out examples ${pct(next.staff)} against ${pct(previous.staff)}`;
    if (next.staff < previous.staff) return { promote: false, reason: `worse on the ${staff}` };
    if (previous.confirmed !== null && next.confirmed !== null && next.confirmed < previous.confirmed - FORGETTING_LIMIT) {
      return { promote: false, reason: `worse on the confirmed held-out examples (${pct(next.confirmed)} against ${pct(previous.confirmed)}) by more than ${pct(FORGETTING_LIMIT)}` };
    }
    const confirmed = next.confirmed === null || previous.confirmed === null ? '' : `; confirmed ${pct(next.confirmed)} against ${pct(previous.confirmed)}`;
    return { promote: true, reason: `no worse on the ${staff}${confirmed}` };
  }
  if (previous.confirmed === null || next.confirmed === null) return { promote: false, reason: 'no held-out examples to judge it on yet' };
  const confirmed = `(${pct(next.confirmed)} against ${pct(previous.confirmed)})`;
  if (next.confirmed >= previous.confirmed) return { promote: true, reason: `no worse on the held-out examples ${confirmed}` };
  return { promote: false, reason: `worse on the held-out examples ${confirmed}` };
}

/** The figure a retraining is shown with: the staff-labelled slice when there is one, else the confirmed one. */
export function judgingAccuracy(scores: HeldOutScores): number | null {
  return scores.staff ?? scores.confirmed;
}

function pct(n: number): string {
  return `${Math.round(n * 1000) / 10}%`;
}
