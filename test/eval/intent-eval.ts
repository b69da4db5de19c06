import { chooseThreshold, IntentClassifier, type EmbeddingProvider, type IntentExample, type ThresholdRule } from '@cs/ai';
import type { IntentSplit } from './datasets';
import { intentMetrics, percentile, type IntentMetrics } from './intent-metrics';
import { NlpJsBaseline } from './nlpjs-baseline';

export interface SystemReport {
  trainSeconds: number;
  /** CPU seconds this process spent training (wall time above includes waiting for a shared CPU). */
  trainCpuSeconds: number;
  threshold: number;
  thresholdRule: string;
  /** Top-1 accuracy on in-scope test messages with no rejection (the number usually published). */
  top1Accuracy: number;
  /** With the threshold from validation applied. */
  test: IntentMetrics;
  /** Wall clock per message, one at a time; `cpu*` is this process's CPU time, which other load on the machine does not inflate. */
  latencyMs: { p50: number; p95: number; cpuP50: number; cpuP95: number; samples: number };
}

export interface SplitReport {
  dataset: string;
  sizes: { train: number; validation: number; test: number; oosTrain: number; oosValidation: number; oosTest: number };
  ours: SystemReport;
  nlpjs: SystemReport | null;
}

export interface EvalOptions {
  /** Cached provider for training and batch scoring. */
  embeddings: EmbeddingProvider;
  /** A copy with nothing cached, for latency as a new message meets it. */
  fresh: () => EmbeddingProvider;
  nlpjs: boolean;
  rule?: ThresholdRule;
  latencySamples?: number;
  log: (message: string) => void;
}

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1e5) / 10;
};

export async function evaluateSplit(split: IntentSplit, options: EvalOptions): Promise<SplitReport> {
  const { log } = options;
  const rule = options.rule ?? {};
  const testTexts = [...split.test.map((e) => e.text), ...split.oosTest];
  const expected: (string | null)[] = [...split.test.map((e) => e.intent), ...split.oosTest.map(() => null)];
  const latencyTexts = sample(testTexts, options.latencySamples ?? 300);

  log(`${split.name}: training ours on ${split.train.length} examples (+${split.oosTrain.length} out-of-scope)`);
  let started = Date.now();
  let cpuStarted = process.cpuUsage();
  const classifier = await IntentClassifier.train(split.train, {
    embeddings: options.embeddings,
    validation: split.validation,
    oos: { train: split.oosTrain, validation: split.oosValidation, ...rule },
    onProgress: (m) => log(`${split.name}: ${m}`),
  });
  const oursTrain = seconds(started);
  const oursTrainCpu = cpuSeconds(cpuStarted);
  log(`${split.name}: ours trained in ${oursTrain} s; threshold ${classifier.threshold.toFixed(3)} (${classifier.thresholdChoice?.rule})`);
  const predictions = await classifier.classifyMany(testTexts);
  const oursTop1 = top1(split.test, predictions.map((p) => p.ranking[0]?.intent ?? null));
  // Latency as a message meets it: one at a time, nothing cached, through a serialized copy.
  const fresh = IntentClassifier.deserialize(classifier.serialize(), options.fresh());
  const oursLatency = await latency(latencyTexts, (t) => fresh.classify(t));
  const ours: SystemReport = {
    trainSeconds: oursTrain,
    trainCpuSeconds: oursTrainCpu,
    threshold: classifier.threshold,
    thresholdRule: classifier.thresholdChoice?.rule ?? 'none',
    top1Accuracy: oursTop1,
    test: intentMetrics(predictions.map((p, i) => ({ expected: expected[i], predicted: p.intent }))),
    latencyMs: oursLatency,
  };
  log(`${split.name}: ours ${summary(ours)}`);

  let nlpjs: SystemReport | null = null;
  if (options.nlpjs) {
    log(`${split.name}: training nlp.js on the same ${split.train.length + split.oosTrain.length} examples`);
    started = Date.now();
    cpuStarted = process.cpuUsage();
    const oosTrain: IntentExample[] = split.oosTrain.map((text) => ({ text, intent: 'None' }));
    const baseline = await NlpJsBaseline.train([...split.train, ...oosTrain]);
    const baselineTrain = seconds(started);
    const baselineTrainCpu = cpuSeconds(cpuStarted);
    log(`${split.name}: nlp.js trained in ${baselineTrain} s; scoring validation and test`);
    const score = async (texts: string[]) => {
      const out = [];
      for (const t of texts) out.push(await baseline.classify(t));
      return out;
    };
    const val = await score([...split.validation.map((e) => e.text), ...split.oosValidation]);
    const scored = (i: number, gold: string | null) => ({ score: val[i].score, predictedOos: val[i].intent === 'None', correct: val[i].intent === gold });
    const choice = chooseThreshold(
      split.validation.map((e, i) => scored(i, e.intent)),
      split.oosValidation.map((_, j) => scored(split.validation.length + j, null)),
      rule,
    );
    const test = await score(testTexts);
    nlpjs = {
      trainSeconds: baselineTrain,
      trainCpuSeconds: baselineTrainCpu,
      threshold: choice.threshold,
      thresholdRule: choice.rule,
      top1Accuracy: top1(split.test, test.map((p) => (p.intent === 'None' ? null : p.intent))),
      test: intentMetrics(test.map((p, i) => ({ expected: expected[i], predicted: p.intent === 'None' || p.score < choice.threshold ? null : p.intent }))),
      latencyMs: await latency(latencyTexts, (t) => baseline.classify(t)),
    };
    log(`${split.name}: nlp.js ${summary(nlpjs)}`);
  }

  return {
    dataset: split.name,
    sizes: {
      train: split.train.length,
      validation: split.validation.length,
      test: split.test.length,
      oosTrain: split.oosTrain.length,
      oosValidation: split.oosValidation.length,
      oosTest: split.oosTest.length,
    },
    ours,
    nlpjs,
  };
}

function top1(test: IntentExample[], predicted: (string | null)[]): number {
  return test.length ? test.filter((e, i) => predicted[i] === e.intent).length / test.length : 0;
}

export async function latency(texts: string[], run: (text: string) => Promise<unknown>): Promise<SystemReport['latencyMs']> {
  for (const t of texts.slice(0, 5)) await run(t); // warm-up: JIT and the model's first graph run
  const times: number[] = [];
  const cpu: number[] = [];
  for (const t of texts) {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    await run(t);
    const used = process.cpuUsage(cpuStart);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    cpu.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    cpuP50: round(percentile(cpu, 50)),
    cpuP95: round(percentile(cpu, 95)),
    samples: times.length,
  };
}

/** Every k-th item, so the sample spreads over intents (and over the out-of-scope tail). */
export function sample<T>(items: T[], n: number): T[] {
  const step = Math.max(1, Math.floor(items.length / n));
  return items.filter((_, i) => i % step === 0).slice(0, n);
}

export function summary(r: SystemReport): string {
  const pct = (x: number | null) => (x === null ? 'n/a' : (100 * x).toFixed(1));
  return (
    `top-1 ${pct(r.top1Accuracy)} | in-scope ${pct(r.test.inScopeAccuracy)} | OOS recall ${pct(r.test.oosRecall)} ` +
    `precision ${pct(r.test.oosPrecision)} | macro-F1 ${pct(r.test.macroF1)} | train ${r.trainSeconds} s (CPU ${r.trainCpuSeconds} s) | ` +
    `latency p50 ${r.latencyMs.p50} ms p95 ${r.latencyMs.p95} ms (CPU p50 ${r.latencyMs.cpuP50} p95 ${r.latencyMs.cpuP95})`
  );
}

/** `--max-accuracy-drop X` (default 0.02) or `--target-oos-recall X` from the command line. */
export function thresholdRule(args: string[]): ThresholdRule {
  const value = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : undefined;
  };
  return { maxInScopeAccuracyDrop: value('--max-accuracy-drop'), targetOosRecall: value('--target-oos-recall') };
}
