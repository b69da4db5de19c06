import { readFileSync } from 'fs';
import { join } from 'path';
import MiniSearch from 'minisearch';
import { cosineSimilarity, fnv1a, type EmbeddingProvider } from '@cs/ai';
import { readCsvRecords } from './csv';
import { percentile } from './intent-metrics';
import { ProductSearchRanker } from './epqa-product-search';

/**
 * ePQA dev: 977 real product questions, 10 graded evidence snippets each (2 fully answers, 1
 * partly, 0 not). Each ranker orders a question's own 10 candidates: BM25 alone (MiniSearch), USE-lite
 * cosine alone, and ours — the agent's own hybrid search (epqa-product-search.ts). Nothing is fitted
 * on the data, so no split is needed.
 */
interface Question {
  qid: string;
  question: string;
  title: string;
  candidates: { text: string; label: number }[];
}

export interface RankerReport {
  /** Top candidate fully answers, over questions that have such a candidate. */
  precisionAt1: number;
  /** Gains 2^label - 1, over questions with any relevant candidate. */
  ndcgAt10: number;
  /** How well the top score separates answerable questions from the rest (0.5 = chance). */
  answerableAuroc: number;
  /** Ranking one question's candidates, the question embedded fresh (null when not timed). */
  latencyMs: { p50: number; p95: number } | null;
}

export interface EpqaReport {
  questions: number;
  answerable: number;
  bm25: RankerReport;
  embeddings: RankerReport;
  /** The agent's hybrid search (full text + vectors, rank fusion, calibrated confidence) on PGlite. */
  ours: RankerReport;
}

export function loadEpqa(dir: string): Question[] {
  const rows = readCsvRecords(readFileSync(join(dir, 'amazon-pqa', 'ePQA', 'dev.csv'), 'utf8'));
  const byId = new Map<string, Question>();
  for (const r of rows) {
    const q = byId.get(r.qid) ?? { qid: r.qid, question: r.question, title: r.title, candidates: [] };
    q.candidates.push({ text: r.candidate, label: Number(r.label) });
    byId.set(r.qid, q);
  }
  return [...byId.values()];
}

type Ranked = { order: number[]; top: number };

function bm25Rank(question: string, candidates: string[]): Ranked & { scores: Map<number, number> } {
  const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], storeFields: [] });
  index.addAll(candidates.map((text, id) => ({ id, text })));
  const hits = index.search(question, { combineWith: 'OR' });
  const scores = new Map(hits.map((h) => [h.id as number, h.score]));
  // Unmatched candidates go last, in an order that cannot leak the labels (hash of the text).
  const rest = candidates.map((_, i) => i).filter((i) => !scores.has(i)).sort((a, b) => fnv1a(candidates[a]) - fnv1a(candidates[b]));
  return { order: [...hits.map((h) => h.id as number), ...rest], top: hits[0]?.score ?? 0, scores };
}

function vectorRank(q: Float32Array, candidates: Float32Array[]): Ranked & { sims: number[] } {
  const sims = candidates.map((c) => cosineSimilarity(q, c));
  const order = sims.map((_, i) => i).sort((a, b) => sims[b] - sims[a]);
  return { order, top: sims[order[0]], sims };
}

function ndcg(labels: number[], order: number[], k = 10): number {
  const gain = (l: number) => 2 ** l - 1;
  const dcg = order.slice(0, k).reduce((s, id, r) => s + gain(labels[id]) / Math.log2(r + 2), 0);
  const ideal = [...labels].sort((a, b) => b - a).slice(0, k).reduce((s, l, r) => s + gain(l) / Math.log2(r + 2), 0);
  return ideal ? dcg / ideal : 0;
}

function auroc(positives: number[], negatives: number[]): number {
  if (!positives.length || !negatives.length) return 0.5;
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

/** `fresh` gives a copy of the model with nothing cached, for latency as a new message meets it. */
export async function evaluateEpqa(dir: string, embeddings: EmbeddingProvider, fresh: () => EmbeddingProvider, log: (m: string) => void): Promise<EpqaReport> {
  const questions = loadEpqa(dir);
  log(`ePQA: embedding ${questions.length} questions and ${questions.length * 10} candidates`);
  const allTexts = questions.flatMap((q) => [q.question, ...q.candidates.map((c) => c.text)]);
  const vectors: Float32Array[] = [];
  for (let i = 0; i < allTexts.length; i += 2048) {
    vectors.push(...(await embeddings.embed(allTexts.slice(i, i + 2048))));
    log(`ePQA: embedded ${Math.min(i + 2048, allTexts.length)}/${allTexts.length}`);
  }

  const ranker = await ProductSearchRanker.load(questions, embeddings, log);
  const live = fresh();
  const collect = () => ({ p1: [] as number[], ndcg: [] as number[], pos: [] as number[], neg: [] as number[], ms: [] as number[] });
  const acc = { bm25: collect(), embeddings: collect(), ours: collect() };
  let offset = 0;
  try {
    for (const [qi, q] of questions.entries()) {
      const texts = q.candidates.map((c) => c.text);
      const labels = q.candidates.map((c) => c.label);
      const qVec = vectors[offset];
      const cVecs = vectors.slice(offset + 1, offset + 1 + texts.length);
      offset += 1 + texts.length;

      const t = performance.now();
      const bm = bm25Rank(q.question, texts);
      const bmMs = performance.now() - t;
      const vec = vectorRank(qVec, cVecs);
      // Latency as a customer's message meets it: every 5th question is embedded fresh, then searched.
      const timed = qi % 5 === 0;
      const embedStarted = performance.now();
      const liveVector = timed ? (await live.embed([q.question]))[0] : qVec;
      const embedMs = performance.now() - embedStarted;
      const ours = await ranker.rank(qi, q.question, liveVector);

      const answerable = labels.includes(2);
      const relevant = labels.some((l) => l > 0);
      for (const [name, order, top, ms] of [
        ['bm25', bm.order, bm.top, bmMs],
        ['embeddings', vec.order, vec.top, undefined],
        ['ours', ours.order, ours.top, timed ? embedMs + ours.searchMs : undefined],
      ] as const) {
        const a = acc[name];
        if (answerable) a.p1.push(labels[order[0]] === 2 ? 1 : 0);
        if (relevant) a.ndcg.push(ndcg(labels, order));
        (answerable ? a.pos : a.neg).push(top);
        if (ms !== undefined) a.ms.push(ms);
      }
      if ((qi + 1) % 200 === 0) log(`ePQA: ranked ${qi + 1}/${questions.length}`);
    }
  } finally {
    await ranker.close();
  }

  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  const report = (a: ReturnType<typeof collect>): RankerReport => {
    const ms = [...a.ms].sort((x, y) => x - y);
    const r2 = (x: number) => Math.round(x * 100) / 100;
    return {
      precisionAt1: mean(a.p1),
      ndcgAt10: mean(a.ndcg),
      answerableAuroc: auroc(a.pos, a.neg),
      latencyMs: ms.length ? { p50: r2(percentile(ms, 50)), p95: r2(percentile(ms, 95)) } : null,
    };
  };
  return {
    questions: questions.length,
    answerable: acc.bm25.p1.length,
    bm25: report(acc.bm25),
    embeddings: report(acc.embeddings),
    ours: report(acc.ours),
  };
}
