import type { IntentClassifier } from '@cs/ai';

/**
 * What the console shows about a tenant's intent model (`tenants.settings.intentCalibration`,
 * read by `GET /api/v1/intents`): the out-of-scope threshold the agent uses and the validation
 * figures it was chosen on. The agent writes it; the gateway only reads it.
 */
export interface IntentCalibrationRecord {
  /** The trained model's key (a hash of its examples and calibration set). */
  model: string;
  /** The tenant's own intents in the model (0: the built-in model alone). */
  tenantIntents: number;
  /** A message whose best intent scores under this is out of scope. */
  threshold: number;
  /** What the threshold is compared with: the best intent's probability at this softmax temperature. */
  temperature: number;
  /** How the threshold was chosen. */
  rule: string;
  /** What it was chosen on. */
  calibratedOn: string;
  /** On the held-out validation messages, with the threshold applied. */
  inScopeAccuracy: number;
  oosRecall: number | null;
  /** OOS recall per kind of off-topic message it was chosen on (the shop's own intents left out in turn, the background set). */
  oosRecallByKind: Record<string, number> | null;
  validation: { inScope: number; outOfScope: number } | null;
  recordedAt: string;
}

export function calibrationRecord(model: IntentClassifier, key: string, tenantIntents: number): IntentCalibrationRecord {
  const choice = model.thresholdChoice;
  return {
    model: key,
    tenantIntents,
    threshold: round(model.threshold),
    temperature: model.temperature,
    rule: choice?.rule ?? 'no validation data: threshold 0',
    calibratedOn: tenantIntents
      ? "every 5th example of each intent (the shop's and the built-in ones) held out as in scope; as out of scope, each intent's examples while a probe is trained without it (a quarter of the intents at a time), the built-in off-topic examples' held-out half, and our background set of off-topic customer messages (those close to the shop's examples left out)"
      : "every 5th example of each built-in intent held out as in scope; as out of scope, each intent's examples while a probe is trained without it (a quarter of the intents at a time), the built-in off-topic examples' held-out half, and our background set of off-topic customer messages",
    inScopeAccuracy: round(choice?.inScopeAccuracy ?? 0),
    oosRecall: choice?.oosRecall === null || choice?.oosRecall === undefined ? null : round(choice.oosRecall),
    oosRecallByKind: choice?.oosRecallByGroup ? Object.fromEntries(Object.entries(choice.oosRecallByGroup).map(([kind, recall]) => [kind, round(recall)])) : null,
    validation: choice?.validation ?? null,
    recordedAt: new Date().toISOString(),
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
