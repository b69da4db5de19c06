import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KnowledgeSearch, type Passage } from '@cs/knowledge';

export interface TryResult {
  question: string;
  /** `answer` when a passage clears the tenant's confidence threshold, else `handoff`. */
  decision: 'answer' | 'handoff';
  threshold: number;
  /** What the agent would answer from, best first. */
  passages: Passage[];
  /** The best candidates under the threshold: why it would hand off. */
  rejected: Passage[];
}

/**
 * "Try it": runs the agent's retrieval step (the same full-text search and threshold) on a question
 * without storing or sending anything, so staff can see why the agent answers or hands off.
 * The agent's later steps (LLM generation, checks) are not run here; the gateway has no AI code.
 */
@Injectable()
export class KnowledgeTryService {
  private readonly search = new KnowledgeSearch();

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async try(tenantId: string, question: string): Promise<TryResult> {
    const result = await this.search.searchDetailed(this.db, tenantId, question, { limit: 5 });
    return {
      question,
      decision: result.passages.length ? 'answer' : 'handoff',
      threshold: result.threshold,
      passages: result.passages,
      rejected: result.rejected,
    };
  }
}
