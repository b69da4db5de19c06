import { newId } from '@cs/contracts';
import { KnowledgeImport } from '@cs/persistence';
import { waitFor } from '@cs/testing';
import { IMPORT_STALE_AFTER_MS } from '../../../apps/gateway/src/admin/knowledge/import/knowledge-import.service';
import { createTenant, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

describe('a knowledge import whose process died', () => {
  let t: AdminTestApp;
  let tenantId: string;
  let owner: SignedIn;

  beforeAll(async () => {
    t = await startAdminApp('adminkbinterrupted');
    tenantId = (await createTenant(t.db)).id;
    owner = await signIn(t, 'owner', tenantId);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** An import as a gateway leaves it when it dies after `processed` articles, its heartbeat `silentMs` ago. */
  async function importRow(silentMs: number, status = 'running'): Promise<string> {
    const id = newId();
    await t.db.manager.insert(KnowledgeImport, { id, tenantId, status, total: 10, processed: 4, created: 3, updated: 0, unchanged: 0, failed: 1, errors: [] });
    await t.db.query(`UPDATE knowledge_imports SET updated_at = now() - make_interval(secs => $2) WHERE id = $1`, [id, silentMs / 1000]);
    return id;
  }

  const progress = (id: string) => t.http().get(`/api/v1/knowledge/imports/${id}`).set(owner.auth).expect(200);

  it('shows as failed, saying it was interrupted and how far it got, once its heartbeat is older than the limit', async () => {
    const id = await importRow(IMPORT_STALE_AFTER_MS + 60_000);

    const res = await progress(id);

    expect(res.body).toMatchObject({ status: 'failed', processed: 4, created: 3, failed: 1 });
    expect(res.body.finishedAt).not.toBeNull();
    expect(res.body.errors).toEqual([{ file: '', message: expect.stringMatching(/^interrupted: the process running it stopped after 4 of 10 articles \(3 saved/) }]);
  });

  it('stays running while its heartbeat is fresh', async () => {
    const id = await importRow(10_000);

    expect((await progress(id)).body).toMatchObject({ status: 'running', errors: [], finishedAt: null });
  });

  it('leaves a finished import alone, however old', async () => {
    const id = await importRow(IMPORT_STALE_AFTER_MS + 60_000, 'done');

    expect((await progress(id)).body).toMatchObject({ status: 'done', errors: [] });
  });

  it('is marked failed once when two gateways notice at the same time', async () => {
    const id = await importRow(IMPORT_STALE_AFTER_MS + 60_000);

    const reads = await Promise.all([progress(id), progress(id), progress(id)]);

    expect(reads.map((r) => r.body.status)).toEqual(['failed', 'failed', 'failed']);
    expect((await t.db.manager.findOneByOrFail(KnowledgeImport, { id })).errors).toHaveLength(1);
  });

  it('is marked failed when a gateway starts, and a fresh one is left alone', async () => {
    const stale = await importRow(IMPORT_STALE_AFTER_MS + 60_000);
    const fresh = await importRow(10_000);

    const restarted = await startAdminApp('adminkbinterrupted2');
    await restarted.close();

    expect(await t.db.manager.findOneByOrFail(KnowledgeImport, { id: stale })).toMatchObject({ status: 'failed', errors: [expect.objectContaining({ file: '' })] });
    expect(await t.db.manager.findOneByOrFail(KnowledgeImport, { id: fresh })).toMatchObject({ status: 'running' });
  });

  it('beats while it imports, so a live import is never taken for a dead one', async () => {
    const res = await t.http()
      .post('/api/v1/knowledge/imports')
      .set(owner.auth)
      .send({ files: [{ name: 'faq.json', content: JSON.stringify([{ title: 'Returns', body: 'Thirty days.' }, { title: 'Shipping', body: 'Two days.' }]) }] })
      .expect(202);

    const job = await waitFor(async () => {
      const row = await t.db.manager.findOneByOrFail(KnowledgeImport, { id: res.body.id });
      return row.status === 'running' ? null : row;
    }, { what: 'the import to finish' });

    expect(job).toMatchObject({ status: 'done', created: 2 });
    expect(job.updatedAt.getTime()).toBeGreaterThan(job.createdAt.getTime());
  });
});
