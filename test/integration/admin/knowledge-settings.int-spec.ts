import { KnowledgeSearch } from '@cs/knowledge';
import { KnowledgeChunk, Tenant } from '@cs/persistence';
import { createTenant, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

describe('knowledge articles and tenant settings from the console', () => {
  let t: AdminTestApp;
  let tenantId: string;
  let owner: SignedIn;
  const search = new KnowledgeSearch();

  beforeAll(async () => {
    t = await startAdminApp('adminkb');
    tenantId = (await createTenant(t.db)).id;
    owner = await signIn(t, 'owner', tenantId);
  });
  afterAll(async () => {
    await t?.close();
  });

  const contents = async (articleId: string) =>
    (await t.db.manager.find(KnowledgeChunk, { where: { articleId }, order: { ordinal: 'ASC' } })).map((c) => c.content).join('\n');

  it('makes a new article searchable by the agent at once', async () => {
    const res = await t.http().post('/api/v1/knowledge/articles').set(owner.auth).send({
      title: 'Gift wrapping',
      body: '# Gift wrapping\n\nWe wrap any order in recycled paper for two euros. Choose it at checkout.',
      tags: ['orders'],
    }).expect(201);
    expect(res.body).toMatchObject({ slug: 'gift-wrapping', version: 1, published: true });
    const passages = await search.search(t.db, tenantId, 'do you do gift wrapping?');
    expect(passages.map((p) => p.articleId)).toContain(res.body.id);
  });

  it('bumps the version and re-chunks when the body changes', async () => {
    const created = await t.http().post('/api/v1/knowledge/articles').set(owner.auth).send({ title: 'Store hours', body: 'We are open from nine to five.' }).expect(201);
    const updated = await t.http().patch(`/api/v1/knowledge/articles/${created.body.id}`).set(owner.auth).send({ body: 'We are open from eight to eight, every day.' }).expect(200);
    expect(updated.body.version).toBe(2);
    expect(await contents(created.body.id)).toContain('eight to eight');
    expect(await contents(created.body.id)).not.toContain('nine to five');
    const fetched = await t.http().get(`/api/v1/knowledge/articles/${created.body.id}`).set(owner.auth).expect(200);
    expect(fetched.body).toMatchObject({ version: 2, body: 'We are open from eight to eight, every day.' });
  });

  it('gives repeated titles distinct slugs and refuses a slug already taken', async () => {
    await t.http().post('/api/v1/knowledge/articles').set(owner.auth).send({ title: 'Returns', body: 'Thirty days.' }).expect(201);
    const second = await t.http().post('/api/v1/knowledge/articles').set(owner.auth).send({ title: 'Returns', body: 'Still thirty days.' }).expect(201);
    expect(second.body.slug).toBe('returns-2');
    await t.http().post('/api/v1/knowledge/articles').set(owner.auth).send({ title: 'Other', slug: 'returns', body: 'x' }).expect(409);
  });

  it('deletes an article with its chunks', async () => {
    const created = await t.http().post('/api/v1/knowledge/articles').set(owner.auth).send({ title: 'Old promo', body: 'Ten percent off in May.' }).expect(201);
    await t.http().delete(`/api/v1/knowledge/articles/${created.body.id}`).set(owner.auth).expect(204);
    await t.http().get(`/api/v1/knowledge/articles/${created.body.id}`).set(owner.auth).expect(404);
    expect(await t.db.manager.countBy(KnowledgeChunk, { articleId: created.body.id })).toBe(0);
  });

  it('lists articles without their bodies, a page at a time', async () => {
    const own = (await createTenant(t.db)).id;
    const admin = await signIn(t, 'admin', own);
    for (const title of ['One', 'Two', 'Three']) {
      await t.http().post('/api/v1/knowledge/articles').set(admin.auth).send({ title, body: `${title} body` }).expect(201);
    }
    const first = await t.http().get('/api/v1/knowledge/articles?limit=2').set(admin.auth).expect(200);
    expect(first.body.items.map((a: { title: string }) => a.title)).toEqual(['Three', 'Two']);
    expect(first.body.items[0].body).toBeUndefined();
    const second = await t.http().get(`/api/v1/knowledge/articles?limit=2&after=${first.body.nextCursor}`).set(admin.auth).expect(200);
    expect(second.body).toMatchObject({ items: [{ title: 'One' }], nextCursor: null });
  });

  it('lets an agent read articles but not change them', async () => {
    const agent = await signIn(t, 'agent', tenantId);
    await t.http().get('/api/v1/knowledge/articles').set(agent.auth).expect(200);
    await t.http().post('/api/v1/knowledge/articles').set(agent.auth).send({ title: 'x', body: 'y' }).expect(403);
  });

  it('changes settings the agent reads, clears one with null, and keeps keys it does not know', async () => {
    await t.db.query(`UPDATE tenants SET settings = '{"widgetColor":"#123456"}' WHERE id = $1`, [tenantId]);
    const patched = await t.http().patch('/api/v1/settings').set(owner.auth).send({
      confidenceThreshold: 0.6,
      handoffMessage: 'A colleague will get back to you.',
      expectedResponseTime: 'within 2 hours',
      brandVoice: 'Warm and brief.',
      timezone: 'Europe/Berlin',
      businessHours: { mon: [['09:00', '12:30'], ['13:30', '18:00']], sat: [['10:00', '14:00']] },
    }).expect(200);
    expect(patched.body.settings).toMatchObject({ confidenceThreshold: 0.6, widgetColor: '#123456' });

    await t.http().patch('/api/v1/settings').set(owner.auth).send({ brandVoice: null }).expect(200);
    const stored = await t.db.manager.findOneByOrFail(Tenant, { id: tenantId });
    expect(stored.settings).toEqual({
      widgetColor: '#123456',
      confidenceThreshold: 0.6,
      handoffMessage: 'A colleague will get back to you.',
      expectedResponseTime: 'within 2 hours',
      timezone: 'Europe/Berlin',
      businessHours: { mon: [['09:00', '12:30'], ['13:30', '18:00']], sat: [['10:00', '14:00']] },
    });
  });

  it('names each invalid setting', async () => {
    const res = await t.http().patch('/api/v1/settings').set(owner.auth).send({
      confidenceThreshold: 1.5,
      timezone: 'Mars/Olympus',
      businessHours: { mon: [['18:00', '09:00']] },
    }).expect(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path.split('.')[0]).sort()).toEqual(['businessHours', 'confidenceThreshold', 'timezone']);
  });

  it("keeps a tenant's model key write-only: sealed at rest, never sent back, removable", async () => {
    const patched = await t.http().patch('/api/v1/settings').set(owner.auth).send({
      llmProvider: 'openai-compatible',
      llmBaseUrl: 'https://models.example.test/v1',
      llmModel: 'shop-model-1',
      llmApiKey: 'sk-tenant-secret-key',
    }).expect(200);
    expect(patched.body.settings).toMatchObject({ llmBaseUrl: 'https://models.example.test/v1', llmModel: 'shop-model-1', llmApiKeySet: true });
    const read = await t.http().get('/api/v1/settings').set(owner.auth).expect(200);
    expect(JSON.stringify([patched.body, read.body])).not.toContain('sk-tenant-secret-key');
    expect(read.body.settings).not.toHaveProperty('llmApiKeySealed');

    const stored = await t.db.manager.findOneByOrFail(Tenant, { id: tenantId });
    expect(stored.settings.llmApiKeySealed).toMatch(/^v1\./);
    expect(JSON.stringify(stored.settings)).not.toContain('sk-tenant-secret-key');

    await t.http().patch('/api/v1/settings').set(owner.auth).send({ llmApiKey: null, llmBaseUrl: null }).expect(200);
    const cleared = await t.http().get('/api/v1/settings').set(owner.auth).expect(200);
    expect(cleared.body.settings).toMatchObject({ llmApiKeySet: false, llmModel: 'shop-model-1' });
    expect(cleared.body.settings).not.toHaveProperty('llmBaseUrl');
  });

  it('refuses a model endpoint that is not an http(s) URL', async () => {
    const res = await t.http().patch('/api/v1/settings').set(owner.auth).send({ llmBaseUrl: 'ftp://models.example.test' }).expect(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['llmBaseUrl']);
  });
});

describe('the tenant’s own intents', () => {
  let t: AdminTestApp;
  let owner: SignedIn;
  const examples = ['I want to cancel my order', 'cancel order please', 'stop my order', 'can I still cancel?', 'please cancel what I bought'];

  beforeAll(async () => {
    t = await startAdminApp('adminintents');
    owner = await signIn(t, 'owner', (await createTenant(t.db)).id);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('adds, changes and removes an intent where the agent reads it, keeping the other settings', async () => {
    await t.http().patch('/api/v1/settings').set(owner.auth).send({ brandVoice: 'Calm.' }).expect(200);
    await t.http().post('/api/v1/intents').set(owner.auth).send({ name: 'cancel_order', kind: 'handoff', examples }).expect(201);
    await t.http().post('/api/v1/intents').set(owner.auth).send({ name: 'cancel_order', examples }).expect(409);
    await t.http().patch('/api/v1/intents/cancel_order').set(owner.auth).send({ kind: 'question' }).expect(200);

    const tenant = await t.db.manager.findOneByOrFail(Tenant, { id: owner.tenantId as string });
    expect(tenant.settings).toMatchObject({ brandVoice: 'Calm.', intents: [{ name: 'cancel_order', kind: 'question', examples }] });

    await t.http().delete('/api/v1/intents/cancel_order').set(owner.auth).expect(204);
    await t.http().get('/api/v1/intents/cancel_order').set(owner.auth).expect(404);
    expect((await t.http().get('/api/v1/intents').set(owner.auth).expect(200)).body.items).toEqual([]);
  });

  it('shows the out-of-scope threshold the agent recorded for the intent model, and what it was chosen on', async () => {
    expect((await t.http().get('/api/v1/intents').set(owner.auth).expect(200)).body.calibration).toBeNull();
    // What the agent writes once it has classified a message with the tenant's model (understand.service.ts).
    const recorded = {
      model: 'a1b2c3',
      tenantIntents: 1,
      threshold: 0.48,
      rule: 'max mean of in-scope accuracy and OOS recall',
      calibratedOn: 'held-out examples and our background set of off-topic customer messages',
      inScopeAccuracy: 0.778,
      oosRecall: 0.915,
      validation: { inScope: 99, outOfScope: 129 },
      recordedAt: '2026-12-07T19:00:00.000Z',
    };
    await t.db.query(`UPDATE tenants SET settings = jsonb_set(settings, '{intentCalibration}', $2::jsonb) WHERE id = $1`, [owner.tenantId, JSON.stringify(recorded)]);
    await t.http().post('/api/v1/intents').set(owner.auth).send({ name: 'gift_wrap', examples }).expect(201);

    const res = await t.http().get('/api/v1/intents').set(owner.auth).expect(200);

    expect(res.body).toEqual({ items: [{ name: 'gift_wrap', kind: 'question', examples }], builtin: expect.arrayContaining(['order_status', 'cancel_order']), calibration: recorded });
    await t.http().delete('/api/v1/intents/gift_wrap').set(owner.auth).expect(204);
  });

  it('wants at least five examples and a snake_case name', async () => {
    const res = await t.http().post('/api/v1/intents').set(owner.auth).send({ name: 'Cancel Order', examples: ['one'] }).expect(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['examples', 'name']);
  });
});
