// Removes what the run created: its databases (cs_<runId> and cs_<runId>_*, see createTestDatabase)
// and its JetStream streams (named after the upper-cased bus prefix). KEEP_TEST_DB=1 keeps both for a
// post-mortem. Jest calls this once per project; the first call does the work.
const { Client } = require('pg');
const { connect } = require('nats');

async function dropDatabases(base, runId) {
  const client = new Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
      [`cs_${runId}`, `cs\\_${runId}\\_%`],
    );
    for (const { datname } of rows) {
      // Apps killed with SIGKILL may leave sessions behind; DROP refuses while any is open.
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [datname]);
      await client.query(`DROP DATABASE IF EXISTS "${datname}"`);
    }
  } finally {
    await client.end();
  }
}

async function deleteStreams(natsUrl, prefix) {
  const nc = await connect({ servers: natsUrl, timeout: 2000 });
  try {
    const jsm = await nc.jetstreamManager();
    const owned = (name) => [prefix, `KV_${prefix}`, `OBJ_${prefix}`].some((p) => name.toUpperCase().startsWith(p));
    for await (const info of jsm.streams.list()) {
      if (owned(info.config.name)) await jsm.streams.delete(info.config.name);
    }
  } finally {
    await nc.close();
  }
}

module.exports = async function globalTeardown() {
  const runId = process.env.CS_TEST_RUN_ID;
  if (!runId || process.env.CS_TEST_TORN_DOWN) return;
  process.env.CS_TEST_TORN_DOWN = '1';
  if (process.env.KEEP_TEST_DB === '1') {
    console.log(`\nKEEP_TEST_DB=1: kept ${process.env.TEST_DATABASE_URL} and streams ${process.env.TEST_BUS_PREFIX.toUpperCase()}*`);
    return;
  }
  const results = await Promise.allSettled([
    dropDatabases(process.env.TEST_PG_URL, runId),
    deleteStreams(process.env.TEST_NATS_URL, process.env.TEST_BUS_PREFIX.toUpperCase()),
  ]);
  for (const r of results) if (r.status === 'rejected') console.warn(`\n[global-teardown] cleanup failed: ${r.reason}`);
};
