import { CachedEmbeddingProvider } from '../embeddings/embedding-cache';
import type { EmbeddingProvider } from '../embeddings/embedding-provider';
import { BUILTIN_INTENTS, BUILTIN_OUT_OF_SCOPE_EXAMPLES, type BuiltinIntent } from './builtin-intents.data';
import { IntentClassifier, type IntentExample } from './intent-classifier';
import { holdOutPerIntent, type ThresholdRule } from './oos-threshold';
import { BACKGROUND_OFF_TOPIC } from './background-off-topic.data';
import { backgroundFor } from './tenant-intent-classifier';
import { calibrateOnUnseenIntents } from './unseen-intent-calibration';

export interface BuiltinTrainOptions {
  embeddings: EmbeddingProvider | null;
  /** A tenant's own intents by example, learned beside the built-in ones. */
  extraExamples?: IntentExample[];
  /** Extra off-topic messages from the tenant. */
  extraOutOfScope?: string[];
  /** How the threshold is chosen on the held-out examples (see oos-threshold.ts). */
  rule?: ThresholdRule;
  /**
   * `background`: judge the threshold also against our background set of off-topic customer
   * messages (`BACKGROUND_OFF_TOPIC`, those close to the tenant's own examples left out) and take
   * the best mean of in-scope accuracy and OOS recall, as `trainTenantIntentClassifier` does. For a
   * tenant's own intents: the built-in off-topic examples were written against the built-in intents,
   * and say nothing about how far a tenant's intents reach. `unseen-intents`: against the background
   * and the model's own intents, a share of them left out of each of four probes
   * (`calibrateOnUnseenIntents`), so the threshold also turns away messages about the business that
   * no intent covers. Default `builtin` (the accuracy budget).
   */
  calibration?: 'builtin' | 'background' | 'unseen-intents';
  /** The background set for `calibration: 'background'` or `'unseen-intents'` (default: ours). */
  background?: string[];
}

export function builtinIntentExamples(): IntentExample[] {
  return BUILTIN_INTENTS.flatMap((intent) => intent.examples.map((text) => ({ text, intent: intent.name })));
}

/**
 * The built-in (plus tenant) intent model. The threshold is chosen the honest way: train on 80% of
 * the examples per intent and half the off-topic ones, choose the threshold on the rest, then train
 * the final model on everything and keep that threshold (the final model has seen more data, so it
 * is, if anything, more confident than the one the threshold was chosen on).
 */
export async function trainBuiltinIntentClassifier(options: BuiltinTrainOptions): Promise<IntentClassifier> {
  const examples = [...builtinIntentExamples(), ...(options.extraExamples ?? [])];
  const oos = [...BUILTIN_OUT_OF_SCOPE_EXAMPLES, ...(options.extraOutOfScope ?? [])];
  const { train, validation } = holdOutPerIntent(examples, 5);
  const oosTrain = oos.filter((_, i) => i % 2 === 0);
  const oosValidation = oos.filter((_, i) => i % 2 === 1);
  // Both trainings embed the same sentences: embed them once.
  const embeddings = options.embeddings && !(options.embeddings instanceof CachedEmbeddingProvider) ? new CachedEmbeddingProvider(options.embeddings) : options.embeddings;
  if (options.calibration === 'unseen-intents' && !options.rule) {
    const background = [...oosValidation, ...(await backgroundFor(examples, options.background ?? BACKGROUND_OFF_TOPIC, embeddings))];
    const choice = await calibrateOnUnseenIntents(examples, { embeddings, background, oosTrain });
    const final = await IntentClassifier.train(examples, { embeddings, oos: { train: oos } });
    final.setThreshold(choice);
    return final;
  }
  const onBackground = options.calibration === 'background';
  const rule = options.rule ?? (onBackground ? { balanced: true } : {});
  // The background is judged, never learned: learned, it is a class that catches itself and little else.
  if (onBackground) oosValidation.push(...(await backgroundFor(examples, options.background ?? BACKGROUND_OFF_TOPIC, embeddings)));

  const probe = await IntentClassifier.train(train, {
    embeddings,
    validation,
    oos: { train: oosTrain, validation: oosValidation, ...rule },
  });
  // The final model keeps the in-memory cache: a repeated message ("hi", "thanks") is not re-embedded.
  const final = await IntentClassifier.train(examples, { embeddings, oos: { train: oos } });
  if (probe.thresholdChoice) final.setThreshold(probe.thresholdChoice);
  return final;
}

/** What the decide step should do with a built-in intent; undefined for a tenant's own intent. */
export function builtinIntentKind(intent: string | null): BuiltinIntent['kind'] | undefined {
  return BUILTIN_INTENTS.find((i) => i.name === intent)?.kind;
}
