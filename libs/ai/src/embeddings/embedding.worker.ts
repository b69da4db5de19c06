import { parentPort, workerData } from 'worker_threads';
import type { EmbeddingConfig } from './embedding-provider.factory';
import { createModelProvider } from './embedding-provider.factory';

/**
 * A local sentence model on its own thread (see WorkerEmbeddingProvider): one request at a time,
 * vectors sent back without copying.
 */
const provider = createModelProvider(workerData as EmbeddingConfig);

parentPort?.on('message', (request: { id: number; texts: string[] }) => {
  provider.embed(request.texts).then(
    (vectors) => {
      // Each vector owns its buffer only when it spans it whole; otherwise copy, then transfer.
      const own = vectors.map((v) => (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v : Float32Array.from(v)));
      parentPort?.postMessage({ id: request.id, vectors: own }, own.map((v) => v.buffer as ArrayBuffer));
    },
    (err: Error) => parentPort?.postMessage({ id: request.id, error: err.message }),
  );
});
