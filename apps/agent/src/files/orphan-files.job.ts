import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, OBJECT_STORAGE, type BaseEnv } from '@cs/config';
import { OrphanFiles, type ObjectStorage } from '@cs/storage';

/** The session lock one sweeper holds while it runs (several agents: one sweeps, the others skip that round). */
const LOCK_KEY = 'orphan-files-sweep';
/** The first sweep waits this long after the start, so a start is not slowed by it. */
const FIRST_SWEEP_MS = 30_000;

/**
 * Every FILE_ORPHAN_SWEEP_MINUTES, deletes the files stored for a message that was never stored
 * (OrphanFiles) once they are FILE_ORPHAN_GRACE_HOURS old. Each agent process runs it; a
 * PostgreSQL advisory lock lets one sweep at a time, and the sweep itself stays correct if two
 * ever overlap (it locks and re-checks each row).
 */
@Injectable()
export class OrphanFilesJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OrphanFiles');
  private readonly orphans: OrphanFiles;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(OBJECT_STORAGE) storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: Pick<BaseEnv, 'FILE_ORPHAN_GRACE_HOURS' | 'FILE_ORPHAN_SWEEP_MINUTES'>,
  ) {
    this.orphans = new OrphanFiles(db, storage);
  }

  onApplicationBootstrap(): void {
    if (this.config.FILE_ORPHAN_SWEEP_MINUTES > 0) this.schedule(FIRST_SWEEP_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One sweep, unless another process is sweeping: how many files went, or null when it was not our turn. */
  async run(): Promise<number | null> {
    const runner = this.db.createQueryRunner();
    try {
      await runner.connect();
      const [{ ok }]: { ok: boolean }[] = await runner.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [LOCK_KEY]);
      if (!ok) return null;
      try {
        return await this.orphans.sweep(this.config.FILE_ORPHAN_GRACE_HOURS * 3600);
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.run()
        .then((deleted) => deleted && this.logger.log(`deleted ${deleted} file(s) no message names`))
        .catch((err: Error) => this.logger.warn(`sweeping orphan files failed: ${err.message}`))
        .finally(() => {
          if (this.timer) this.schedule(this.config.FILE_ORPHAN_SWEEP_MINUTES * 60_000);
        });
    }, delayMs);
    this.timer.unref();
  }
}
