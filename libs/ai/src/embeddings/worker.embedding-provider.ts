import { existsSync } from 'fs';
import { join } from 'path';
import { Worker } from 'worker_threads';
import type { EmbeddingProvider } from './embedding-provider';

interface Waiting {
  resolve: (vectors: Float32Array[]) => void;
  reject: (err: Error) => void;
}

/**
 * A local sentence model run on a worker thread. USE-lite's WASM graph runs a batch without
 * yielding (tens to hundreds of ms for a batch of questions), so on the main thread every other
 * conversation's database reply, bus message and HTTP request waits behind it; on its own thread it
 * runs beside them, and on a machine of two cores or more, at the same time. One thread per model
 * configuration per process, started on the first call; a thread that dies fails the calls it held
 * and is started again on the next.
 */
export class WorkerEmbeddingProvider implements EmbeddingProvider {
  private static readonly file = join(__dirname, 'embedding.worker.js');
  readonly id: string;
  readonly dimensions: number;
  private worker?: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  /** `model` names the vector space (id, dimensions); `config` is what the thread builds it from. */
  constructor(
    model: Pick<EmbeddingProvider, 'id' | 'dimensions'>,
    private readonly config: object,
  ) {
    this.id = model.id;
    this.dimensions = model.dimensions;
  }

  /** False where the compiled worker is not there (specs run from TypeScript sources). */
  static isAvailable(): boolean {
    return existsSync(WorkerEmbeddingProvider.file);
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return Promise.resolve([]);
    const worker = this.thread();
    const id = this.nextId++;
    return new Promise<Float32Array[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.ref(); // a call in progress keeps the process alive; an idle thread does not
      worker.postMessage({ id, texts });
    });
  }

  /** Stops the thread (calls in progress fail). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WorkerEmbeddingProvider.file, { workerData: this.config });
    worker.unref();
    worker.on('message', (answer: { id: number; vectors?: Float32Array[]; error?: string }) => {
      const waiting = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      if (this.waiting.size === 0) worker.unref();
      if (!waiting) return;
      if (answer.vectors) waiting.resolve(answer.vectors);
      else waiting.reject(new Error(answer.error ?? `${this.id}: no vectors`));
    });
    const fail = (err: Error) => {
      if (this.worker !== undefined && this.worker !== worker) return; // an older thread's late exit
      this.worker = undefined;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`${this.id}: embedding thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
