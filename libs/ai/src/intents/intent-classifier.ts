import type { EmbeddingProvider } from '../embeddings/embedding-provider';
import { chooseThreshold, type ScoredValidation, type ThresholdChoice, type ThresholdRule } from './oos-threshold';
import { SoftmaxRegression, softmaxInPlace, type FeatureRow, type SoftmaxState } from './softmax-regression';
import { LexicalVectorizer, type LexicalVectorizerState } from './text-features';

export interface IntentExample {
  text: string;
  intent: string;
}

export interface IntentPrediction {
  /** The best in-scope intent, or null when the message is out of scope. */
  intent: string | null;
  /** Probability of the best in-scope intent (0..1), whether or not it was accepted. */
  score: number;
  /**
   * What the out-of-scope threshold is compared with: the best in-scope intent's probability at the
   * model's calibrated softmax temperature (equal to `score` at temperature 1).
   */
  confidence: number;
  outOfScope: boolean;
  /** Top in-scope intents, best first (at most 5). */
  ranking: { intent: string; score: number }[];
}

export interface IntentTrainOptions {
  /** Labelled in-scope messages held out from training; used to choose the threshold. */
  validation?: IntentExample[];
  oos?: {
    /** Off-topic messages to learn as their own class. */
    train?: string[];
    /** Off-topic messages for choosing the threshold. */
    validation?: string[];
  } & ThresholdRule;
  /** Sentence embeddings; null trains on lexical features only (no model to load). */
  embeddings: EmbeddingProvider | null;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Weight of the embedding block relative to the word and char blocks (each of norm 1). */
  embeddingWeight?: number;
  wordWeight?: number;
  charWeight?: number;
  onProgress?: (message: string) => void;
}

export interface SerializedIntentClassifier {
  version: 1;
  embeddingProviderId: string | null;
  embeddingWeight: number;
  intents: string[];
  oosClass: boolean;
  threshold: number;
  thresholdChoice: ThresholdChoice | null;
  vectorizer: LexicalVectorizerState;
  model: SoftmaxState;
}

const OOS_CLASS = '__out_of_scope__';

/**
 * Intent classification with out-of-scope rejection: softmax regression over
 * [sentence embedding ‖ TF-IDF word 1-2-grams ‖ TF-IDF char 3-5-grams]. Trains in seconds on CPU.
 * The threshold comes from validation data (see oos-threshold.ts); with none, it is 0 and only
 * the model's own out-of-scope class (if trained with off-topic examples) rejects.
 */
export class IntentClassifier {
  private constructor(
    private readonly embeddings: EmbeddingProvider | null,
    private readonly embeddingWeight: number,
    readonly intents: string[],
    private readonly oosClass: boolean,
    private readonly vectorizer: LexicalVectorizer,
    private readonly model: SoftmaxRegression,
    private thresholdValue: number,
    private choice: ThresholdChoice | null,
  ) {}

  get threshold(): number {
    return this.thresholdValue;
  }

  get thresholdChoice(): ThresholdChoice | null {
    return this.choice;
  }

  static async train(examples: IntentExample[], options: IntentTrainOptions): Promise<IntentClassifier> {
    if (examples.length === 0) throw new Error('IntentClassifier.train: no examples');
    const log = options.onProgress ?? (() => undefined);
    const intents = [...new Set(examples.map((e) => e.intent))].sort();
    const oosTrain = options.oos?.train ?? [];
    const classes = oosTrain.length ? [...intents, OOS_CLASS] : intents;
    const classIndex = new Map(classes.map((c, i) => [c, i]));
    const texts = [...examples.map((e) => e.text), ...oosTrain];
    const labels = Int32Array.from([...examples.map((e) => classIndex.get(e.intent)!), ...oosTrain.map(() => classIndex.get(OOS_CLASS)!)]);

    const vectorizer = LexicalVectorizer.fit(texts, options.wordWeight ?? 1, options.charWeight ?? 1);
    const embeddingWeight = options.embeddingWeight ?? 1.5;
    log(`embedding ${texts.length} training messages`);
    const rows = await buildRows(texts, vectorizer, options.embeddings, embeddingWeight);
    log(`training softmax regression: ${classes.length} classes, ${vectorizer.size} lexical + ${rows[0].dense.length} dense features`);
    const model = SoftmaxRegression.train(rows, labels, classes.length, vectorizer.size, {
      epochs: options.epochs,
      learningRate: options.learningRate,
      l2: options.l2,
      balanced: true,
      onEpoch: (epoch, loss) => log(`epoch ${epoch + 1}: loss ${loss.toFixed(4)}`),
    });
    const classifier = new IntentClassifier(options.embeddings, embeddingWeight, intents, oosTrain.length > 0, vectorizer, model, 0, null);
    if (options.validation?.length) {
      log(`choosing the out-of-scope threshold on ${options.validation.length} + ${options.oos?.validation?.length ?? 0} validation messages`);
      await classifier.calibrate(options.validation, options.oos?.validation ?? [], options.oos ?? {});
    }
    return classifier;
  }

  static deserialize(data: SerializedIntentClassifier, embeddings: EmbeddingProvider | null): IntentClassifier {
    if (data.embeddingProviderId !== (embeddings?.id ?? null)) {
      throw new Error(`IntentClassifier: trained with embeddings "${data.embeddingProviderId}", given "${embeddings?.id ?? null}"`);
    }
    return new IntentClassifier(
      embeddings,
      data.embeddingWeight,
      data.intents,
      data.oosClass,
      LexicalVectorizer.restore(data.vectorizer),
      SoftmaxRegression.restore(data.model),
      data.threshold,
      data.thresholdChoice,
    );
  }

  serialize(): SerializedIntentClassifier {
    return {
      version: 1,
      embeddingProviderId: this.embeddings?.id ?? null,
      embeddingWeight: this.embeddingWeight,
      intents: this.intents,
      oosClass: this.oosClass,
      threshold: this.thresholdValue,
      thresholdChoice: this.choice,
      vectorizer: this.vectorizer.state(),
      model: this.model.state(),
    };
  }

  /** The softmax temperature `confidence` is read at (the threshold's scale). */
  get temperature(): number {
    return this.choice?.temperature ?? 1;
  }

  /** Use a threshold chosen elsewhere (e.g. on a probe model trained on a subset), on its temperature's scale. */
  setThreshold(choice: ThresholdChoice): void {
    this.choice = choice;
    this.thresholdValue = choice.threshold;
  }

  /** Re-choose the threshold on new validation data (e.g. a tenant's own labelled messages). */
  async calibrate(inScope: IntentExample[], oos: string[], rule: ThresholdRule = {}): Promise<ThresholdChoice> {
    const choice = chooseThreshold(...(await this.scoreValidation(inScope, oos.map((text) => ({ text })), 1)), rule);
    this.setThreshold(choice);
    return choice;
  }

  /**
   * How this model scores validation messages at a temperature, for choosing a threshold: in-scope
   * ones (right or wrong top intent) and off-topic ones (with the group each stands for).
   */
  async scoreValidation(inScope: IntentExample[], oos: { text: string; group?: string }[], temperature: number): Promise<[ScoredValidation[], ScoredValidation[]]> {
    const predictions = await this.classifyMany([...inScope.map((e) => e.text), ...oos.map((o) => o.text)], 0, temperature);
    const scored = (p: IntentPrediction, expected: string | null): ScoredValidation => ({
      score: p.confidence,
      predictedOos: p.outOfScope,
      correct: expected !== null && p.ranking[0]?.intent === expected,
    });
    return [
      inScope.map((e, i) => scored(predictions[i], e.intent)),
      oos.map((o, i) => ({ ...scored(predictions[inScope.length + i], null), ...(o.group ? { group: o.group } : {}) })),
    ];
  }

  async classify(text: string): Promise<IntentPrediction> {
    return (await this.classifyMany([text]))[0];
  }

  /** Classify in one embedding batch (much faster per message than one call each). */
  async classifyMany(texts: string[], threshold = this.thresholdValue, temperature = this.temperature): Promise<IntentPrediction[]> {
    const rows = await buildRows(texts, this.vectorizer, this.embeddings, this.embeddingWeight);
    return rows.map((row) => this.decide(this.model.logitsOf(row), threshold, temperature));
  }

  private decide(logits: Float32Array, threshold: number, temperature: number): IntentPrediction {
    const n = this.intents.length;
    const probs = softmaxInPlace(Float32Array.from(logits));
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probs[b] - probs[a]);
    const ranking = order.slice(0, 5).map((i) => ({ intent: this.intents[i], score: probs[i] }));
    const top = ranking[0];
    const oosWins = this.oosClass && probs[n] > top.score;
    let confidence = top.score;
    if (temperature !== 1) {
      for (let c = 0; c < logits.length; c++) logits[c] /= temperature;
      confidence = softmaxInPlace(logits)[order[0]];
    }
    const outOfScope = oosWins || confidence < threshold;
    return { intent: outOfScope ? null : top.intent, score: top.score, confidence, outOfScope, ranking };
  }
}

async function buildRows(
  texts: string[],
  vectorizer: LexicalVectorizer,
  embeddings: EmbeddingProvider | null,
  weight: number,
): Promise<FeatureRow[]> {
  const vectors = embeddings ? await embeddings.embed(texts) : [];
  return texts.map((text, i) => {
    let dense = new Float32Array(0);
    if (embeddings) {
      const v = vectors[i];
      let norm = 0;
      for (let j = 0; j < v.length; j++) norm += v[j] * v[j];
      const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
      dense = new Float32Array(v.length);
      for (let j = 0; j < v.length; j++) dense[j] = v[j] * scale;
    }
    return { dense, sparse: vectorizer.transform(text) };
  });
}
