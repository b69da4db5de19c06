import type { EmbeddingProvider } from '../embeddings/embedding-provider';
import { IntentClassifier, type IntentExample } from './intent-classifier';
import { chooseThreshold, holdOutPerIntent, type ScoredValidation, type ThresholdChoice } from './oos-threshold';

/**
 * Choosing the out-of-scope threshold of a model for which nobody wrote an out-of-scope example.
 *
 * What such a model meets comes in two kinds: messages about something else entirely ("will it snow
 * on saturday") and messages about the business that none of its intents covers ("can I pay in
 * instalments" to a shop whose intents are orders and returns). Our background set stands for the
 * first. For the second, the tenant's own intents stand in: each fold leaves a share of the intents
 * out of a probe model, and their examples are what the probe must turn away; the intents it kept
 * give it every 5th example held out as in-scope validation. The threshold is the one with the best
 * mean of in-scope accuracy and OOS recall, recall being the mean over the two kinds, so neither the
 * near nor the far kind decides alone.
 *
 * The score is the top in-scope probability at softmax temperature 2: it separates in-scope from
 * out-of-scope messages better than the plain probability (AUROC on the new-tenant eval, CLINC150
 * 0.954 against 0.941, BANKING77 0.901 against 0.890), since a model sure of one intent among a few
 * near neighbours is told apart from one merely less unsure.
 *
 * Measured in test/eval (`--only newtenant`, test/eval/README.md): with the background alone the
 * threshold rejects the far kind and too little of the near one (BANKING77 OOS recall 0.52); with
 * the left-out intents alone it rejects too much on CLINC150, whose out-of-scope messages are mostly
 * far.
 */
export const UNSEEN_INTENT_TEMPERATURE = 2;
const FOLDS = 4;
const HOLD_OUT_EVERY = 5;

export const UNSEEN_INTENTS_GROUP = "the shop's own intents, left out in turn";
export const BACKGROUND_GROUP = 'background off-topic messages';

export interface UnseenIntentCalibrationOptions {
  embeddings: EmbeddingProvider | null;
  /** Off-topic messages (the background set, those close to the examples already left out). */
  background: string[];
  /** Off-topic messages the model learns as its own class (the built-in model's), if any. */
  oosTrain?: string[];
  folds?: number;
  temperature?: number;
  onProgress?: (message: string) => void;
}

export async function calibrateOnUnseenIntents(examples: IntentExample[], options: UnseenIntentCalibrationOptions): Promise<ThresholdChoice> {
  const intents = [...new Set(examples.map((e) => e.intent))].sort();
  const temperature = options.temperature ?? UNSEEN_INTENT_TEMPERATURE;
  // A probe must keep at least two intents to have anything to choose between: with three, one is left out at a time.
  const folds = intents.length >= 3 ? Math.min(options.folds ?? FOLDS, intents.length) : 1;
  const background = options.background.map((text) => ({ text, group: BACKGROUND_GROUP }));
  const inScope: ScoredValidation[] = [];
  const oos: ScoredValidation[] = [];
  const { train, validation } = holdOutPerIntent(examples, HOLD_OUT_EVERY);
  if (folds < 2) {
    // One or two intents: none can be left out; the background alone.
    const probe = await IntentClassifier.train(train, { embeddings: options.embeddings, oos: { train: options.oosTrain } });
    const [i, o] = await probe.scoreValidation(validation, background, temperature);
    return describe(chooseThreshold(i, o, { balanced: true }), temperature, 'our background set of off-topic messages (too few intents to leave some out)');
  }
  for (let fold = 0; fold < folds; fold++) {
    const left = new Set(intents.filter((_, i) => i % folds === fold));
    options.onProgress?.(`calibration fold ${fold + 1}/${folds}: ${left.size} intents left out`);
    const probe = await IntentClassifier.train(
      train.filter((e) => !left.has(e.intent)),
      { embeddings: options.embeddings, oos: { train: options.oosTrain } },
    );
    const unseen = examples.filter((e) => left.has(e.intent)).map((e) => ({ text: e.text, group: UNSEEN_INTENTS_GROUP }));
    const [i, o] = await probe.scoreValidation(validation.filter((e) => !left.has(e.intent)), [...unseen, ...background], temperature);
    inScope.push(...i);
    oos.push(...o);
  }
  return describe(chooseThreshold(inScope, oos, { balanced: true }), temperature, `${folds} probes, each with a ${folds}th of the intents left out`);
}

function describe(choice: ThresholdChoice, temperature: number, how: string): ThresholdChoice {
  return { ...choice, temperature, rule: `max mean of in-scope accuracy and OOS recall (mean over kinds of off-topic message), top probability at temperature ${temperature}; ${how}` };
}
