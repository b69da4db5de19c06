import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KnowledgeSearch } from '@cs/knowledge';
import type { Retrieval, Turn } from '../pipeline.types';

/** Full-text retrieval over the tenant's chunks; embeddings join it in the "agent's brain" issue. */
@Injectable()
export class RetrieveService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(KnowledgeSearch) private readonly search: KnowledgeSearch,
  ) {}

  async retrieve(turn: Turn): Promise<Retrieval> {
    const threshold = typeof turn.settings.confidenceThreshold === 'number' ? turn.settings.confidenceThreshold : undefined;
    return this.search.searchDetailed(this.dataSource, turn.tenantId, turn.text, { limit: 3, threshold });
  }
}
