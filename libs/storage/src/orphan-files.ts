import type { DataSource } from 'typeorm';
import type { ObjectStorage } from './object-storage';

/** Files are looked at in batches of this many, each in its own short transaction. */
const BATCH = 200;

/**
 * Files no message or conversation names after a grace period: stored for a message that was
 * never stored (a crash between the upload and the message's insert, a widget upload whose chat
 * message was refused, a mail the agent dropped). Their objects and rows are deleted.
 *
 * Safe when several processes sweep at once, and against a message tying a file at that moment:
 * each batch locks its rows (`FOR UPDATE SKIP LOCKED`, so two sweepers never take the same row and
 * a row being linked is skipped) and deletes only rows that are still unlinked. The objects go
 * before the transaction commits: a failure keeps the rows, for the next sweep, and at worst leaves
 * a row no message names without its bytes, never a linked file without them.
 */
export class OrphanFiles {
  constructor(
    private readonly db: DataSource,
    private readonly storage: ObjectStorage,
  ) {}

  /** Deletes the files unlinked for longer than `graceSeconds`; returns how many. */
  async sweep(graceSeconds: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const count = await this.db.transaction(async (m) => {
        const result: unknown[] = await m.query(
          `DELETE FROM attachments a
            USING (SELECT id FROM attachments
                    WHERE message_id IS NULL AND conversation_id IS NULL AND created_at < now() - make_interval(secs => $1)
                    ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) o
            WHERE a.id = o.id AND a.message_id IS NULL AND a.conversation_id IS NULL
        RETURNING a.storage_key`,
          [graceSeconds, BATCH],
        );
        // TypeORM answers DELETE ... RETURNING on PostgreSQL as [rows, count].
        const deletedRows = (Array.isArray(result[0]) ? result[0] : result) as { storage_key: string | null }[];
        await this.storage.delete(deletedRows.flatMap((r) => (r.storage_key ? [r.storage_key] : [])));
        return deletedRows.length;
      });
      deleted += count;
      if (count < BATCH) return deleted;
    }
  }
}
