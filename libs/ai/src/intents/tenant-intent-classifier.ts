import { CachedEmbeddingProvider } from '../embeddings/embedding-cache';
import type { EmbeddingProvider } from '../embeddings/embedding-provider';
import { cosineSimilarity } from '../embeddings/embedding-provider';
import { BACKGROUND_OFF_TOPIC } from './background-off-topic.data';
import { IntentClassifier, type IntentExample } from './intent-classifier';
import { holdOutPerIntent, type ThresholdChoice, type ThresholdRule } from './oos-threshold';
import { calibrateOnUnseenIntents } from './unseen-intent-calibration';

export interface TenantTrainOptions {
  embeddings: EmbeddingProvider | null;
  /** Off-topic messages that stand in for the ones the tenant has not seen yet (default: ours). */
  background?: string[];
  /**
   * Also learn the background as an "out of scope" class. Off by default: measured on the new-tenant
   * regime (test/eval), the class catches the background and little else, and the threshold it leaves
   * (0 on BANKING77) rejects almost none of the unseen intents (balanced accuracy 0.45 against 0.69).
   */
  oosClass?: boolean;
  /** An explicit threshold rule on one probe instead of the default calibration on unseen intents and the background. */
  rule?: ThresholdRule;
  /** A background message this close (cosine) to one of the tenant's examples is on topic for it. */
  nearExample?: number;
}

/**
 * Off-topic for one business is the trade of another: "will it snow on saturday" is background for a
 * shop and an intent for a weather assistant. A background message that reads like one of the
 * tenant's own examples is left out of its background.
 */
const NEAR_EXAMPLE = 0.65;

export async function backgroundFor(examples: IntentExample[], background: string[], embeddings: EmbeddingProvider | null, near = NEAR_EXAMPLE): Promise<string[]> {
  if (!embeddings) return background;
  const [exampleVectors, backgroundVectors] = await Promise.all([embeddings.embed(examples.map((e) => e.text)), embeddings.embed(background)]);
  return background.filter((_, i) => exampleVectors.every((v) => cosineSimilarity(v, backgroundVectors[i]) < near));
}

/**
 * A new tenant's intent model: its intents' examples and nothing it should turn away. The threshold
 * is chosen on probe models as the built-in model's is, against two stand-ins for what the tenant will
 * have to turn away: its own intents, a share of them left out of each probe, and our background set
 * of off-topic customer messages (see unseen-intent-calibration.ts). The final model is trained on all
 * the examples and keeps that threshold.
 */
export async function trainTenantIntentClassifier(examples: IntentExample[], options: TenantTrainOptions): Promise<IntentClassifier> {
  const useClass = options.oosClass ?? false;
  const embeddings = options.embeddings && !(options.embeddings instanceof CachedEmbeddingProvider) ? new CachedEmbeddingProvider(options.embeddings) : options.embeddings;
  const background = await backgroundFor(examples, options.background ?? BACKGROUND_OFF_TOPIC, embeddings, options.nearExample);
  const oosTrain = useClass ? background.filter((_, i) => i % 2 === 0) : [];
  const choice = options.rule
    ? await ruleChoice(examples, embeddings, background, oosTrain, options.rule)
    : await calibrateOnUnseenIntents(examples, { embeddings, background: useClass ? background.filter((_, i) => i % 2 === 1) : background, oosTrain });
  const final = await IntentClassifier.train(examples, { embeddings, oos: { train: useClass ? background : [] } });
  final.setThreshold(choice);
  return final;
}

/** An explicit rule (accuracy budget, recall target): one probe on 4/5 of each intent's examples, judged on the rest and half the background. */
async function ruleChoice(examples: IntentExample[], embeddings: EmbeddingProvider | null, background: string[], oosTrain: string[], rule: ThresholdRule): Promise<ThresholdChoice> {
  const { train, validation } = holdOutPerIntent(examples, 5);
  const probe = await IntentClassifier.train(train, { embeddings, validation, oos: { train: oosTrain, validation: background.filter((_, i) => i % 2 === 1), ...rule } });
  return probe.thresholdChoice as ThresholdChoice;
}
