import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Conversation } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';

const MAX_LABELS = 20;

/** The staff's labels on a conversation (issue 17). Added and removed in one statement each, so two people labelling at once lose nothing. */
@Injectable()
export class ConversationLabelsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async add(caller: Principal, tenantId: string, id: string, label: string): Promise<{ labels: string[] }> {
    const labels = await this.change(
      `UPDATE conversations SET labels = CASE WHEN $3 = ANY(labels) THEN labels ELSE array_append(labels, $3) END
        WHERE id = $1 AND tenant_id = $2 AND ($3 = ANY(labels) OR cardinality(labels) < ${MAX_LABELS}) RETURNING labels`,
      tenantId, id, label,
    );
    if (!labels) {
      if (await this.db.manager.exists(Conversation, { where: { id, tenantId } })) throw new BadRequestException(`label: a conversation has at most ${MAX_LABELS} labels`);
      throw new NotFoundException('no such conversation');
    }
    await this.audit.record(caller, 'conversation.label', { type: 'conversation', id }, { label });
    return { labels };
  }

  async remove(caller: Principal, tenantId: string, id: string, label: string): Promise<{ labels: string[] }> {
    const labels = await this.change(`UPDATE conversations SET labels = array_remove(labels, $3) WHERE id = $1 AND tenant_id = $2 RETURNING labels`, tenantId, id, label);
    if (!labels) throw new NotFoundException('no such conversation');
    await this.audit.record(caller, 'conversation.unlabel', { type: 'conversation', id }, { label });
    return { labels };
  }

  private async change(sql: string, tenantId: string, id: string, label: string): Promise<string[] | null> {
    const rows = (await this.db.query(sql, [id, tenantId, label])) as unknown;
    // UPDATE ... RETURNING answers [rows, count] through TypeORM's postgres driver.
    const list = Array.isArray(rows) && Array.isArray(rows[0]) ? (rows[0] as { labels: string[] }[]) : (rows as { labels: string[] }[]);
    return list[0]?.labels ?? null;
  }
}
