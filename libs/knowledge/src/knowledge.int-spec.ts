import 'reflect-metadata';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import type { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { openDataSource } from '@cs/persistence';
import { createTestDatabase } from '@cs/testing';
import { KnowledgeIndexer } from './knowledge-indexer.service';
import { KnowledgeSearch } from './knowledge-search.service';
import { HybridSearch } from './hybrid-search';
import { createEmbeddingProvider, FileEmbeddingStore } from '@cs/ai';
import { hashApiKey, seedDemo, type SeedDemoResult } from './seed/seed-demo';

const execFileAsync = promisify(execFile);

const PGLITE_SCRIPT = `
const { openDataSource } = require('./dist/libs/persistence/src');
const { seedDemo, KnowledgeSearch } = require('./dist/libs/knowledge/src');
(async () => {
  const ds = await openDataSource({ dataDir: process.env.DATA_DIR });
  const demo = await seedDemo(ds, { publicUrl: 'https://shop.example/' });
  const out = {};
  for (const q of JSON.parse(process.env.QUESTIONS)) {
    out[q] = (await new KnowledgeSearch().search(ds, demo.tenantId, q)).map((p) => [p.slug, p.heading, p.score]);
  }
  await ds.destroy();
  process.stdout.write(JSON.stringify(out));
})().catch((err) => { console.error(err); process.exit(1); });
`;

const HYBRID_SCRIPT = `
const { openDataSource } = require('./dist/libs/persistence/src');
const { seedDemo, HybridSearch } = require('./dist/libs/knowledge/src');
const { createEmbeddingProvider, FileEmbeddingStore } = require('./dist/libs/ai/src');
(async () => {
  const ds = await openDataSource({ dataDir: process.env.DATA_DIR });
  const demo = await seedDemo(ds, { publicUrl: 'https://shop.example/' });
  const search = new HybridSearch(createEmbeddingProvider({}, new FileEmbeddingStore(process.env.VECTOR_CACHE)));
  const out = {};
  for (const q of JSON.parse(process.env.QUESTIONS)) {
    out[q] = (await search.search(ds, demo.tenantId, q)).passages.map((p) => [p.slug, p.heading, p.score]);
  }
  await ds.destroy();
  process.stdout.write(JSON.stringify(out));
})().catch((err) => { console.error(err); process.exit(1); });
`;

/** The agent's cache of knowledge-base vectors on this machine (apps/agent pipeline/ai): the demo's chunks are embedded once. */
const VECTOR_CACHE = path.join(os.tmpdir(), 'cs-agent-cache', 'chunk-vectors.bin');

const PARAPHRASES = ['I am unable to log in', 'my coupon is rejected', 'What is the capital of France?'];

const QUESTIONS = ['how long does delivery take?', 'Do you ship to Canada?', 'I forgot my password', 'Do you sell bicycles?', 'What are your opening hours?'];

describe('the demo knowledge base on PostgreSQL', () => {
  let ds: DataSource;
  let demo: SeedDemoResult;
  const search = new KnowledgeSearch();

  beforeAll(async () => {
    ds = await openDataSource({ databaseUrl: await createTestDatabase('knowledge'), poolSize: 3 });
    demo = await seedDemo(ds, { publicUrl: 'https://shop.example/' });
  }, 60_000);

  afterAll(() => ds?.destroy());

  it('seeds the same tenant, keys and articles when run again, and stores keys only hashed', async () => {
    const again = await seedDemo(ds, { publicUrl: 'https://shop.example/' });

    expect(again).toEqual(demo);
    expect(demo.apiKey).toMatch(/^cs_live_/);
    expect(demo.widgetKey).toMatch(/^wk_demo_/);
    const keys = await ds.query('SELECT prefix, key_hash FROM api_keys WHERE tenant_id = $1', [demo.tenantId]);
    expect(keys).toEqual([{ prefix: demo.apiKey.slice(0, 8), key_hash: hashApiKey(demo.apiKey) }]);
    const [counts] = await ds.query(
      `SELECT (SELECT count(*)::int FROM knowledge_articles WHERE tenant_id = $1) AS articles,
              (SELECT count(*)::int FROM tenants WHERE slug = 'demo') AS tenants,
              (SELECT count(*)::int FROM channel_accounts WHERE tenant_id = $1) AS accounts`,
      [demo.tenantId],
    );
    expect(counts).toEqual({ articles: 20, tenants: 1, accounts: 2 });
  });

  it('accepts a fixed API key and admin password from the environment', async () => {
    const fixed = await seedDemo(ds, { apiKey: 'cs_live_fixed_key_for_the_spec', adminPassword: 'a-fixed-password', publicUrl: 'https://shop.example' });

    expect(fixed.apiKey).toBe('cs_live_fixed_key_for_the_spec');
    expect(fixed.adminPassword).toBe('a-fixed-password');
    const [key] = await ds.query('SELECT tenant_id FROM api_keys WHERE key_hash = $1', [hashApiKey('cs_live_fixed_key_for_the_spec')]);
    expect(key.tenant_id).toBe(demo.tenantId);
  });

  it('finds the delivery article for "how long does delivery take?", with its URL', async () => {
    const [best] = await search.search(ds, demo.tenantId, 'how long does delivery take?');

    expect(best).toMatchObject({ slug: 'delivery-times', title: 'Delivery times', url: 'https://shop.example/kb/delivery-times' });
    expect(best.content).toContain('3 to 5 working days');
    expect(best.score).toBeGreaterThan(0.8);
  });

  it('finds nothing above the threshold for questions the shop does not cover', async () => {
    for (const question of ['Do you sell bicycles?', 'What is the capital of France?', 'Tell me a joke']) {
      expect(await search.search(ds, demo.tenantId, question)).toEqual([]);
    }
  });

  it("applies the tenant's own confidence threshold", async () => {
    const tenantId = newId();
    await ds.query(`INSERT INTO tenants (id, name, slug, settings) VALUES ($1, 'Strict', $2, '{"confidenceThreshold": 0.99}')`, [tenantId, `strict-${tenantId}`]);
    const articleId = newId();
    await ds.query(`INSERT INTO knowledge_articles (id, tenant_id, slug, title, body) VALUES ($1, $2, 'delivery', 'Delivery', '')`, [articleId, tenantId]);
    await new KnowledgeIndexer().indexArticle(ds.manager, { id: articleId, tenantId, language: 'en', body: '# Delivery\n\nParcels arrive in two days.\n' });

    const result = await search.searchDetailed(ds, tenantId, 'when will my parcel arrive?');

    expect(result.threshold).toBe(0.99);
    expect(result.passages).toEqual([]);
    expect(result.rejected[0].content).toBe('Parcels arrive in two days.');
  });

  it('keeps the rows (and embeddings) of unchanged chunks when an article is edited', async () => {
    const tenantId = newId();
    await ds.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Wraps', $2)`, [tenantId, `wraps-${tenantId}`]);
    const articleId = newId();
    const body = '# Gift wrap\n\nWe wrap gifts for £3 in recycled paper.\n\n## Messages\n\nAdd a message of up to 200 characters at checkout.\n';
    await ds.query(`INSERT INTO knowledge_articles (id, tenant_id, slug, title, body) VALUES ($1, $2, 'gift-wrap', 'Gift wrap', $3)`, [articleId, tenantId, body]);
    const indexer = new KnowledgeIndexer();
    await indexer.indexArticle(ds.manager, { id: articleId, tenantId, language: 'en', body });
    await ds.query(`UPDATE knowledge_chunks SET embedding = '{0.5,0.25}', embedding_model = 'spec' WHERE article_id = $1`, [articleId]);

    const edited = body.replace('# Gift wrap\n\n', '# Gift wrap\n\nNew: ribbons in six colours.\n\n## Paper\n\n');
    const result = await indexer.indexArticle(ds.manager, { id: articleId, tenantId, language: 'en', body: edited });

    const rows = await ds.query(`SELECT ordinal, heading, embedding_model FROM knowledge_chunks WHERE article_id = $1 ORDER BY ordinal`, [articleId]);
    expect(result).toEqual({ inserted: 2, unchanged: 1, deleted: 1 });
    expect(rows).toEqual([
      { ordinal: 0, heading: 'Gift wrap', embedding_model: null },
      { ordinal: 1, heading: 'Gift wrap › Paper', embedding_model: null },
      { ordinal: 2, heading: 'Gift wrap › Messages', embedding_model: 'spec' },
    ]);
  });

  it('ranks exactly the same on PGlite (the embedded mode) as on PostgreSQL', async () => {
    // PGlite's WASM loader needs ESM dynamic import, which jest's VM does not offer: run it in a
    // plain node process on the build (`npm test` builds first), with the same code.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-knowledge-'));
    try {
      const { stdout } = await execFileAsync(process.execPath, ['-e', PGLITE_SCRIPT], {
        cwd: path.resolve(__dirname, '../../..'),
        env: { ...process.env, DATA_DIR: dataDir, QUESTIONS: JSON.stringify(QUESTIONS) },
      });
      const onLite = JSON.parse(stdout) as Record<string, unknown[]>;
      for (const question of QUESTIONS) {
        const onPg = (await search.search(ds, demo.tenantId, question)).map((p) => [p.slug, p.heading, p.score]);
        expect([question, onLite[question]]).toEqual([question, onPg]);
      }
      expect(onLite['how long does delivery take?']).not.toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('finds paraphrases by meaning the same way on PGlite as on PostgreSQL, without pgvector', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-knowledge-hybrid-'));
    try {
      const { stdout } = await execFileAsync(process.execPath, ['-e', HYBRID_SCRIPT], {
        cwd: path.resolve(__dirname, '../../..'),
        env: { ...process.env, DATA_DIR: dataDir, QUESTIONS: JSON.stringify(PARAPHRASES), VECTOR_CACHE },
      });
      const onLite = JSON.parse(stdout) as Record<string, unknown[]>;
      const hybrid = new HybridSearch(createEmbeddingProvider({}, new FileEmbeddingStore(VECTOR_CACHE)));
      for (const question of PARAPHRASES) {
        const onPg = (await hybrid.search(ds, demo.tenantId, question)).passages.map((p) => [p.slug, p.heading, p.score]);
        expect([question, onLite[question]]).toEqual([question, onPg]);
      }
      expect((onLite['I am unable to log in'] as string[][])[0][0]).toBe('account-and-password');
      expect(onLite['What is the capital of France?']).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
