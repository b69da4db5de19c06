import type { IntentExample } from '@cs/ai';

/**
 * The plain baseline anyone would write first: TF-IDF over lowercased word 1-2-grams and a
 * multinomial logistic regression trained by SGD, nothing else (no embeddings, no character
 * n-grams). It is here to show what our classifier and its threshold must at least beat.
 */
export class TfidfSoftmaxBaseline {
  private constructor(
    private readonly vocab: Map<string, number>,
    private readonly idf: Float32Array,
    private readonly weights: Float32Array[],
    private readonly bias: Float32Array,
    readonly intents: string[],
  ) {}

  static train(examples: IntentExample[], epochs = 30, learningRate = 0.5, l2 = 1e-4): TfidfSoftmaxBaseline {
    const intents = [...new Set(examples.map((e) => e.intent))].sort();
    const vocab = new Map<string, number>();
    const df: number[] = [];
    for (const e of examples) {
      for (const t of new Set(terms(e.text))) {
        if (!vocab.has(t)) vocab.set(t, vocab.size);
        const i = vocab.get(t)!;
        df[i] = (df[i] ?? 0) + 1;
      }
    }
    const idf = Float32Array.from(df, (d) => Math.log((1 + examples.length) / (1 + d)) + 1);
    const model = new TfidfSoftmaxBaseline(vocab, idf, intents.map(() => new Float32Array(vocab.size)), new Float32Array(intents.length), intents);
    const rows = examples.map((e) => ({ x: model.features(e.text), y: intents.indexOf(e.intent) }));
    // A fixed shuffled order (deterministic): a multiplicative hash of the index.
    const order = rows.map((_, i) => i).sort((a, b) => ((a * 2654435761) % 4294967296) - ((b * 2654435761) % 4294967296));
    for (let epoch = 0; epoch < epochs; epoch++) {
      const lr = learningRate / (1 + epoch * 0.2);
      for (const i of order) {
        const { x, y } = rows[i];
        const p = model.probabilities(x);
        for (let c = 0; c < intents.length; c++) {
          const g = p[c] - (c === y ? 1 : 0);
          const w = model.weights[c];
          for (const [j, v] of x) w[j] -= lr * (g * v + l2 * w[j]);
          model.bias[c] -= lr * g;
        }
      }
    }
    return model;
  }

  /** The best intent and its probability. */
  classify(text: string): { intent: string; score: number } {
    const p = this.probabilities(this.features(text));
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return { intent: this.intents[best], score: p[best] };
  }

  private features(text: string): [number, number][] {
    const counts = new Map<number, number>();
    for (const t of terms(text)) {
      const i = this.vocab.get(t);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const x = [...counts].map(([i, n]) => [i, n * this.idf[i]] as [number, number]);
    const norm = Math.sqrt(x.reduce((s, [, v]) => s + v * v, 0)) || 1;
    return x.map(([i, v]) => [i, v / norm]);
  }

  private probabilities(x: [number, number][]): Float32Array {
    const z = Float32Array.from(this.bias);
    for (let c = 0; c < z.length; c++) for (const [j, v] of x) z[c] += this.weights[c][j] * v;
    const max = Math.max(...z);
    let sum = 0;
    for (let c = 0; c < z.length; c++) sum += z[c] = Math.exp(z[c] - max);
    for (let c = 0; c < z.length; c++) z[c] /= sum;
    return z;
  }
}

function terms(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  return [...words, ...words.slice(1).map((w, i) => `${words[i]} ${w}`)];
}
