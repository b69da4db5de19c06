import type { SparseVector } from './text-features';

/** One training row: a dense block (sentence embedding, may be empty) and a sparse lexical block. */
export interface FeatureRow {
  dense: Float32Array;
  sparse: SparseVector;
}

export interface SoftmaxTrainOptions {
  /** Default: enough passes for ~60k steps, between 5 and 30. */
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Weight each class by n / (classes x n_class) so a rare intent is not drowned by a frequent one. */
  balanced?: boolean;
  seed?: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface SoftmaxState {
  classes: number;
  denseDim: number;
  sparseDim: number;
  dense: string;
  sparse: string;
  bias: string;
}

/** Small deterministic PRNG (mulberry32) so training is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const toBase64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const fromBase64 = (s: string) => {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

/**
 * Multinomial logistic regression trained by per-example SGD with a linearly decaying step.
 * Weights are stored feature-major ([feature][class]) so one active feature touches one contiguous
 * run of memory; updates skip classes whose gradient is negligible, which after the first epoch is
 * most of them — that is what keeps 150 classes x 15k examples in seconds.
 */
export class SoftmaxRegression {
  private constructor(
    readonly classes: number,
    readonly denseDim: number,
    readonly sparseDim: number,
    private readonly wDense: Float32Array,
    private readonly wSparse: Float32Array,
    private readonly bias: Float32Array,
  ) {}

  static train(rows: FeatureRow[], labels: Int32Array, classes: number, sparseDim: number, options: SoftmaxTrainOptions = {}): SoftmaxRegression {
    const denseDim = rows[0]?.dense.length ?? 0;
    const model = new SoftmaxRegression(
      classes,
      denseDim,
      sparseDim,
      new Float32Array(denseDim * classes),
      new Float32Array(sparseDim * classes),
      new Float32Array(classes),
    );
    // Enough passes for ~60k SGD steps: 30 over a few hundred examples, 5 over CLINC's 15k.
    const epochs = options.epochs ?? Math.min(30, Math.max(5, Math.ceil(60_000 / Math.max(1, rows.length))));
    const lr0 = options.learningRate ?? 0.5;
    const l2 = options.l2 ?? 1e-6; // chosen on CLINC150 val (1e-6: 96.2%, 1e-5: 96.1%)
    const random = rng(options.seed ?? 42);

    const counts = new Float64Array(classes);
    for (const y of labels) counts[y]++;
    const classWeight = new Float32Array(classes).fill(1);
    if (options.balanced) {
      for (let c = 0; c < classes; c++) classWeight[c] = counts[c] ? Math.min(10, rows.length / (classes * counts[c])) : 0;
    }

    const order = Int32Array.from(rows.keys());
    const probs = new Float32Array(classes);
    const grad = new Float32Array(classes);
    const active = new Int32Array(classes);
    const total = epochs * rows.length;
    let step = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      let loss = 0;
      for (const r of order) {
        const lr = lr0 * (1 - 0.95 * (step++ / total));
        const row = rows[r];
        const y = labels[r];
        model.logits(row, probs);
        softmaxInPlace(probs);
        loss -= Math.log(Math.max(probs[y], 1e-12));
        const cw = classWeight[y];
        let nActive = 0;
        for (let c = 0; c < classes; c++) {
          const g = (probs[c] - (c === y ? 1 : 0)) * cw;
          if (g > 1e-4 || g < -1e-4) {
            grad[nActive] = g;
            active[nActive++] = c;
          }
        }
        if (nActive === 0) continue;
        const decay = 1 - lr * l2;
        const { dense, sparse } = row;
        for (let j = 0; j < denseDim; j++) {
          const x = dense[j];
          if (x === 0) continue;
          const base = j * classes;
          for (let k = 0; k < nActive; k++) {
            const at = base + active[k];
            model.wDense[at] = model.wDense[at] * decay - lr * grad[k] * x;
          }
        }
        for (let s = 0; s < sparse.indices.length; s++) {
          const x = sparse.values[s];
          const base = sparse.indices[s] * classes;
          for (let k = 0; k < nActive; k++) {
            const at = base + active[k];
            model.wSparse[at] = model.wSparse[at] * decay - lr * grad[k] * x;
          }
        }
        for (let k = 0; k < nActive; k++) model.bias[active[k]] -= lr * grad[k];
      }
      options.onEpoch?.(epoch, loss / rows.length);
    }
    return model;
  }

  static restore(state: SoftmaxState): SoftmaxRegression {
    return new SoftmaxRegression(
      state.classes,
      state.denseDim,
      state.sparseDim,
      fromBase64(state.dense),
      fromBase64(state.sparse),
      fromBase64(state.bias),
    );
  }

  state(): SoftmaxState {
    return {
      classes: this.classes,
      denseDim: this.denseDim,
      sparseDim: this.sparseDim,
      dense: toBase64(this.wDense),
      sparse: toBase64(this.wSparse),
      bias: toBase64(this.bias),
    };
  }

  /** Class probabilities for one row. */
  predict(row: FeatureRow): Float32Array {
    return softmaxInPlace(this.logitsOf(row));
  }

  /** Class scores before the softmax (for probabilities at another temperature). */
  logitsOf(row: FeatureRow): Float32Array {
    const out = new Float32Array(this.classes);
    this.logits(row, out);
    return out;
  }

  private logits(row: FeatureRow, out: Float32Array): void {
    const C = this.classes;
    out.set(this.bias);
    const { dense, sparse } = row;
    for (let j = 0; j < dense.length; j++) {
      const x = dense[j];
      if (x === 0) continue;
      const base = j * C;
      for (let c = 0; c < C; c++) out[c] += this.wDense[base + c] * x;
    }
    for (let s = 0; s < sparse.indices.length; s++) {
      const x = sparse.values[s];
      const base = sparse.indices[s] * C;
      for (let c = 0; c < C; c++) out[c] += this.wSparse[base + c] * x;
    }
  }
}

export function softmaxInPlace(z: Float32Array): Float32Array {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) if (z[c] > max) max = z[c];
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp(z[c] - max);
    sum += z[c];
  }
  for (let c = 0; c < z.length; c++) z[c] /= sum;
  return z;
}
