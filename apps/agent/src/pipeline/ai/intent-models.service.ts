import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AgentEnv } from '@cs/config';
import {
  BACKGROUND_OFF_TOPIC,
  BUILTIN_INTENTS,
  BUILTIN_OUT_OF_SCOPE_EXAMPLES,
  IntentClassifier,
  trainBuiltinIntentClassifier,
  type CachedEmbeddingProvider,
  type IntentExample,
  type SerializedIntentClassifier,
} from '@cs/ai';
import type { TenantIntent } from '@cs/knowledge';
import { EMBEDDINGS, embeddingConfig } from './embeddings.provider';

/** How long a message may wait for its tenant's intent model while it trains. */
const DEFAULT_MAX_WAIT_MS = 20_000;

/**
 * How a model's out-of-scope threshold is chosen: against our background set of off-topic customer
 * messages and against the model's own intents, a share of them left out of each probe (a new
 * tenant writes no off-topic examples, and the built-in ones were written against the built-in
 * intents only), for the built-in model as for a tenant's. Measured in test/eval: `newtenant` (the
 * agent's model) and `policy` (the built-in model).
 */
export type IntentCalibration = 'builtin' | 'background' | 'unseen-intents';
const CALIBRATION: IntentCalibration = 'unseen-intents';

/**
 * A promoted retraining of a tenant's model (issue 18): examples learned from relabels and confirmed
 * resolutions, added to the tenant's own. `version` names them (an `intent_model_versions` row,
 * whose examples never change), so the model key hashes the id, not hundreds of sentences per message.
 */
export interface LearnedExamples {
  version: string;
  examples: IntentExample[];
}

/**
 * The intent models: the built-in e-commerce intents, plus one model per distinct set of tenant
 * intents (`settings.intents`). Training takes a few seconds, so models are kept in memory and on
 * disk keyed by a hash of their training data: a restart, or a second process, loads instead of
 * training. The built-in model starts training at boot; a message waits for its model only while
 * that model is training (see `forTurn`).
 */
@Injectable()
export class IntentModels implements OnApplicationBootstrap {
  private readonly logger = new Logger(IntentModels.name);
  private readonly models = new Map<string, Promise<IntentClassifier>>();
  private readonly ready = new Map<string, IntentClassifier>();
  /** Which key each loaded model was trained under: what the tenant's stored calibration names. */
  private readonly keys = new WeakMap<IntentClassifier, string>();
  private builtinHash?: string;
  /** Where trained models are kept between starts; a model is a pure function of its examples. */
  private readonly cacheDir: string;

  constructor(
    @Inject(EMBEDDINGS) private readonly embeddings: CachedEmbeddingProvider,
    @Inject(APP_CONFIG) private readonly env: AgentEnv,
  ) {
    this.cacheDir = env.INTENT_MODEL_CACHE_DIR ?? path.join(os.tmpdir(), 'cs-agent-cache', 'intent-models');
  }

  onApplicationBootstrap(): void {
    // Load the embedding model and the built-in intent model now, not on the first customer's time.
    void this.forTenant(undefined)
      .then((model) => model.classify('hello'))
      .catch((err: Error) => this.logger.error(`intent model: ${err.message}`));
  }

  /**
   * The model to classify a message with. Its own model when the tenant has one trained; while it
   * trains (seconds, on a worker thread, once per machine and set of intents) the message waits for
   * it, up to `maxWaitMs`: answering with a model that does not know the tenant's intents, or with
   * none, can turn an off-topic question into a confident wrong answer. Past the wait, the built-in
   * model (or none) decides, and the wait is logged.
   */
  async forTurn(intents: TenantIntent[] | undefined, maxWaitMs = DEFAULT_MAX_WAIT_MS, learned?: LearnedExamples): Promise<IntentClassifier | undefined> {
    const own = this.ready.get(this.keyOf(intents, learned));
    if (own) return own;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), maxWaitMs)));
    const trained = await Promise.race([this.forTenant(intents, learned).catch(() => undefined), timedOut]);
    clearTimeout(timer);
    if (trained) return trained;
    this.logger.warn(`intent model not ready after ${maxWaitMs} ms: answering with the built-in model`);
    return this.ready.get(this.keyOf(undefined));
  }

  /** The model for a tenant's own intents (none: the built-in model) and its learned examples, trained if need be. */
  forTenant(intents: TenantIntent[] | undefined, learned?: LearnedExamples): Promise<IntentClassifier> {
    const key = this.keyOf(intents, learned);
    let model = this.models.get(key);
    if (!model) {
      model = this.loadOrTrain(key, examplesOf(intents, learned), CALIBRATION);
      model
        .then((m) => {
          this.ready.set(key, m);
          this.keys.set(m, key);
        })
        .catch(() => this.models.delete(key));
      this.models.set(key, model);
    }
    return model;
  }

  /** The key the model for these intents is trained under. */
  keyFor(intents: TenantIntent[] | undefined, learned?: LearnedExamples): string {
    return this.keyOf(intents, learned);
  }

  /** Drops a model from memory (a retraining that was not promoted); its cached file stays. */
  forget(intents: TenantIntent[] | undefined, learned: LearnedExamples): void {
    const key = this.keyOf(intents, learned);
    this.models.delete(key);
    this.ready.delete(key);
  }

  /** The key a loaded model was trained under (it names the model in the tenant's stored calibration). */
  keyOfModel(model: IntentClassifier): string | undefined {
    return this.keys.get(model);
  }

  /** Runs on every message: the built-in examples (~50 kB) and the background are hashed once, the tenant's few each time. */
  private keyOf(intents: TenantIntent[] | undefined, learned?: LearnedExamples): string {
    // Every model is calibrated on the background: a new background set is a new model.
    this.builtinHash ??= createHash('sha256').update(JSON.stringify([this.embeddings.id, BUILTIN_INTENTS, BUILTIN_OUT_OF_SCOPE_EXAMPLES, CALIBRATION, BACKGROUND_OFF_TOPIC])).digest('hex');
    if (!intents?.length && !learned) return this.builtinHash.slice(0, 24);
    const hash = createHash('sha256').update(this.builtinHash).update(JSON.stringify(examplesOf(intents)));
    if (learned) hash.update(`learned:${learned.version}`);
    return hash.digest('hex').slice(0, 24);
  }

  private async loadOrTrain(key: string, extra: { text: string; intent: string }[], calibration: IntentCalibration): Promise<IntentClassifier> {
    const file = path.join(this.cacheDir, `${key}.json`);
    try {
      const stored = JSON.parse(await fs.promises.readFile(file, 'utf8')) as SerializedIntentClassifier;
      return IntentClassifier.deserialize(stored, this.embeddings);
    } catch {
      // Not trained yet (or unreadable): train below.
    }
    const started = Date.now();
    const trained = await this.trainInWorker(extra, calibration);
    const model = trained
      ? IntentClassifier.deserialize(trained, this.embeddings)
      : await trainBuiltinIntentClassifier({ embeddings: this.embeddings, extraExamples: extra, calibration });
    this.logger.log(`trained the intent model ${key} (${extra.length} tenant examples${trained ? ', in a worker thread' : ''}) in ${Date.now() - started} ms`);
    try {
      await fs.promises.mkdir(this.cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.promises.writeFile(tmp, JSON.stringify(model.serialize()));
      await fs.promises.rename(tmp, file);
    } catch (err) {
      this.logger.warn(`could not cache the intent model: ${(err as Error).message}`);
    }
    return model;
  }

  /**
   * Training on a worker thread, so the conversations this process handles meanwhile are not
   * stalled. Null where the compiled worker is not there (specs run from TypeScript sources): the
   * caller then trains in-process.
   */
  private trainInWorker(extra: { text: string; intent: string }[], calibration: IntentCalibration): Promise<SerializedIntentClassifier | null> {
    const file = path.join(__dirname, 'intent-training.worker.js');
    if (!fs.existsSync(file)) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const worker = new Worker(file, { workerData: { config: embeddingConfig(this.env), extra, calibration } });
      worker.once('message', (answer: { ok: boolean; model?: SerializedIntentClassifier; error?: string }) => {
        worker.terminate().catch((err: Error) => this.logger.warn(`intent training worker did not stop: ${err.message}`));
        if (answer.ok && answer.model) resolve(answer.model);
        else reject(new Error(`intent training failed: ${answer.error ?? 'no model'}`));
      });
      worker.once('error', reject);
      worker.once('exit', (code) => {
        if (code !== 0) reject(new Error(`intent training worker exited with ${code}`));
      });
    });
  }
}

function examplesOf(intents: TenantIntent[] | undefined, learned?: LearnedExamples): { text: string; intent: string }[] {
  const own = (intents ?? []).flatMap((i) => i.examples.map((text) => ({ text, intent: i.name })));
  if (!learned) return own;
  // A learned example names an intent that still exists (the tenant may have deleted one since).
  const known = new Set([...BUILTIN_INTENTS.map((i) => i.name), ...(intents ?? []).map((i) => i.name)]);
  return [...own, ...learned.examples.filter((e) => known.has(e.intent))];
}
