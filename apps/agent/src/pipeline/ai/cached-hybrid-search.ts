import { performance } from 'perf_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { HybridSearch, type HybridResult, type HybridSearchOptions } from '@cs/knowledge';
import { StatementBatcher } from '@cs/persistence';

const MAX_ENTRIES = 2_000;
/** Bounds how long anything the fingerprint might not cover could linger. */
const TTL_MS = 5 * 60_000;

/*
 * What a search result depends on besides the question: the tenant's chunks (count and newest id —
 * chunk ids are time-ordered UUIDv7, so a re-index raises it), its articles (count, published
 * count, newest updated_at: titles and URLs are joined in at search time) and its confidence
 * threshold. Any change there changes the fingerprint, and results cached under the old one are
 * never served again. One cheap statement instead of the search's (several ms of database CPU
 * per question, the largest single cost of a turn) and the question's embedding.
 */
const FINGERPRINTS_SQL = `
SELECT t.id AS tenant_id,
       (SELECT count(*) || ':' || coalesce(max(id::text), '') FROM knowledge_chunks WHERE tenant_id = t.id) || '/' ||
       (SELECT count(*) || ':' || count(*) FILTER (WHERE published) || ':' || coalesce(max(updated_at)::text, '')
          FROM knowledge_articles WHERE tenant_id = t.id) || '/' ||
       coalesce((SELECT settings->>'confidenceThreshold' FROM tenants WHERE id = t.id), '') AS fingerprint
FROM (SELECT DISTINCT unnest($1::uuid[]) AS id) AS t`;

/**
 * HybridSearch with a per-process cache of results by (tenant, knowledge fingerprint, question,
 * options). Many customers ask the same few questions; the answer to one of them only changes when
 * the knowledge base or the threshold does. Callers get their own copy of a cached result.
 */
export class CachedHybridSearch extends HybridSearch {
  private readonly entries = new Map<string, { result: Promise<HybridResult>; until: number }>();
  /**
   * Fingerprints asked for at the same moment share one statement. A caller only ever joins a
   * statement that has not started yet, so its fingerprint is never older than its question.
   */
  private readonly fingerprints = new WeakMap<EntityManager | DataSource, StatementBatcher<string, string>>();

  override async search(db: EntityManager | DataSource, tenantId: string, query: string, opts: HybridSearchOptions = {}): Promise<HybridResult> {
    // A caller-supplied vector is this search's embedding of `query`, so the question already keys
    // it. On a hit it is not needed: keep its failure from surfacing as an unhandled rejection.
    if (opts.queryVector) Promise.resolve(opts.queryVector).catch(() => undefined);
    const started = performance.now();
    const fingerprint = await this.fingerprintBatcher(db).submit(tenantId);
    const key = JSON.stringify([tenantId, fingerprint, query, opts.limit ?? null, opts.threshold ?? null, opts.language ?? null]);
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) {
      // Refresh its place: the Map's order is the eviction order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      const result = structuredClone(await hit.result);
      return { ...result, timings: { ftsMs: round(performance.now() - started), embedMs: 0, vectorMs: 0 } };
    }
    // Concurrent askers of one question share one search; a failed search is not remembered.
    const result = super.search(db, tenantId, query, opts);
    this.entries.set(key, { result, until: now + TTL_MS });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    result.catch(() => this.entries.get(key)?.result === result && this.entries.delete(key));
    return structuredClone(await result);
  }

  private fingerprintBatcher(db: EntityManager | DataSource): StatementBatcher<string, string> {
    let batcher = this.fingerprints.get(db);
    if (!batcher) {
      batcher = new StatementBatcher(async (tenantIds) => {
        const rows: { tenant_id: string; fingerprint: string | null }[] = await db.query(FINGERPRINTS_SQL, [tenantIds]);
        const byTenant = new Map(rows.map((r) => [r.tenant_id.toLowerCase(), r.fingerprint ?? '']));
        // No fingerprint, no sharing: a key nobody else can have.
        return tenantIds.map((id) => byTenant.get(id.toLowerCase()) ?? `unknown:${Math.random()}`);
      });
      this.fingerprints.set(db, batcher);
    }
    return batcher;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
