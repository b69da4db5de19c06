import type { DataSource, EntityManager } from 'typeorm';

export interface Passage {
  chunkId: string;
  articleId: string;
  title: string;
  slug: string;
  url: string | null;
  heading: string;
  content: string;
  /**
   * 0..1. Full text alone: the share of the question's (rarity-weighted) words the passage contains,
   * plus a little rank. Hybrid search: the calibrated confidence of both signals (hybrid-search.ts).
   */
  score: number;
  /** Hybrid search only: the full-text score, the cosine similarity with the question, and the fused rank score. */
  signals?: { fts: number; cosine: number; rrf: number };
}

export interface SearchOptions {
  limit?: number;
  /** Overrides the tenant's `confidenceThreshold`. */
  threshold?: number;
}

export interface SearchResult {
  /** Passages at or over the threshold, best first. */
  passages: Passage[];
  /** The best candidates under the threshold: kept for the decision trace, never for answering. */
  rejected: Passage[];
  threshold: number;
  /**
   * Changes whenever a chunk is added or removed or an article is saved or (un)published: lets an
   * in-memory index of the tenant's vectors notice the change on the query it runs anyway.
   */
  fingerprint?: string;
}

/**
 * Tuned on the demo knowledge base: on-topic questions score 0.6-1, questions it does not cover
 * 0-0.35 (they share only common words such as "order" with it).
 */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.45;

/** The full text's candidates, with what it knows of their words: hybrid search weighs the vector signal with it. */
export interface Candidates {
  passages: Passage[];
  threshold: number;
  fingerprint?: string;
  /** By chunk id, for each of `passages`: the share of the question's rarity-weighted words the chunk contains. */
  coverage: Map<string, number>;
  /** The share of the question's weight in words this knowledge base uses at all (0 when it knows none of them). */
  known: number;
  /**
   * The question's words (English lexemes, as full text stems them) and the rarity weight of each in
   * this knowledge base (an IDF; a word no chunk uses has the highest): what an answer's sentences
   * are weighed with, so "order" counts for less than "overnight" there too.
   */
  weights: Record<string, number>;
}

interface Row {
  chunk_id: string | null;
  article_id: string;
  title: string;
  slug: string;
  url: string | null;
  heading: string;
  content: string;
  score: number | string;
  coverage: number | string | null;
  threshold: number | string;
  known: number | string;
  weights: Record<string, number | string> | string | null;
  fingerprint: string;
}

/*
 * One statement, the same on PostgreSQL and PGlite. The question's words are OR-ed (a customer's
 * phrasing rarely matches every word of the article), so `ts_rank_cd` alone would reward any chunk
 * that shares one common word. The score is therefore mostly coverage: the share of the question's
 * lexemes found in the chunk, each weighted by its rarity in this tenant's knowledge base (an IDF),
 * so a question about bicycles does not pass on the strength of the word "order"; a little more
 * when the article's title matches, and a little for rank. Ties (several chunks of one article often
 * contain every word of the question) go to the chunk whose own heading says it best, then to the
 * denser chunk. Beside the score it returns each chunk's coverage, and how much of the question this
 * knowledge base knows at all (hybrid-search.ts).
 */
const SEARCH_SQL = `
WITH input AS (
  SELECT replace(plainto_tsquery('english', $2)::text, '&', '|')::tsquery AS query,
         (SELECT count(*) FROM knowledge_chunks WHERE tenant_id = $1)::float8 AS total
), terms AS (
  SELECT t.lexeme, quote_literal(t.lexeme)::tsquery AS q, d.df, ln(1 + input.total / (1 + d.df)) AS weight
  FROM (SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('english', $2))) AS lexeme) t, input,
  LATERAL (SELECT count(*) AS df FROM knowledge_chunks k WHERE k.tenant_id = $1 AND k.tsv @@ quote_literal(t.lexeme)::tsquery) d
), scored AS (
  SELECT c.id, c.article_id, c.heading, c.content, a.title, a.slug, a.url,
         ts_rank_cd(c.tsv, input.query, 32) AS rank,
         ts_rank_cd(c.tsv, input.query, 1) AS density,
         ts_rank_cd(to_tsvector('english', regexp_replace(c.heading, '^.* › ', '')), input.query, 2) AS heading_rank,
         (SELECT sum(terms.weight) FILTER (WHERE c.tsv @@ terms.q) / nullif(sum(terms.weight), 0) FROM terms) AS coverage,
         (SELECT sum(terms.weight) FILTER (WHERE tt.title_tsv @@ terms.q) / nullif(sum(terms.weight), 0) FROM terms) AS title_coverage
  FROM knowledge_chunks c
  JOIN knowledge_articles a ON a.id = c.article_id AND a.tenant_id = $1 AND a.published
  CROSS JOIN LATERAL (SELECT to_tsvector('english', a.title) AS title_tsv OFFSET 0) tt,
  input
  WHERE c.tenant_id = $1 AND c.tsv @@ input.query
), meta AS (
  SELECT coalesce((SELECT (settings->>'confidenceThreshold')::float8 FROM tenants WHERE id = $1), $4::float8) AS threshold,
         (SELECT coalesce(sum(weight) FILTER (WHERE df > 0) / nullif(sum(weight), 0), 0) FROM terms)::float8 AS known,
         (SELECT json_object_agg(lexeme, weight) FROM terms) AS weights,
         (SELECT count(*) || ':' || coalesce(max(id::text), '') FROM knowledge_chunks WHERE tenant_id = $1) || '/' ||
         (SELECT count(*) FILTER (WHERE published) || ':' || coalesce(max(updated_at)::text, '') FROM knowledge_articles WHERE tenant_id = $1) AS fingerprint
)
SELECT meta.threshold, meta.known, meta.weights, meta.fingerprint, best.* FROM meta LEFT JOIN (
  SELECT id AS chunk_id, article_id, title, slug, url, heading, content, coalesce(coverage, 0)::float8 AS coverage,
         least(1, 0.8 * coalesce(coverage, 0) + 0.15 * coalesce(title_coverage, 0) + 0.1 * least(1, rank * 4))::float8 AS score
  FROM scored
  ORDER BY score DESC, heading_rank DESC, density DESC, id
  LIMIT $3
) best ON true`;

/*
 * Words PostgreSQL's English stopword list keeps but that say nothing about the topic of a support
 * question. Left in, the rarity weighting would make them look important ("how MUCH is shipping"
 * matching "how much is refunded").
 */
const FILLER_WORDS = new Set(
  'much many get got want wants need needs like would could know tell please help thank thanks hi hello hey also still just really way thing anything something ok okay lot bit question ask'.split(' '),
);

export function stripFillerWords(query: string): string {
  return query
    .split(/(\s+)/)
    .filter((word) => !FILLER_WORDS.has(word.toLowerCase().replace(/[^\p{L}]/gu, '')))
    .join('')
    .trim();
}

export class KnowledgeSearch {
  async search(db: EntityManager | DataSource, tenantId: string, query: string, opts: SearchOptions = {}): Promise<Passage[]> {
    return (await this.searchDetailed(db, tenantId, query, opts)).passages;
  }

  async searchDetailed(
    db: EntityManager | DataSource,
    tenantId: string,
    query: string,
    opts: SearchOptions = {},
  ): Promise<SearchResult> {
    const limit = opts.limit ?? 5;
    const found = await this.candidates(db, tenantId, query, limit * 2);
    const threshold = opts.threshold ?? found.threshold;
    return {
      passages: found.passages.filter((p) => p.score >= threshold).slice(0, limit),
      rejected: found.passages.filter((p) => p.score < threshold).slice(0, limit),
      threshold,
      fingerprint: found.fingerprint,
    };
  }

  /** The `n` best chunks by full-text score, what it knows of their words, the tenant's threshold and the knowledge base's fingerprint. */
  async candidates(
    db: EntityManager | DataSource,
    tenantId: string,
    query: string,
    n: number,
  ): Promise<Candidates> {
    let text = stripFillerWords(query).slice(0, 1000);
    // Nothing searchable (empty, emoji, punctuation): the statement still runs for the threshold and
    // fingerprint, with a query that matches nothing (and raises no tsquery notice).
    if (!/[\p{L}\p{N}]/u.test(text)) text = 'zzzznomatch';
    const rows: Row[] = await db.query(SEARCH_SQL, [tenantId, text, n, DEFAULT_CONFIDENCE_THRESHOLD]);
    const found = rows.filter((row) => row.chunk_id !== null);
    return {
      passages: found.map(toPassage),
      threshold: rows.length ? Number(rows[0].threshold) : DEFAULT_CONFIDENCE_THRESHOLD,
      fingerprint: rows[0]?.fingerprint,
      coverage: new Map(found.map((row) => [row.chunk_id as string, Number(row.coverage)])),
      known: rows.length ? Number(rows[0].known) : 0,
      weights: termWeights(rows[0]?.weights ?? null),
    };
  }
}

function termWeights(raw: Row['weights']): Record<string, number> {
  const parsed = typeof raw === 'string' ? (JSON.parse(raw) as Record<string, number | string>) : (raw ?? {});
  return Object.fromEntries(Object.entries(parsed).map(([lexeme, weight]) => [lexeme, Number(weight)]));
}

function toPassage(row: Row): Passage {
  return {
    chunkId: row.chunk_id as string,
    articleId: row.article_id,
    title: row.title,
    slug: row.slug,
    url: row.url,
    heading: row.heading,
    content: row.content,
    score: Math.round(Number(row.score) * 1000) / 1000,
  };
}
