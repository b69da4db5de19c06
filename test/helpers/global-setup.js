// Fresh database and fresh bus prefix per run: created here, shared with workers through env.
const { execFileSync } = require('child_process');
const crypto = require('crypto');

module.exports = async function globalSetup() {
  if (process.env.CS_TEST_RUN_ID) return;
  const runId = `t${Date.now().toString(36)}${crypto.randomBytes(3).toString('hex')}`;
  const base = process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432';
  const db = `cs_${runId}`;
  execFileSync('psql', [`${base}/postgres`, '-qc', `CREATE DATABASE ${db}`], { stdio: 'inherit' });
  process.env.CS_TEST_RUN_ID = runId;
  process.env.TEST_DATABASE_URL = `${base}/${db}`;
  process.env.TEST_NATS_URL = process.env.TEST_NATS_URL || 'nats://127.0.0.1:4222';
  process.env.TEST_BUS_PREFIX = `cs${runId}`;
};
