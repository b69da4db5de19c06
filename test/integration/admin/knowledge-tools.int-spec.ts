import { AgentModule } from '../../../apps/agent/src/agent.module';
import { KnowledgeArticle, KnowledgeChunk } from '@cs/persistence';
import { waitFor } from '@cs/testing';
import { createTenant, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

describe('bulk knowledge import, re-index and "try it"', () => {
  let t: AdminTestApp;
  let tenantId: string;
  let owner: SignedIn;

  beforeAll(async () => {
    // "Try it" is answered by the agent over the bus (agent.try), so the agent runs beside the console.
    t = await startAdminApp('adminkbtools', { imports: [AgentModule], serve: true });
    tenantId = (await createTenant(t.db)).id;
    owner = await signIn(t, 'owner', tenantId);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function finished(jobId: string) {
    return waitFor(async () => {
      const res = await t.http().get(`/api/v1/knowledge/imports/${jobId}`).set(owner.auth).expect(200);
      return res.body.status === 'running' ? null : res.body;
    }, { what: 'the import to finish' });
  }

  it('imports Markdown, HTML, CSV and JSON files uploaded together, reporting progress and the file it could not read', async () => {
    const res = await t.http()
      .post('/api/v1/knowledge/imports')
      .set(owner.auth)
      .attach('files', Buffer.from('---\ntitle: Warranty\nslug: warranty\n---\n# Warranty\n\nTwo years on every watch we sell.\n'), 'warranty.md')
      .attach('files', Buffer.from('<html><head><title>Payment</title></head><body><h1>Payment</h1><p>We accept cards and PayPal.</p></body></html>'), 'payment.html')
      .attach('files', Buffer.from('title,body,tags\nStore pickup,"Collect your parcel in Leeds, free.",pickup\nGift cards,Valid for one year.,\n'), 'faq.csv')
      .attach('files', Buffer.from(JSON.stringify([{ title: 'Loyalty points', body: 'One point per pound spent.' }])), 'loyalty.json')
      .attach('files', Buffer.from('%PDF-1.4'), 'manual.pdf')
      .expect(202);
    expect(res.body).toMatchObject({ status: 'running', total: 5 });

    const job = await finished(res.body.id);
    expect(job).toMatchObject({ status: 'done', total: 5, processed: 5, created: 5, failed: 1 });
    expect(job.errors).toEqual([{ file: 'manual.pdf', message: expect.stringContaining('unsupported file type') }]);
    const titles = (await t.db.manager.find(KnowledgeArticle, { where: { tenantId } })).map((a) => a.title).sort();
    expect(titles).toEqual(['Gift cards', 'Loyalty points', 'Payment', 'Store pickup', 'Warranty']);

    const tryIt = await t.http().post('/api/v1/knowledge/try').set(owner.auth).send({ question: 'Can I pick up my parcel in Leeds?' }).expect(200);
    expect(tryIt.body.decision).toBe('answer');
    expect(tryIt.body.passages[0]).toMatchObject({ title: 'Store pickup' });
  });

  it('updates an article imported again under the same slug, and leaves an identical one alone', async () => {
    const send = (body: string) =>
      t.http().post('/api/v1/knowledge/imports').set(owner.auth).send({ files: [{ name: 'hours.json', content: JSON.stringify([{ title: 'Opening hours', slug: 'hours', body }]) }] }).expect(202);
    await finished((await send('Nine to five.')).body.id);
    expect(await finished((await send('Eight to eight.')).body.id)).toMatchObject({ updated: 1 });
    expect(await finished((await send('Eight to eight.')).body.id)).toMatchObject({ unchanged: 1 });
    expect(await t.db.manager.findOneByOrFail(KnowledgeArticle, { tenantId, slug: 'hours' })).toMatchObject({ version: 2, body: 'Eight to eight.' });
  });

  it('says the agent would hand off when nothing clears the threshold, and shows the near misses', async () => {
    const res = await t.http().post('/api/v1/knowledge/try').set(owner.auth).send({ question: 'Do you sell submarines?' }).expect(200);
    expect(res.body).toMatchObject({ decision: 'handoff', passages: [] });
    expect(typeof res.body.threshold).toBe('number');
  });

  it('re-chunks every article on re-index, restoring chunks that went missing', async () => {
    const article = await t.db.manager.findOneByOrFail(KnowledgeArticle, { tenantId, slug: 'warranty' });
    await t.db.manager.delete(KnowledgeChunk, { articleId: article.id });
    const res = await t.http().post('/api/v1/knowledge/reindex').set(owner.auth).expect(200);
    expect(res.body.inserted).toBeGreaterThanOrEqual(1);
    expect(await t.db.manager.countBy(KnowledgeChunk, { articleId: article.id })).toBeGreaterThanOrEqual(1);
  });

  it('refuses an import with no files', async () => {
    await t.http().post('/api/v1/knowledge/imports').set(owner.auth).send({}).expect(400);
  });
});
