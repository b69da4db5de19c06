import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { ApiKey } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { sha256 } from '../auth/token.service';
import type { ApiKeyView, CreateApiKeyBody } from './dto/api-key.dto';

/** API keys for server-to-server use: the key is returned once, only its SHA-256 is kept. */
@Injectable()
export class ApiKeysService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Principal, tenantId: string, body: CreateApiKeyBody): Promise<ApiKeyView & { key: string }> {
    const key = `cs_${randomBytes(24).toString('base64url')}`;
    const row = this.db.manager.create(ApiKey, {
      id: newId(),
      tenantId,
      name: body.name,
      prefix: key.slice(0, 10),
      keyHash: sha256(key),
      scopes: body.scopes,
      revokedAt: null,
      lastUsedAt: null,
    });
    await this.db.manager.save(row);
    await this.audit.record(actor, 'api_key.create', { type: 'api_key', id: row.id }, { name: row.name, scopes: row.scopes });
    return { ...view(row), key };
  }

  async list(tenantId: string): Promise<{ items: ApiKeyView[] }> {
    const rows = await this.db.manager.find(ApiKey, { where: { tenantId }, order: { createdAt: 'DESC' } });
    return { items: rows.map(view) };
  }

  async revoke(actor: Principal, tenantId: string, id: string): Promise<void> {
    const row = await this.db.manager.findOne(ApiKey, { where: { id, tenantId } });
    if (!row) throw new NotFoundException('no such API key');
    if (!row.revokedAt) await this.db.manager.update(ApiKey, { id }, { revokedAt: new Date() });
    await this.audit.record(actor, 'api_key.revoke', { type: 'api_key', id });
  }
}

function view(row: ApiKey): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
