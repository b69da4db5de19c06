import type { IntentClassifier, IntentPrediction } from '../intents/intent-classifier';
import { extractEntities, type Entity } from './entities';
import { detectLanguage, type LanguageGuess } from './language';
import { analyzeSentiment, type Sentiment } from './sentiment';

export interface MessageUnderstanding {
  language: LanguageGuess;
  entities: Entity[];
  sentiment: Sentiment;
  /** Null when no classifier was given. */
  intent: IntentPrediction | null;
  timingsMs: { intent: number; rest: number };
}

/** Everything the decide step needs from one customer message, in one call. */
export async function understandMessage(
  text: string,
  options: { classifier?: IntentClassifier; now?: Date; dayFirst?: boolean } = {},
): Promise<MessageUnderstanding> {
  const started = performance.now();
  const language = detectLanguage(text);
  const entities = extractEntities(text, { now: options.now, dayFirst: options.dayFirst });
  const sentiment = analyzeSentiment(text);
  const rest = performance.now() - started;
  const intent = options.classifier ? await options.classifier.classify(text) : null;
  return { language, entities, sentiment, intent, timingsMs: { intent: performance.now() - started - rest, rest } };
}
