// Fresh database and fresh bus prefix per run: created (and migrated) here, shared with the test
// workers through env. Jest runs this once per project (integration, e2e); the first call does the work.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { Client } = require('pg');

const root = path.resolve(__dirname, '../..');

/** The migrations come from dist/ (plain JS for this hook); `npm test` builds it in pretest. */
function loadPersistence() {
  const entry = path.join(root, 'dist/libs/persistence/src/index.js');
  if (!fs.existsSync(entry)) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm test` does it in pretest)');
  }
  const built = fs.statSync(path.join(root, 'dist/libs/persistence/src/migrations/index.js')).mtimeMs;
  const sources = path.join(root, 'libs/persistence/src/migrations');
  const newest = Math.max(...fs.readdirSync(sources).map((f) => fs.statSync(path.join(sources, f)).mtimeMs));
  if (newest > built) console.warn('\n[global-setup] migrations changed since the last build: run `npm run build`');
  return require(entry);
}

async function createDatabase(base, name) {
  const client = new Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

module.exports = async function globalSetup() {
  if (process.env.CS_TEST_RUN_ID) return;
  const runId = `t${Date.now().toString(36)}${crypto.randomBytes(3).toString('hex')}`;
  const base = (process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');
  const db = `cs_${runId}`;
  const { openDataSource } = loadPersistence();
  await createDatabase(base, db);
  process.env.CS_TEST_RUN_ID = runId;
  process.env.TEST_PG_URL = base;
  process.env.TEST_DATABASE_URL = `${base}/${db}`;
  process.env.TEST_NATS_URL = process.env.TEST_NATS_URL || 'nats://127.0.0.1:4222';
  process.env.TEST_BUS_PREFIX = `cs${runId}`;
  try {
    const ds = await openDataSource({ databaseUrl: process.env.TEST_DATABASE_URL, poolSize: 2 }, { migrate: true });
    await ds.destroy();
  } catch (err) {
    await require('./global-teardown')().catch(() => undefined);
    throw new Error(`migrating the test database failed: ${err.message}`);
  }
};
