import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deadLettersRecorded, deadLettersReplayed } from '@cs/config';
import { BusSubjects, Envelope, newId } from '@cs/contracts';
import { BUS, type Bus, type BusMessage } from '@cs/messaging';
import { DeadLetter } from '@cs/persistence';
import { decodeCursor, pageOf, type Page } from '../common/cursor';

export interface DeadLetterView {
  id: string;
  consumer: string;
  originalSubject: string;
  reason: string;
  kind: string;
  deliveryCount: number;
  deadLetteredAt: string;
  replayedAt: string | null;
  replayCount: number;
  envelope: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Dead letters kept in `dead_letters`: recorded from `dlq.>` by the recorder, listed and replayed
 * by the console and the CLI. A replay publishes the original envelope on its original subject
 * with a fresh msgId (the dedupe window would drop the old one); the agent's own idempotency still
 * guarantees one reply. `tenantId` null means every tenant (the CLI).
 */
@Injectable()
export class DeadLettersService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  /** One row per dead letter, however often the bus hands it over. */
  async record(message: BusMessage): Promise<void> {
    const info = message.deadLetter;
    const envelope = message.envelope as Envelope;
    const deadLetteredAt = info?.at ? new Date(info.at) : new Date();
    const consumer = info?.consumer ?? 'unknown';
    const tenantId = typeof envelope.tenantId === 'string' && UUID.test(envelope.tenantId) ? envelope.tenantId : null;
    const kind = info?.kind ?? 'content';
    const rows: unknown[] = await this.db.query(
      `INSERT INTO dead_letters (id, tenant_id, consumer, original_subject, reason, kind, delivery_count, envelope, dead_lettered_at, source_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (source_key) DO NOTHING RETURNING id`,
      [
        newId(),
        tenantId,
        consumer,
        info?.originalSubject ?? message.subject.replace(/^dlq\./, ''),
        info?.reason ?? 'no reason recorded',
        kind,
        info?.deliveryCount ?? message.deliveryCount,
        JSON.stringify(envelope),
        deadLetteredAt,
        `${consumer}:${envelope.id}:${deadLetteredAt.toISOString()}`,
      ],
    );
    // A second copy of the same dead letter inserts nothing and is not counted again.
    if (rows.length > 0) deadLettersRecorded.inc({ kind });
  }

  async list(tenantId: string | null, after: string | undefined, limit: number, pendingOnly = false): Promise<Page<DeadLetterView>> {
    const qb = this.db.manager.createQueryBuilder(DeadLetter, 'd').orderBy('d.id', 'DESC').limit(limit + 1);
    if (tenantId) qb.andWhere('d.tenant_id = :tenantId', { tenantId });
    if (pendingOnly) qb.andWhere('d.replayed_at IS NULL');
    if (after) qb.andWhere('d.id < :id', { id: decodeCursor(after, ['id'] as const).id });
    return pageOf(await qb.getMany(), limit, view, (row) => ({ id: row.id }));
  }

  async replayOne(tenantId: string | null, id: string): Promise<DeadLetterView> {
    const row = await this.db.manager.findOneBy(DeadLetter, tenantId ? { id, tenantId } : { id });
    if (!row) throw new NotFoundException(`no dead letter ${id}`);
    return view(await this.replay(row));
  }

  /** Every dead letter not replayed yet, oldest first (their original order). */
  async replayAll(tenantId: string | null): Promise<{ replayed: number; ids: string[] }> {
    const qb = this.db.manager.createQueryBuilder(DeadLetter, 'd').where('d.replayed_at IS NULL').orderBy('d.id', 'ASC');
    if (tenantId) qb.andWhere('d.tenant_id = :tenantId', { tenantId });
    const ids: string[] = [];
    for (const row of await qb.getMany()) ids.push((await this.replay(row)).id);
    return { replayed: ids.length, ids };
  }

  private async replay(row: DeadLetter): Promise<DeadLetter> {
    await this.bus.publish(BusSubjects.replayTarget(row.originalSubject), row.envelope as unknown as Envelope, { msgId: `replay:${row.id}:${row.replayCount + 1}` });
    row.replayCount += 1;
    row.replayedAt = new Date();
    await this.db.manager.update(DeadLetter, { id: row.id }, { replayCount: row.replayCount, replayedAt: row.replayedAt });
    deadLettersReplayed.inc();
    return row;
  }
}

function view(row: DeadLetter): DeadLetterView {
  return {
    id: row.id,
    consumer: row.consumer,
    originalSubject: row.originalSubject,
    reason: row.reason,
    kind: row.kind,
    deliveryCount: row.deliveryCount,
    deadLetteredAt: row.deadLetteredAt.toISOString(),
    replayedAt: row.replayedAt ? row.replayedAt.toISOString() : null,
    replayCount: row.replayCount,
    envelope: row.envelope,
  };
}
