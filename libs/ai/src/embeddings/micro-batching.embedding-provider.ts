import type { EmbeddingProvider } from './embedding-provider';

export interface MicroBatchOptions {
  /**
   * How long the first text of an idle batch waits for others (ms). Default 0: until the end of
   * this turn of the event loop (the messages a bus fetch or a group commit released together).
   */
  windowMs?: number;
  /** Most texts sent to the model in one call. Default 32. */
  maxBatch?: number;
  /** Calls to the model running at once. Default 1 (a local model runs one batch at a time anyway). */
  maxInFlight?: number;
}

interface Waiting {
  texts: string[];
  resolve: (vectors: Float32Array[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Embeds the texts of concurrent callers together: one question per message, many messages at
 * once, and a sentence model pays much less per sentence in a batch (USE-lite: ~9 ms batched,
 * ~14 ms alone). Texts wait at most `windowMs` (default: the rest of the event loop's turn) when
 * the model is idle; while it is busy, what
 * arrives meanwhile goes in the next call, so under load batches form without any timer. A
 * caller's texts never straddle two calls unless they alone exceed `maxBatch`; a failed call
 * fails only the callers whose texts it carried.
 */
export class MicroBatchingEmbeddingProvider implements EmbeddingProvider {
  readonly id: string;
  readonly dimensions: number;
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly queue: Waiting[] = [];
  private inFlight = 0;
  /** The flush waiting for the window to close, if any. */
  private scheduled?: { cancel(): void };
  /** Model calls made and texts sent, for specs and metrics. */
  readonly stats = { calls: 0, texts: 0 };

  constructor(
    private readonly inner: EmbeddingProvider,
    opts: MicroBatchOptions = {},
  ) {
    this.id = inner.id;
    this.dimensions = inner.dimensions;
    this.windowMs = Math.max(0, opts.windowMs ?? 0);
    this.maxBatch = Math.max(1, opts.maxBatch ?? 32);
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 1);
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return Promise.resolve([]);
    // A big call (training, an article's chunks) is a batch already: straight to the model.
    if (texts.length >= this.maxBatch) return this.call(texts);
    return new Promise((resolve, reject) => {
      this.queue.push({ texts, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight >= this.maxInFlight || this.scheduled) return;
    if (this.queued() >= this.maxBatch) return this.flush();
    if (this.windowMs > 0) {
      const timer = setTimeout(() => this.flush(), this.windowMs);
      this.scheduled = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(() => this.flush());
      this.scheduled = { cancel: () => clearImmediate(immediate) };
    }
  }

  private queued(): number {
    return this.queue.reduce((n, w) => n + w.texts.length, 0);
  }

  private flush(): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch: Waiting[] = [];
      let size = 0;
      while (this.queue.length > 0 && (batch.length === 0 || size + this.queue[0].texts.length <= this.maxBatch)) {
        const next = this.queue.shift() as Waiting;
        batch.push(next);
        size += next.texts.length;
      }
      this.run(batch).catch(() => undefined); // run() settles every caller itself
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const vectors = await this.call(batch.flatMap((w) => w.texts));
      let at = 0;
      for (const w of batch) {
        w.resolve(vectors.slice(at, at + w.texts.length));
        at += w.texts.length;
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }

  private async call(texts: string[]): Promise<Float32Array[]> {
    this.inFlight++;
    this.stats.calls++;
    this.stats.texts += texts.length;
    try {
      const vectors = await this.inner.embed(texts);
      if (vectors.length !== texts.length) throw new Error(`${this.id}: ${texts.length} texts gave ${vectors.length} vectors`);
      return vectors;
    } finally {
      this.inFlight--;
      // What arrived while the model was busy goes now, without waiting for a window.
      if (this.queue.length > 0 && !this.scheduled) this.flush();
    }
  }
}
