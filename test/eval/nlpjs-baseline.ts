import type { IntentExample } from '@cs/ai';

/** The slice of @nlpjs/nlp we use (the package ships no types). */
interface NlpJs {
  addLanguage(locale: string): void;
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<unknown>;
  process(locale: string, utterance: string): Promise<{ intent: string; score: number; classifications?: { intent: string; score: number }[] }>;
}
type NlpConstructor = new (settings: Record<string, unknown>) => NlpJs;

export interface BaselinePrediction {
  intent: string;
  score: number;
}

/**
 * nlp.js trained on the same split, as the comparison everybody can reproduce. Its own threshold
 * is switched off (0) so that ours and theirs get the out-of-scope threshold by the same rule.
 */
export class NlpJsBaseline {
  private constructor(private readonly nlp: NlpJs) {}

  static async train(examples: IntentExample[]): Promise<NlpJsBaseline> {
    const { Nlp } = require('@nlpjs/nlp') as { Nlp: NlpConstructor };
    const nlp = new Nlp({ languages: ['en'], autoSave: false, autoLoad: false, threshold: 0, nlu: { log: false }, calculateSentiment: false });
    for (const e of examples) nlp.addDocument('en', e.text, e.intent);
    await nlp.train();
    return new NlpJsBaseline(nlp);
  }

  async classify(text: string): Promise<BaselinePrediction> {
    const out = await this.nlp.process('en', text);
    // "None" with threshold 0 means no feature matched at all.
    return { intent: out.intent, score: out.intent === 'None' ? 0 : out.score };
  }
}
