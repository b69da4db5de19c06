import { KnowledgeArticleVersion, KnowledgeChunk } from '@cs/persistence';
import { createTenant, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

describe('knowledge article history: earlier bodies kept, diffed against the current one, restored as a new version', () => {
  let t: AdminTestApp;
  let tenantId: string;
  let owner: SignedIn;
  let articleId: string;

  beforeAll(async () => {
    t = await startAdminApp('adminhistory');
    tenantId = (await createTenant(t.db)).id;
    owner = await signIn(t, 'owner', tenantId);
    const created = await t.http().post('/api/v1/knowledge/articles').set(owner.auth)
      .send({ title: 'Returns', body: '# Returns\n\nReturn within 30 days.\nKeep the receipt.\n' }).expect(201);
    articleId = created.body.id;
    await t.http().patch(`/api/v1/knowledge/articles/${articleId}`).set(owner.auth)
      .send({ body: '# Returns\n\nReturn within 60 days.\nKeep the receipt.\n' }).expect(200);
    await t.http().patch(`/api/v1/knowledge/articles/${articleId}`).set(owner.auth).send({ title: 'Returns and refunds' }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  const chunkText = async () => (await t.db.manager.find(KnowledgeChunk, { where: { tenantId, articleId } })).map((c) => c.content).join('\n');

  it('lists every version newest first, the current one marked, without bodies', async () => {
    const res = await t.http().get(`/api/v1/knowledge/articles/${articleId}/versions`).set(owner.auth).expect(200);
    expect(res.body.map((v: { version: number; title: string; current: boolean }) => [v.version, v.title, v.current])).toEqual([
      [3, 'Returns and refunds', true],
      [2, 'Returns', false],
      [1, 'Returns', false],
    ]);
    expect(res.body[0]).not.toHaveProperty('body');
  });

  it('shows an earlier body with the lines that changed since', async () => {
    const res = await t.http().get(`/api/v1/knowledge/articles/${articleId}/versions/1`).set(owner.auth).expect(200);
    expect(res.body).toMatchObject({ version: 1, current: false, currentVersion: 3, body: expect.stringContaining('30 days') });
    const removed = res.body.changes.filter((c: { removed: boolean }) => c.removed).map((c: { value: string }) => c.value);
    const added = res.body.changes.filter((c: { added: boolean }) => c.added).map((c: { value: string }) => c.value);
    expect(removed).toEqual(['Return within 30 days.\n']);
    expect(added).toEqual(['Return within 60 days.\n']);
    expect(res.body.changes.some((c: { value: string; added: boolean; removed: boolean }) => !c.added && !c.removed && c.value.includes('Keep the receipt.'))).toBe(true);
  });

  it('restores version 1 as version 4, re-chunks it so the agent retrieves the old text, and keeps version 3 in the history', async () => {
    expect(await chunkText()).toContain('60 days');
    const res = await t.http().post(`/api/v1/knowledge/articles/${articleId}/versions/1/restore`).set(owner.auth).expect(200);
    expect(res.body).toMatchObject({ version: 4, title: 'Returns', body: expect.stringContaining('30 days') });
    expect(await chunkText()).toContain('30 days');
    expect(await chunkText()).not.toContain('60 days');
    const kept = await t.db.manager.findOneByOrFail(KnowledgeArticleVersion, { tenantId, articleId, version: 3 });
    expect(kept).toMatchObject({ title: 'Returns and refunds', body: expect.stringContaining('60 days') });
  });

  it('answers 404 for a version the article never had and 400 naming the version when it is not a number', async () => {
    const missing = await t.http().get(`/api/v1/knowledge/articles/${articleId}/versions/99`).set(owner.auth).expect(404);
    expect(missing.body.error.message).toContain('no version 99');
    const bad = await t.http().post(`/api/v1/knowledge/articles/${articleId}/versions/latest/restore`).set(owner.auth).expect(400);
    expect(bad.body.error.message).toContain('version');
  });

  it('lets an agent read the history but not restore it', async () => {
    const agent = await signIn(t, 'agent', tenantId);
    await t.http().get(`/api/v1/knowledge/articles/${articleId}/versions/2`).set(agent.auth).expect(200);
    await t.http().post(`/api/v1/knowledge/articles/${articleId}/versions/2/restore`).set(agent.auth).expect(403);
  });

  it('forgets the history with the article', async () => {
    await t.http().delete(`/api/v1/knowledge/articles/${articleId}`).set(owner.auth).expect(204);
    expect(await t.db.manager.countBy(KnowledgeArticleVersion, { tenantId, articleId })).toBe(0);
  });
});
