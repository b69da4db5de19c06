import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { calibrateCosine, HybridSearch, type Passage } from '@cs/knowledge';
import type { CachedEmbeddingProvider } from '@cs/ai';
import { EMBEDDINGS } from '../ai/embeddings.provider';
import type { Retrieval, Turn, Understanding } from '../pipeline.types';
import { isFollowUp, rewriteWithContext } from './follow-up';
import { CONFIDENT_LANGUAGE } from '../text/language';
import { splitUnits, withoutPreamble } from '../text/sentences';

const MEMORY = 20_000;
/** A complaint, or a customer already unhappy, needs a surer answer before the bot speaks alone. */
export const STRICT_MARGIN = 0.15;

/**
 * Hybrid retrieval over the tenant's chunks (libs/knowledge HybridSearch), with follow-ups
 * rewritten using the conversation's previous question. The previous question comes from memory
 * (this process saw it) or, only for a follow-up it did not see, from the database.
 */
@Injectable()
export class RetrieveService {
  /** conversation id -> the last question searched in it (an LRU by insertion order). */
  private readonly lastQuestion = new Map<string, string>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HybridSearch) private readonly search: HybridSearch,
    @Inject(EMBEDDINGS) private readonly embeddings: CachedEmbeddingProvider,
  ) {}

  /** `strict`: true for a complaint's bar, or a margin over the threshold (the decide step's). */
  async retrieve(turn: Turn, understanding?: Understanding, strict: boolean | number = false): Promise<Retrieval> {
    let query = withoutPreamble(turn.text);
    if (isFollowUp(turn.text)) {
      const previous = this.lastQuestion.get(turn.conversationId) ?? (await this.previousFromDatabase(turn));
      if (previous) query = rewriteWithContext(previous, turn.text);
    }
    const tenantThreshold = typeof turn.settings.confidenceThreshold === 'number' ? turn.settings.confidenceThreshold : undefined;
    const language = understanding && understanding.language.language !== 'und' && understanding.language.confidence >= CONFIDENT_LANGUAGE ? understanding.language.language : undefined;
    // The classifier embedded the message already: unless a follow-up was rewritten, this is a cache hit.
    const queryVector = this.embeddings.embed([query]).then(([v]) => v);
    let result = await this.search.search(this.dataSource, turn.tenantId, query, {
      limit: 3,
      threshold: tenantThreshold,
      language: language && language !== 'en' ? language : undefined,
      queryVector,
    });
    const margin = strict === true ? STRICT_MARGIN : strict || 0;
    if (margin > 0) {
      const threshold = Math.min(0.95, result.threshold + margin);
      const all = [...result.passages, ...result.rejected];
      result = { ...result, threshold, passages: all.filter((p) => p.score >= threshold), rejected: all.filter((p) => p.score < threshold) };
    }
    this.remember(turn.conversationId, query);
    const passages = distinct(result.passages);
    return {
      passages,
      rejected: distinct(result.rejected),
      threshold: result.threshold,
      query,
      languages: result.languages,
      provider: `hybrid:fts+${this.search.index.modelId}`,
      timings: result.timings,
      termWeights: result.termWeights,
      sentenceSimilarity: await this.sentenceSimilarity(passages, queryVector),
    };
  }

  /**
   * Retrieval at the grain an answer is cut at: how close each sentence of the answering passages is
   * to the question, so the answer can take the sentence that says what was asked in other words. The
   * sentences are knowledge-base text: the chunk embedder's cache keeps them. Without vectors (the
   * embedder failed) the answer is chosen by words alone.
   */
  private async sentenceSimilarity(passages: Passage[], queryVector: Promise<Float32Array>): Promise<Record<string, number[]> | undefined> {
    if (!passages.length) return {};
    try {
      const units = passages.map((p) => splitUnits(p.content).map((u) => u.text));
      const [question, vectors] = await Promise.all([queryVector, this.search.embedKnowledgeText(units.flat())]);
      const q = unit(question);
      let at = 0;
      return Object.fromEntries(
        passages.map((p, i) => [p.chunkId, units[i].map(() => round(calibrateCosine(this.search.index.modelId, dot(q, unit(vectors[at++])), 'sentence')))]),
      );
    } catch {
      return undefined;
    }
  }

  private async previousFromDatabase(turn: Turn): Promise<string | undefined> {
    const rows: { text: string }[] = await this.dataSource.query(
      `SELECT text FROM messages WHERE conversation_id = $1 AND direction = 'in' AND id <> $2 AND text <> '' ORDER BY id DESC LIMIT 1`,
      [turn.conversationId, turn.inboundMessageId],
    );
    return rows[0]?.text;
  }

  private remember(conversationId: string, query: string): void {
    this.lastQuestion.delete(conversationId);
    this.lastQuestion.set(conversationId, query);
    if (this.lastQuestion.size > MEMORY) this.lastQuestion.delete(this.lastQuestion.keys().next().value as string);
  }
}

function unit(v: Float32Array): Float32Array {
  const n = Math.sqrt(dot(v, v)) || 1;
  return v.map((x) => x / n);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * One text, one answer: a shop that repeats a section in several articles ("Return due to size",
 * "Return due to colour" with the same return rules) has not made the question ambiguous. The copies
 * after the best-ranked one go, so two of them are never offered to the customer as a choice.
 */
export function distinct<P extends { content: string }>(passages: P[]): P[] {
  const seen = new Set<string>();
  return passages.filter((p) => {
    const key = p.content.replace(/\s+/g, ' ').trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
