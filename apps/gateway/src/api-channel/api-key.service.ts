import { createHash } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ApiKey } from '@cs/persistence';

/** How long a resolved key is trusted without asking the database: a revoked key stops working within this. */
const CACHE_TTL_MS = 10_000;
const CACHE_MAX = 10_000;

export interface ResolvedApiKey {
  id: string;
  tenantId: string;
  scopes: string[];
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * API key → tenant. Only the SHA-256 of a key is stored, so the lookup is by hash. Resolutions
 * (hits and misses) are cached briefly: the API channel is the hot path of the benchmark, and an
 * embedded PGlite serialises every query.
 */
@Injectable()
export class ApiKeyService {
  private readonly cache = new Map<string, { key: ResolvedApiKey | null; until: number }>();
  private readonly pending = new Map<string, Promise<ResolvedApiKey | null>>();

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async resolve(key: string): Promise<ResolvedApiKey | null> {
    const hash = hashApiKey(key);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.key;
    // Requests arriving together when the entry expires share one lookup instead of each asking.
    const pending = this.pending.get(hash);
    if (pending) return pending;
    const lookup = this.lookup(hash).finally(() => this.pending.delete(hash));
    this.pending.set(hash, lookup);
    return lookup;
  }

  private async lookup(hash: string): Promise<ResolvedApiKey | null> {
    const row = await this.dataSource
      .getRepository(ApiKey)
      .findOne({ where: { keyHash: hash, revokedAt: IsNull() }, select: { id: true, tenantId: true, scopes: true } });
    const resolved = row ? { id: row.id, tenantId: row.tenantId, scopes: row.scopes ?? [] } : null;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { key: resolved, until: Date.now() + CACHE_TTL_MS });
    return resolved;
  }
}
