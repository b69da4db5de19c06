import { existsSync } from 'fs';
import { Client } from 'pg';
import { openDataSource } from '@cs/persistence';

export interface TestEnv {
  DATABASE_URL: string;
  NATS_URL: string;
  BUS_PREFIX: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration and e2e specs through jest (test/helpers/global-setup.js sets it)`);
  return value;
}

/**
 * The run's services, as the apps' env variables. `scope` gives a spec a bus prefix of its own
 * (`<run prefix>_<scope>`) so its streams and consumers never meet another spec's; teardown still
 * finds them because they start with the run prefix.
 */
export function testEnv(scope?: string): TestEnv {
  const prefix = required('TEST_BUS_PREFIX');
  return {
    DATABASE_URL: required('TEST_DATABASE_URL'),
    NATS_URL: required('TEST_NATS_URL'),
    BUS_PREFIX: scope ? `${prefix}_${scope.replace(/[^a-z0-9]/gi, '')}` : prefix,
  };
}

/**
 * A second fresh, migrated database for a spec that must not share the run's (`cs_<runId>_<name>`);
 * global teardown drops it with the run's. Returns its URL.
 */
export async function createTestDatabase(name: string): Promise<string> {
  const base = required('TEST_PG_URL');
  const db = `cs_${required('CS_TEST_RUN_ID')}_${name.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  const admin = new Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${db}"`);
  } finally {
    await admin.end();
  }
  const url = `${base}/${db}`;
  const ds = await openDataSource({ databaseUrl: url, poolSize: 2 }, { migrate: true });
  await ds.destroy();
  return url;
}

/** Debian's Chromium (what `scripts/test-services.sh` installs), or CHROMIUM_PATH, for playwright-core. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('Chromium not found: run `bash scripts/test-services.sh` as root or set CHROMIUM_PATH');
  return found;
}
