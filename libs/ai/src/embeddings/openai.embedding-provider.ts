import OpenAI from 'openai';
import { chunked, type EmbeddingProvider } from './embedding-provider';

export interface OpenAiEmbeddingOptions {
  apiKey: string;
  /** Any OpenAI-compatible endpoint (Azure, Ollama, vLLM...). Default: api.openai.com. */
  baseURL?: string;
  model?: string;
  /** Needed when the model is not one of the known OpenAI models, or to shorten text-embedding-3 vectors. */
  dimensions?: number;
  batchSize?: number;
  timeoutMs?: number;
}

const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** Embeddings from an OpenAI-compatible `/embeddings` endpoint through the official SDK. */
export class OpenAiEmbeddingProvider implements EmbeddingProvider {
  readonly id: string;
  readonly dimensions: number;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly requestDimensions?: number;
  private readonly batchSize: number;

  constructor(options: OpenAiEmbeddingOptions) {
    this.model = options.model ?? 'text-embedding-3-small';
    const dimensions = options.dimensions ?? KNOWN_DIMENSIONS[this.model];
    if (!dimensions) throw new Error(`OpenAiEmbeddingProvider: set dimensions for the unknown model "${this.model}"`);
    this.dimensions = dimensions;
    // Only text-embedding-3 accepts `dimensions`; other servers reject the field.
    this.requestDimensions = options.dimensions && this.model.startsWith('text-embedding-3') ? options.dimensions : undefined;
    this.id = `openai:${this.model}:${dimensions}`;
    this.batchSize = options.batchSize ?? 128;
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs ?? 30_000, maxRetries: 2 });
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const batch of chunked(texts, this.batchSize)) {
      const response = await this.client.embeddings.create({
        model: this.model,
        input: batch.map((t) => (t.trim() ? t : ' ')),
        encoding_format: 'float',
        ...(this.requestDimensions ? { dimensions: this.requestDimensions } : {}),
      });
      // The API may return items out of order; `index` is authoritative.
      const vectors = new Array<Float32Array>(batch.length);
      for (const item of response.data) vectors[item.index] = Float32Array.from(item.embedding);
      for (let i = 0; i < batch.length; i++) {
        const v = vectors[i];
        if (!v || v.length !== this.dimensions) {
          throw new Error(`OpenAiEmbeddingProvider: expected ${this.dimensions} dimensions, got ${v?.length ?? 'nothing'}`);
        }
        out.push(v);
      }
    }
    return out;
  }
}
