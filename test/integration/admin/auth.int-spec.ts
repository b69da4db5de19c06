import { IsNull } from 'typeorm';
import { ApiKey, RefreshToken } from '@cs/persistence';
import { sha256 } from '../../../apps/gateway/src/admin/auth/token.service';
import { PASSWORD, createTenant, signIn, startAdminApp, type AdminTestApp } from './admin-test-app';

describe('console sign-in, sessions and API keys', () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await startAdminApp('adminauth');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('signs an owner in with email and password and tells them who they are', async () => {
    const tenant = await createTenant(t.db);
    const owner = await signIn(t, 'owner', tenant.id);
    const me = await t.http().get('/api/v1/auth/me').set(owner.auth).expect(200);
    expect(me.body).toMatchObject({ kind: 'user', id: owner.userId, tenantId: tenant.id, role: 'owner' });
  });

  it('refuses a wrong password with 401 and the same message as an unknown email', async () => {
    const tenant = await createTenant(t.db);
    const owner = await signIn(t, 'owner', tenant.id);
    const wrong = await t.http().post('/api/v1/auth/login').send({ email: owner.email, password: 'nope-nope' }).expect(401);
    const unknown = await t.http().post('/api/v1/auth/login').send({ email: 'nobody@shop.test', password: PASSWORD }).expect(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('names the bad field when the login body is malformed', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ email: 'not-an-email' }).expect(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['email', 'password']);
  });

  it('answers 429 with Retry-After after five attempts a minute for one email from one address', async () => {
    const email = `guess-${Date.now()}@shop.test`;
    for (let i = 0; i < 5; i++) await t.http().post('/api/v1/auth/login').send({ email, password: `guess-${i}` }).expect(401);
    const limited = await t.http().post('/api/v1/auth/login').send({ email, password: 'guess-6' }).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another email from the same address is not held back.
    await t.http().post('/api/v1/auth/login').send({ email: `other-${email}`, password: 'x' }).expect(401);
  });

  it('rotates the refresh token: the new one works, the old one no longer does and signs every session out', async () => {
    const tenant = await createTenant(t.db);
    const owner = await signIn(t, 'owner', tenant.id);
    const first = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: owner.refreshToken }).expect(200);
    expect(first.body.refreshToken).not.toBe(owner.refreshToken);
    await t.http().get('/api/v1/auth/me').set({ Authorization: `Bearer ${first.body.accessToken}` }).expect(200);

    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: owner.refreshToken }).expect(401);
    // Replaying a rotated token means it leaked: the session that descended from it is gone too.
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(401);
    const stored = await t.db.manager.find(RefreshToken, { where: { userId: owner.userId } });
    expect(stored.every((row) => row.revokedAt)).toBe(true);
    expect(stored.some((row) => row.tokenHash === owner.refreshToken)).toBe(false);
  });

  it('logs out by revoking the refresh token', async () => {
    const tenant = await createTenant(t.db);
    const agent = await signIn(t, 'agent', tenant.id);
    await t.http().post('/api/v1/auth/logout').send({ refreshToken: agent.refreshToken }).expect(204);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: agent.refreshToken }).expect(401);
  });

  it('rejects a tampered access token and one signed for another purpose', async () => {
    const tenant = await createTenant(t.db);
    const owner = await signIn(t, 'owner', tenant.id);
    const [header, payload, signature] = owner.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'operator', tid: null })).toString('base64url');
    await t.http().get('/api/v1/auth/me').set({ Authorization: `Bearer ${header}.${forged}.${signature}` }).expect(401);
  });

  it('shows an API key once, stores only its hash, lists it without the key, and stops it working once revoked', async () => {
    const tenant = await createTenant(t.db);
    const owner = await signIn(t, 'owner', tenant.id);
    const created = await t.http().post('/api/v1/api-keys').set(owner.auth).send({ name: 'CRM sync', scopes: ['agent'] }).expect(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^cs_/);

    const row = await t.db.manager.findOneByOrFail(ApiKey, { id: created.body.id });
    expect(row.keyHash).toBe(sha256(key));
    expect(JSON.stringify(row)).not.toContain(key);

    const list = await t.http().get('/api/v1/api-keys').set(owner.auth).expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(key.slice(10));
    expect(list.body.items[0]).toMatchObject({ name: 'CRM sync', scopes: ['agent'], prefix: key.slice(0, 10) });

    const me = await t.http().get('/api/v1/auth/me').set({ Authorization: `Bearer ${key}` }).expect(200);
    expect(me.body).toMatchObject({ kind: 'apiKey', tenantId: tenant.id, role: 'agent' });

    await t.http().delete(`/api/v1/api-keys/${created.body.id}`).set(owner.auth).expect(204);
    await t.http().get('/api/v1/auth/me').set({ Authorization: `Bearer ${key}` }).expect(401);
    expect(await t.db.manager.countBy(ApiKey, { tenantId: tenant.id, revokedAt: IsNull() })).toBe(0);
  });

  it('keeps an API-channel key out of the console', async () => {
    const tenant = await createTenant(t.db);
    const owner = await signIn(t, 'owner', tenant.id);
    const created = await t.http().post('/api/v1/api-keys').set(owner.auth).send({ name: 'storefront' }).expect(201);
    expect(created.body.scopes).toEqual(['channel:api']);
    await t.http().get('/api/v1/conversations').set({ Authorization: `Bearer ${created.body.key}` }).expect(403);
  });

  it('lets nobody past a disabled account, even with a valid access token', async () => {
    const tenant = await createTenant(t.db);
    const agent = await signIn(t, 'agent', tenant.id);
    await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [agent.userId]);
    await t.http().get('/api/v1/auth/me').set(agent.auth).expect(401);
    await t.http().post('/api/v1/auth/login').send({ email: agent.email, password: PASSWORD }).expect(401);
  });
});
