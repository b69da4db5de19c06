import Module, { createRequire } from 'module';
import { existsSync } from 'fs';
import { join } from 'path';
import type { EmbeddingProvider } from './embedding-provider';

export interface TransformersEmbeddingOptions {
  /** Folder holding `<model>/config.json`, `tokenizer.json`, `onnx/model(_quantized).onnx`. */
  modelsDir: string;
  /** Model folder name under modelsDir, e.g. `Xenova/all-MiniLM-L6-v2` or `bge-small-en-v1.5`. */
  model: string;
  dimensions: number;
  /** Use `onnx/model_quantized.onnx` (default) or `onnx/model.onnx`. */
  quantized?: boolean;
  pooling?: 'mean' | 'cls';
  batchSize?: number;
}

interface FeatureTensor {
  data: Float32Array;
  dims: number[];
}
type Extractor = (texts: string[], options: { pooling: 'mean' | 'cls'; normalize: boolean }) => Promise<FeatureTensor>;
/**
 * @xenova/transformers is ESM-only; Node >= 20.19 can require() ESM. Jest replaces `require` (and
 * createRequire) with a loader that cannot, so when that fails we call Node's own loader directly.
 */
function loadTransformers(): TransformersModule {
  const path = createRequire(__filename).resolve('@xenova/transformers');
  try {
    return createRequire(__filename)(path) as TransformersModule;
  } catch (error) {
    // The error comes from another realm (the runner's VM context): compare by name, not instanceof.
    if ((error as Error).name !== 'SyntaxError') throw error;
    const nodeLoader = Module as unknown as { _load(request: string, parent: null, isMain: boolean): unknown };
    return nodeLoader._load(path, null, false) as TransformersModule;
  }
}

interface TransformersModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string; useFSCache: boolean };
  pipeline(task: 'feature-extraction', model: string, options: { quantized: boolean }): Promise<Extractor>;
}

/**
 * Sentence embeddings from a transformers.js model (MiniLM, bge...) in a local MODELS_DIR, never
 * downloaded: remote models are switched off before the first load.
 */
export class TransformersEmbeddingProvider implements EmbeddingProvider {
  readonly id: string;
  readonly dimensions: number;
  private extractor?: Promise<Extractor>;

  constructor(private readonly options: TransformersEmbeddingOptions) {
    this.id = `transformers:${options.model}`;
    this.dimensions = options.dimensions;
  }

  /** True when the model folder exists, so callers can fall back to USE-lite without trying. */
  static isAvailable(modelsDir: string | undefined, model: string): boolean {
    return !!modelsDir && existsSync(join(modelsDir, model, 'config.json'));
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const extract = await this.load();
    const out: Float32Array[] = [];
    const size = this.options.batchSize ?? 32;
    for (let i = 0; i < texts.length; i += size) {
      const batch = texts.slice(i, i + size).map((t) => (t.trim() ? t : ' '));
      const tensor = await extract(batch, { pooling: this.options.pooling ?? 'mean', normalize: true });
      const dims = tensor.dims[tensor.dims.length - 1];
      if (dims !== this.dimensions) throw new Error(`${this.id}: expected ${this.dimensions} dimensions, got ${dims}`);
      for (let r = 0; r < batch.length; r++) out.push(tensor.data.slice(r * dims, (r + 1) * dims));
    }
    return out;
  }

  private load(): Promise<Extractor> {
    if (!this.extractor) {
      const transformers = loadTransformers();
      transformers.env.allowRemoteModels = false;
      transformers.env.allowLocalModels = true;
      transformers.env.useFSCache = false;
      transformers.env.localModelPath = this.options.modelsDir.endsWith('/') ? this.options.modelsDir : `${this.options.modelsDir}/`;
      this.extractor = transformers.pipeline('feature-extraction', this.options.model, { quantized: this.options.quantized ?? true });
      this.extractor.catch(() => (this.extractor = undefined));
    }
    return this.extractor;
  }
}
