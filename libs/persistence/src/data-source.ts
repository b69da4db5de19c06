import * as fs from 'fs';
import * as path from 'path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { dataDirOwner } from './data-dir-lock';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { createPglitePool } from './pglite-pool';

export interface DatabaseConfig {
  /** postgres://... — the distributed mode. Without it, PGlite in `dataDir` (the embedded mode). */
  databaseUrl?: string;
  dataDir?: string;
  poolSize?: number;
  logging?: boolean;
}

export function isEmbeddedDatabase(config: DatabaseConfig): boolean {
  return !config.databaseUrl;
}

export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: config.logging ?? false,
  };
  if (config.databaseUrl) {
    return { ...common, url: config.databaseUrl, poolSize: config.poolSize ?? 10, extra: { max: config.poolSize ?? 10 } };
  }
  const dataDir = path.resolve(config.dataDir ?? './data', 'pg');
  fs.mkdirSync(dataDir, { recursive: true });
  const Pool = createPglitePool(async () => {
    // Loaded lazily: the distributed mode never pays for the WASM build.
    const { PGlite } = await import('@electric-sql/pglite');
    return PGlite.create(dataDir);
  });
  return { ...common, driver: { Pool }, database: 'postgres' } as DataSourceOptions;
}

/**
 * Opens the database and migrates it. PGlite serves one process: a DATA_DIR that a running embedded
 * server holds (`DATA_DIR/server.json`) is refused here, for every CLI, rather than written twice.
 */
export async function openDataSource(config: DatabaseConfig, opts: { migrate?: boolean } = {}): Promise<DataSource> {
  const owner = isEmbeddedDatabase(config) ? dataDirOwner(config.dataDir ?? './data') : null;
  if (owner) {
    throw new Error(`DATA_DIR ${config.dataDir ?? './data'} is held by the embedded server (process ${owner.pid}${owner.url ? `, ${owner.url}` : ''}): PGlite serves one process; stop the server first, or use its console and API`);
  }
  const ds = new DataSource(dataSourceOptions(config));
  await ds.initialize();
  if (opts.migrate ?? true) await ds.runMigrations({ transaction: 'each' });
  return ds;
}
