import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { newId } from '@cs/contracts';
import { AuditLog } from '@cs/persistence';
import type { Principal } from '../auth/principal';
import { decodeCursor, pageOf, type Page } from '../common/cursor';

export interface AuditTarget {
  type: string;
  id: string;
}

/** The tenant's record of staff actions: who did what to which record, and when. */
@Injectable()
export class AuditService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Pass the transaction's manager when inside one (PGlite allows one open query runner per flow). */
  async record(
    actor: Principal,
    action: string,
    target?: AuditTarget,
    detail: Record<string, unknown> = {},
    manager: EntityManager = this.db.manager,
  ): Promise<void> {
    await manager.save(AuditLog, {
      id: newId(),
      tenantId: actor.tenantId,
      actorKind: actor.kind,
      actorId: actor.id,
      action,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      detail,
    });
  }

  async list(tenantId: string, after: string | undefined, limit: number): Promise<Page<AuditLog>> {
    const qb = this.db.manager
      .createQueryBuilder(AuditLog, 'a')
      .where('a.tenant_id = :tenantId', { tenantId })
      .orderBy('a.id', 'DESC')
      .limit(limit + 1);
    if (after) qb.andWhere('a.id < :id', { id: decodeCursor(after, ['id'] as const).id });
    return pageOf(await qb.getMany(), limit, (row) => row, (row) => ({ id: row.id }));
  }
}
