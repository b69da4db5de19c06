import { readFileSync } from 'fs';
import { join } from 'path';
import {
  chooseThreshold,
  holdOutPerIntent,
  IntentClassifier,
  trainBuiltinIntentClassifier,
  trainTenantIntentClassifier,
  type EmbeddingProvider,
  type IntentExample,
  type ScoredValidation,
  type ThresholdRule,
} from '@cs/ai';
import { readCsvRecords } from './csv';
import { latency, sample, type SystemReport } from './intent-eval';
import { intentMetrics } from './intent-metrics';
import { NlpJsBaseline } from './nlpjs-baseline';
import { TfidfSoftmaxBaseline } from './tfidf-softmax-baseline';

/**
 * Out of scope on a new tenant: a shop writes 20-50 examples per intent and no off-topic ones, then
 * meets real traffic, much of which is about something else. CLINC150: 30 training examples per
 * intent, tested on its test set plus `oos_test`. BANKING77: a quarter of its intents (every 4th,
 * sorted by name) held out as unseen, 30 examples per remaining intent, tested on the whole test
 * set (the unseen intents' messages must be rejected). Every system gets the threshold the way a
 * new tenant's model gets it: from the tenant's own examples (every 5th held out), with no
 * off-topic message among them.
 */
export const PER_INTENT = 30;
const HOLD_OUT_EVERY = 5;

export interface NewTenantSplit {
  name: string;
  train: IntentExample[];
  test: IntentExample[];
  oosTest: string[];
}

export interface NewTenantSystem {
  balancedAccuracy: number;
  inScopeAccuracy: number;
  oosRecall: number;
  threshold: number;
  rule: string;
}

export interface NewTenantReport {
  dataset: string;
  sizes: { intents: number; train: number; testInScope: number; testOos: number };
  /** Threshold from the tenant's own examples alone (held out, no off-topic message among them). */
  ours: NewTenantSystem;
  /** trainTenantIntentClassifier with `rule: { balanced: true }`: one probe, the threshold chosen against our background set too. */
  oursBackground: NewTenantSystem;
  /** trainTenantIntentClassifier as it trains now: against the background and the tenant's own intents left out in turn. */
  oursUnseen: NewTenantSystem;
  /**
   * The model the agent trains for such a tenant (apps/agent IntentModels): the built-in intents
   * and the tenant's in one model; a message taken for a built-in intent is out of scope here.
   * `agentBefore`: its threshold against the background set (`calibration: 'background'`, the agent
   * before the unseen-intent calibration); `agent`: `calibration: 'unseen-intents'`, as the agent
   * trains it now, with its classification latency (one message at a time, nothing cached).
   */
  agentBefore: NewTenantSystem;
  agent: NewTenantSystem & { latencyMs: SystemReport['latencyMs'] };
  nlpjs: NewTenantSystem | null;
  tfidfSoftmax: NewTenantSystem;
}

function firstPerIntent(examples: IntentExample[], n: number): IntentExample[] {
  const seen = new Map<string, number>();
  return examples.filter((e) => {
    const k = (seen.get(e.intent) ?? 0) + 1;
    seen.set(e.intent, k);
    return k <= n;
  });
}

/** Every k-th item (a spread-out subsample for quick runs while iterating). */
function every<T>(items: T[], n: number | undefined): T[] {
  if (!n || n >= items.length) return items;
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)]);
}

export function clincNewTenant(dir: string, sample?: number): NewTenantSplit {
  const data = JSON.parse(readFileSync(join(dir, 'clinc150', 'data_full.json'), 'utf8')) as Record<string, [string, string][]>;
  const pairs = (rows: [string, string][]) => rows.map(([text, intent]) => ({ text, intent }));
  return {
    name: 'CLINC150 new tenant',
    train: firstPerIntent(pairs(data.train), PER_INTENT),
    test: every(pairs(data.test), sample),
    oosTest: every(data.oos_test.map(([t]) => t), sample && Math.round(sample / 4)),
  };
}

export function bankingNewTenant(dir: string, sample?: number): NewTenantSplit {
  const read = (f: string) => readCsvRecords(readFileSync(join(dir, 'banking77', f), 'utf8')).map((r) => ({ text: r.text, intent: r.category }));
  const train = read('train.csv');
  const test = read('test.csv');
  const intents = [...new Set(train.map((e) => e.intent))].sort();
  const unseen = new Set(intents.filter((_, i) => i % 4 === 3));
  return {
    name: 'BANKING77 new tenant (1/4 intents unseen)',
    train: firstPerIntent(train.filter((e) => !unseen.has(e.intent)), PER_INTENT),
    test: every(test.filter((e) => !unseen.has(e.intent)), sample),
    oosTest: every(test.filter((e) => unseen.has(e.intent)).map((e) => e.text), sample && Math.round(sample / 3)),
  };
}

function report(split: NewTenantSplit, predicted: (string | null)[], threshold: number, rule: string): NewTenantSystem {
  const expected = [...split.test.map((e) => e.intent), ...split.oosTest.map(() => null)];
  const m = intentMetrics(predicted.map((p, i) => ({ expected: expected[i], predicted: p })));
  const r = (x: number) => Math.round(x * 1000) / 1000;
  const oosRecall = m.oosRecall ?? 0;
  return { balancedAccuracy: r((m.inScopeAccuracy + oosRecall) / 2), inScopeAccuracy: r(m.inScopeAccuracy), oosRecall: r(oosRecall), threshold: r(threshold), rule };
}

/** A baseline that scores one message at a time: threshold chosen on the held-out examples by the same rule. */
async function thresholded(
  split: NewTenantSplit,
  validation: IntentExample[],
  classify: (text: string) => Promise<{ intent: string | null; score: number }>,
  classifyTest = classify,
): Promise<NewTenantSystem> {
  const val: ScoredValidation[] = [];
  for (const e of validation) {
    const p = await classify(e.text);
    val.push({ score: p.score, predictedOos: p.intent === null, correct: p.intent === e.intent });
  }
  const choice = chooseThreshold(val, []);
  const predicted: (string | null)[] = [];
  for (const text of [...split.test.map((e) => e.text), ...split.oosTest]) {
    const p = await classifyTest(text);
    predicted.push(p.intent === null || p.score < choice.threshold ? null : p.intent);
  }
  return report(split, predicted, choice.threshold, choice.rule);
}

export async function evaluateNewTenant(
  split: NewTenantSplit,
  opts: { embeddings: EmbeddingProvider; fresh: () => EmbeddingProvider; nlpjs: boolean; log: (m: string) => void },
): Promise<NewTenantReport> {
  const { log } = opts;
  const { train, validation } = holdOutPerIntent(split.train, HOLD_OUT_EVERY);
  const texts = [...split.test.map((e) => e.text), ...split.oosTest];
  log(`${split.name}: ${split.train.length} examples, ${new Set(split.train.map((e) => e.intent)).size} intents; test ${split.test.length} + ${split.oosTest.length} out of scope`);

  // Ours, as a tenant's model is trained (builtin-intent-classifier.ts): the threshold chosen on a
  // probe trained without the held-out examples, the final model trained on all of them.
  const probe = await IntentClassifier.train(train, { embeddings: opts.embeddings, validation });
  const final = await IntentClassifier.train(split.train, { embeddings: opts.embeddings });
  if (probe.thresholdChoice) final.setThreshold(probe.thresholdChoice);
  const predictions = await final.classifyMany(texts);
  const ours = report(split, predictions.map((p) => p.intent), final.threshold, final.thresholdChoice?.rule ?? 'none');
  log(`${split.name}: ours ${line(ours)}`);

  const asTenant = async (rule?: ThresholdRule): Promise<NewTenantSystem> => {
    const tenant = await trainTenantIntentClassifier(split.train, { embeddings: opts.embeddings, rule });
    const predicted = (await tenant.classifyMany(texts)).map((p) => p.intent);
    log(`${split.name}: on validation ${JSON.stringify(tenant.thresholdChoice)}`);
    return report(split, predicted, tenant.threshold, tenant.thresholdChoice?.rule ?? 'none');
  };
  const oursBackground = await asTenant({ balanced: true });
  log(`${split.name}: ours + background ${line(oursBackground)}`);
  const oursUnseen = await asTenant();
  log(`${split.name}: ours + background + unseen intents ${line(oursUnseen)}`);

  const tenantIntents = new Set(split.train.map((e) => e.intent));
  const asAgent = async (calibration: 'background' | 'unseen-intents'): Promise<{ system: NewTenantSystem; model: IntentClassifier }> => {
    const model = await trainBuiltinIntentClassifier({ embeddings: opts.embeddings, extraExamples: split.train, calibration });
    const predicted = (await model.classifyMany(texts)).map((p) => (p.intent && tenantIntents.has(p.intent) ? p.intent : null));
    log(`${split.name}: on validation ${JSON.stringify(model.thresholdChoice)}`);
    return { system: report(split, predicted, model.threshold, model.thresholdChoice?.rule ?? 'none'), model };
  };
  const agentBefore = (await asAgent('background')).system;
  log(`${split.name}: the agent's model, background ${line(agentBefore)}`);
  const trained = await asAgent('unseen-intents');
  // Latency as a message meets it: one at a time, nothing cached, through a serialized copy.
  const fresh = IntentClassifier.deserialize(trained.model.serialize(), opts.fresh());
  const agent = { ...trained.system, latencyMs: await latency(sample(texts, 200), (t) => fresh.classify(t)) };
  log(`${split.name}: the agent's model, background + unseen intents ${line(agent)} | latency p95 ${agent.latencyMs.p95} ms (CPU ${agent.latencyMs.cpuP95})`);

  // Like ours: threshold from a probe, final model on every example (nlp.js, slow to train, once).
  const tfidfProbe = TfidfSoftmaxBaseline.train(train);
  const tfidfFinal = TfidfSoftmaxBaseline.train(split.train);
  const tfidfSoftmax = await thresholded(split, validation, async (t) => tfidfProbe.classify(t), async (t) => tfidfFinal.classify(t));
  log(`${split.name}: TF-IDF softmax ${line(tfidfSoftmax)}`);

  let nlpjs: NewTenantSystem | null = null;
  if (opts.nlpjs) {
    const nlp = await NlpJsBaseline.train(train);
    nlpjs = await thresholded(split, validation, async (t) => {
      const p = await nlp.classify(t);
      return { intent: p.intent === 'None' ? null : p.intent, score: p.score };
    });
    log(`${split.name}: nlp.js ${line(nlpjs)}`);
  }
  return {
    dataset: split.name,
    sizes: { intents: new Set(split.train.map((e) => e.intent)).size, train: split.train.length, testInScope: split.test.length, testOos: split.oosTest.length },
    ours,
    oursBackground,
    oursUnseen,
    agentBefore,
    agent,
    nlpjs,
    tfidfSoftmax,
  };
}

export function line(s: NewTenantSystem): string {
  const pct = (x: number) => (100 * x).toFixed(1);
  return `balanced ${pct(s.balancedAccuracy)} | in-scope ${pct(s.inScopeAccuracy)} | OOS recall ${pct(s.oosRecall)} | threshold ${s.threshold}`;
}
