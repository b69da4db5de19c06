import type { DataSource, EntityManager } from 'typeorm';
import { KnowledgeSearch, type Passage } from './knowledge-search.service';
import { ChunkVectorIndex, type IndexedChunk } from './chunk-vector-index';
import type { ChunkEmbedder } from './chunk-embeddings';

export interface HybridSearchOptions {
  limit?: number;
  /** Overrides the tenant's `confidenceThreshold`. */
  threshold?: number;
  /**
   * The question's vector, or its promise, from the caller's own (question) embedder of the same
   * model: questions are embedded once per message, and never by the chunk embedder, whose cache may
   * be persistent.
   */
  queryVector?: Float32Array | Promise<Float32Array>;
  /** Only chunks in this language (ISO 639-1). */
  language?: string;
}

export interface HybridResult {
  /** Over the threshold, best fused rank first. */
  passages: Passage[];
  /** The best candidates under the threshold, for the trace. */
  rejected: Passage[];
  threshold: number;
  /** Languages the tenant's knowledge base has articles in. */
  languages: string[];
  /** The question's words and their rarity in this knowledge base (Candidates.weights). */
  termWeights: Record<string, number>;
  timings: { ftsMs: number; embedMs: number; vectorMs: number };
}

/** Reciprocal rank fusion constant (Cormack et al. 2009): dampens the weight of the very first ranks. */
const RRF_K = 60;
const CANDIDATES = 10;

/*
 * Calibration of USE-lite cosine similarity to the full-text score's scale, measured on the demo
 * knowledge base with our own questions: questions it answers have a best cosine of 0.40-0.65,
 * questions it does not cover 0.09-0.30, and ones it only brushes ("replacement parts for
 * tractors" against the repairs article) about 0.41. 0.28 maps to 0 and 0.62 to 1, so a cosine of
 * 0.43 lands on the default threshold (0.45). Other models (MiniLM, OpenAI) spread cosines
 * differently: the constants are per model.
 */
const COSINE_CALIBRATION: Record<string, { zero: number; one: number }> = {
  'use-lite': { zero: 0.28, one: 0.62 },
};
const DEFAULT_CALIBRATION = { zero: 0.3, one: 0.7 };
/**
 * When both signals put a chunk in their top 3, that agreement is worth a little confidence — in
 * proportion to the weaker signal, so two weak signals do not add up to a confident one.
 */
const AGREEMENT_BONUS = 0.1;
/**
 * When the question has words the knowledge base never uses, only the vector signal can vouch for
 * them; but a passage that shares the question's other words owes part of its cosine to those alone.
 * "do you offer gift wrapping?" has, against the gift-card article, the cosine of a good paraphrase
 * (0.48), all of it from "gift". Such a passage's vector confidence loses this much (0.2 is about
 * 0.07 of USE-lite cosine): enough for that, not for "how do I wash this jacket?" against the
 * washing of clothes (0.55). A passage that shares no word, a paraphrase, keeps its cosine's worth.
 */
const SHARED_WORD_LIFT = 0.2;
/**
 * How much of its vector confidence a passage loses, in proportion to the question's weight in words
 * the knowledge base uses elsewhere but this passage does not: the cosine says "sounds alike", and
 * the customer's own words being elsewhere in the knowledge base says this passage is likely about
 * something else ("can I pay with PayPal?" against "When is my card charged?").
 */
const WORDS_ELSEWHERE_PENALTY = 0.5;
/**
 * Passages whose fused rank scores are within 3% of the best (a place or two in one list, on cosines
 * a few hundredths apart) are ordered by confidence: rank fusion ignores how far apart the scores
 * behind the ranks are, so a list of payment methods that has every word of "can I pay with PayPal?"
 * fell behind a refunds passage that only mentions PayPal, four vector places apart on a cosine
 * 0.05 lower.
 */
const FUSED_RANK_TIE = 0.03;

/**
 * One sentence against the question (the answer's sentences, not retrieval's passages): a sentence
 * says one thing, so its cosine with a question about that thing runs higher than its passage's.
 * USE-lite on the policy proxy's questions (test/eval): the sentence that answers 0.41-0.70, the
 * best sentence of a passage that does not answer 0.14-0.40 when it shares few words.
 */
const SENTENCE_COSINE_CALIBRATION: Record<string, { zero: number; one: number }> = {
  'use-lite': { zero: 0.2, one: 0.7 },
};

export function calibrateCosine(modelId: string, cosine: number, grain: 'passage' | 'sentence' = 'passage'): number {
  const c = (grain === 'sentence' ? SENTENCE_COSINE_CALIBRATION : COSINE_CALIBRATION)[modelId] ?? DEFAULT_CALIBRATION;
  return Math.max(0, Math.min(1, (cosine - c.zero) / (c.one - c.zero)));
}

/**
 * The vector signal's confidence in a passage, weighed by its words: `coverage` is the share of the
 * question's (rarity-weighted) words it contains, 0 for one the full text did not return; `known` the
 * share the knowledge base uses at all. Cosine similarity is the evidence where the customer's words
 * are not the knowledge base's; where they are, the words say more.
 */
export function vectorConfidence(calibrated: number, coverage: number, known: number): number {
  const lifted = sharesWordsBesideUnknown(coverage, known) ? SHARED_WORD_LIFT : 0;
  return Math.max(0, calibrated - lifted) * (1 - WORDS_ELSEWHERE_PENALTY * Math.max(0, known - coverage));
}

/** A passage that has some of the question's words while others are in no article (SHARED_WORD_LIFT). */
function sharesWordsBesideUnknown(coverage: number, known: number): boolean {
  return coverage > 0 && known < 0.999;
}

/**
 * Full text and vector similarity over the tenant's chunks, fused by reciprocal rank, then a
 * calibrated confidence per passage: the stronger of the two signals (each mapped to 0..1, the vector
 * one weighed by the passage's words) plus a bonus when they agree. One database round trip per
 * question (the full-text statement, which also says whether the in-memory vectors are still
 * current); the query is embedded while it runs.
 */
export class HybridSearch {
  readonly index: ChunkVectorIndex;

  constructor(
    private readonly embedder: ChunkEmbedder,
    private readonly fullText = new KnowledgeSearch(),
  ) {
    this.index = new ChunkVectorIndex(embedder);
  }

  /**
   * Knowledge-base text (the sentences an answer is chosen from) in the chunks' vector space, by the
   * chunk embedder: its cache may be persistent, and only knowledge-base text goes in it.
   */
  embedKnowledgeText(texts: string[]): Promise<Float32Array[]> {
    return texts.length ? this.embedder.embed(texts) : Promise.resolve([]);
  }

  async search(db: EntityManager | DataSource, tenantId: string, query: string, opts: HybridSearchOptions = {}): Promise<HybridResult> {
    const limit = opts.limit ?? 3;
    const started = performance.now();
    let ftsMs = 0;
    let embedMs = 0;
    const [fts, queryVector] = await Promise.all([
      this.fullText.candidates(db, tenantId, query, CANDIDATES).finally(() => (ftsMs = performance.now() - started)),
      (opts.queryVector ? Promise.resolve(opts.queryVector) : this.embedder.embed([query]).then(([v]) => v)).finally(() => (embedMs = performance.now() - started)),
    ]);
    const vectorStarted = performance.now();
    const vectors = await this.index.get(db, tenantId, fts.fingerprint ?? '');
    const byCosine = this.index.rank(vectors, queryVector, opts.language);
    const ftsPassages = opts.language ? fts.passages.filter((p) => vectors.chunks.find((c) => c.chunkId === p.chunkId)?.language === opts.language) : fts.passages;

    const fused = new Map<string, { passage: Passage; fts: number; cosine: number; rrf: number; topFts: boolean; topVec: boolean }>();
    const cosineOf = new Map(byCosine.map((r) => [r.chunk.chunkId, r.cosine]));
    ftsPassages.forEach((p, rank) => {
      fused.set(p.chunkId, { passage: p, fts: p.score, cosine: cosineOf.get(p.chunkId) ?? 0, rrf: 1 / (RRF_K + rank + 1), topFts: rank < 3, topVec: false });
    });
    byCosine.slice(0, CANDIDATES).forEach(({ chunk, cosine }, rank) => {
      const entry = fused.get(chunk.chunkId) ?? { passage: toPassage(chunk), fts: 0, cosine, rrf: 0, topFts: false, topVec: false };
      entry.rrf += 1 / (RRF_K + rank + 1);
      entry.topVec = rank < 3;
      fused.set(chunk.chunkId, entry);
    });
    const threshold = opts.threshold ?? fts.threshold;
    const scored = byFusedRank(
      [...fused.values()].map((e) => {
        const coverage = fts.coverage.get(e.passage.chunkId) ?? 0;
        const vector = vectorConfidence(calibrateCosine(this.index.modelId, e.cosine), coverage, fts.known);
        const stronger = Math.max(e.fts, vector);
        // Lifted by shared words, both signals lean on them: their agreement may rank it, not carry it over the threshold.
        const agrees = e.topFts && e.topVec && (!sharesWordsBesideUnknown(coverage, fts.known) || stronger >= threshold);
        const agreement = agrees ? AGREEMENT_BONUS * Math.min(1, Math.min(e.fts, vector) / 0.5) : 0;
        return {
          ...e.passage,
          score: round(Math.min(1, stronger + agreement)),
          signals: { fts: round(e.fts), cosine: round(e.cosine), rrf: Math.round(e.rrf * 1e5) / 1e5 },
        };
      }),
    );
    return {
      passages: scored.filter((p) => p.score >= threshold).slice(0, limit),
      rejected: scored.filter((p) => p.score < threshold).slice(0, limit),
      threshold,
      languages: [...vectors.languages],
      termWeights: fts.weights,
      timings: { ftsMs: round2(ftsMs), embedMs: round2(embedMs), vectorMs: round2(performance.now() - vectorStarted) },
    };
  }
}

/** Best fused rank first; those within FUSED_RANK_TIE of the best by confidence. */
function byFusedRank<P extends Passage & { signals: { rrf: number } }>(passages: P[]): P[] {
  const ranked = passages.sort((a, b) => b.signals.rrf - a.signals.rrf || b.score - a.score);
  const tied = ranked.filter((p) => p.signals.rrf >= (1 - FUSED_RANK_TIE) * ranked[0].signals.rrf).length;
  return [...ranked.slice(0, tied).sort((a, b) => b.score - a.score || b.signals.rrf - a.signals.rrf), ...ranked.slice(tied)];
}

function toPassage(chunk: IndexedChunk): Passage {
  return {
    chunkId: chunk.chunkId,
    articleId: chunk.articleId,
    title: chunk.title,
    slug: chunk.slug,
    url: chunk.url,
    heading: chunk.heading,
    content: chunk.content,
    score: 0,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
