import { parentPort, workerData } from 'worker_threads';
import { createEmbeddingProvider, trainBuiltinIntentClassifier, type EmbeddingConfig } from '@cs/ai';

/**
 * Trains an intent model off the main thread: embedding a few hundred examples and the SGD epochs
 * take seconds of CPU that would otherwise stall every conversation the process is handling.
 * Answers with the serialized model (the main thread loads it with its own embedding provider).
 */
interface TrainingJob {
  config: EmbeddingConfig;
  extra: { text: string; intent: string }[];
  calibration: 'builtin' | 'background' | 'unseen-intents';
}

async function train(job: TrainingJob): Promise<unknown> {
  const model = await trainBuiltinIntentClassifier({ embeddings: createEmbeddingProvider(job.config), extraExamples: job.extra, calibration: job.calibration });
  return model.serialize();
}

train(workerData as TrainingJob).then(
  (model) => parentPort?.postMessage({ ok: true, model }),
  (err: Error) => parentPort?.postMessage({ ok: false, error: err.message }),
);
