import { EventEmitter } from 'events';
import type { PGlite, Results } from '@electric-sql/pglite';

/**
 * A `pg`-shaped pool over one PGlite instance, for TypeORM's postgres driver in the embedded mode.
 * PGlite is a single connection: two transactions sharing it would interleave their statements.
 * So a "connection" is a lease on a mutex, held from `connect` until TypeORM releases it — every
 * query runner, and so every transaction, runs alone, as it would on its own server connection.
 */
class PgliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number; command: string }> {
    const command = (/^\s*(\w+)/.exec(sql)?.[1] ?? '').toUpperCase();
    let result: Results<unknown>;
    if (params && params.length > 0) {
      result = await this.db.query(sql, params);
    } else {
      const all = await this.db.exec(sql);
      result = all[all.length - 1] ?? { rows: [], fields: [], affectedRows: 0 };
    }
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length, command };
  }
}

export function createPglitePool(open: () => Promise<PGlite>): new () => EventEmitter {
  let instance: Promise<PGlite> | null = null;
  let tail: Promise<void> = Promise.resolve();

  const getDb = () => (instance ??= open());

  return class PglitePool extends EventEmitter {
    // pg's two forms: a promise without a callback, nothing with one.
    connect(): Promise<PgliteClient>;
    connect(callback: (err: Error | null, client?: PgliteClient, release?: (err?: Error) => void) => void): void;
    connect(callback?: (err: Error | null, client?: PgliteClient, release?: (err?: Error) => void) => void): Promise<PgliteClient> | void {
      const lease = new Promise<[PgliteClient, () => void]>((resolve, reject) => {
        const previous = tail;
        let release!: () => void;
        tail = new Promise<void>((r) => (release = r));
        previous
          .then(getDb)
          .then((db) => {
            let released = false;
            resolve([new PgliteClient(db), () => { if (!released) { released = true; release(); } }]);
          })
          .catch((err: Error) => {
            release();
            reject(err);
          });
      });
      if (!callback) return lease.then(([client]) => client);
      lease.then(([client, release]) => callback(null, client, release), (err: Error) => callback(err));
    }

    query(sql: string, params?: unknown[]): Promise<unknown> {
      return new Promise((resolve, reject) => {
        this.connect((err, client, release) => {
          if (err || !client || !release) return reject(err ?? new Error('no PGlite client'));
          client.query(sql, params).then(
            (r) => { release(); resolve(r); },
            (e: Error) => { release(); reject(e); },
          );
        });
      });
    }

    end(callback?: (err?: Error | null) => void): void {
      const closing = instance ? instance.then((db) => db.close()) : Promise.resolve();
      instance = null;
      closing.then(() => callback?.(null), (err: Error) => callback?.(err));
    }
  };
}
