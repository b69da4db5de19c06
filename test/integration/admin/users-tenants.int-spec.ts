import { newId } from '@cs/contracts';
import { PASSWORD, createTenant, signIn, startAdminApp, type AdminTestApp } from './admin-test-app';

describe('the team of a tenant, and tenants for the service operator', () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await startAdminApp('adminusers');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets an owner add an agent who can then sign in, and lists the team without password hashes', async () => {
    const tenantId = (await createTenant(t.db)).id;
    const owner = await signIn(t, 'owner', tenantId);
    const email = `new-${newId()}@shop.test`;
    await t.http().post('/api/v1/users').set(owner.auth).send({ email, password: 'a long password', name: 'Nia' }).expect(201);
    await t.http().post('/api/v1/auth/login').send({ email, password: 'a long password' }).expect(200);
    const team = await t.http().get('/api/v1/users').set(owner.auth).expect(200);
    expect(team.body.items.map((u: { email: string; role: string }) => [u.email, u.role])).toEqual([[owner.email, 'owner'], [email, 'agent']]);
    expect(JSON.stringify(team.body)).not.toMatch(/\$2[aby]\$/);
    await t.http().post('/api/v1/users').set(owner.auth).send({ email, password: 'a long password' }).expect(409);
  });

  it('shows every role of the team the active teammates to assign to, names and emails only', async () => {
    const tenantId = (await createTenant(t.db)).id;
    const owner = await signIn(t, 'owner', tenantId);
    const agent = await signIn(t, 'agent', tenantId);
    const leaver = await t.http().post('/api/v1/users').set(owner.auth).send({ email: `left-${newId()}@shop.test`, password: 'a long password', name: 'Leaver' }).expect(201);
    await t.http().patch(`/api/v1/users/${leaver.body.id}`).set(owner.auth).send({ disabled: true }).expect(200);
    const other = (await createTenant(t.db)).id;
    const stranger = await signIn(t, 'agent', other);

    await t.http().get('/api/v1/users').set(agent.auth).expect(403);
    const directory = await t.http().get('/api/v1/users/directory').set(agent.auth).expect(200);
    expect(directory.body.items.map((u: { id: string }) => u.id).sort()).toEqual([owner.userId, agent.userId].sort());
    expect(Object.keys(directory.body.items[0]).sort()).toEqual(['email', 'id', 'name', 'role']);
    expect(JSON.stringify(directory.body)).not.toContain(stranger.userId);
  });

  it('keeps owners in the hands of owners, and never leaves a tenant without one', async () => {
    const tenantId = (await createTenant(t.db)).id;
    const owner = await signIn(t, 'owner', tenantId);
    const admin = await signIn(t, 'admin', tenantId);
    await t.http().post('/api/v1/users').set(admin.auth).send({ email: `o-${newId()}@shop.test`, password: 'a long password', role: 'owner' }).expect(403);
    await t.http().patch(`/api/v1/users/${owner.userId}`).set(admin.auth).send({ disabled: true }).expect(403);
    await t.http().patch(`/api/v1/users/${owner.userId}`).set(owner.auth).send({ role: 'agent' }).expect(409);
    await t.http().patch(`/api/v1/users/${admin.userId}`).set(owner.auth).send({ role: 'owner' }).expect(200);
    await t.http().patch(`/api/v1/users/${owner.userId}`).set(owner.auth).send({ role: 'admin' }).expect(200);
  });

  it('signs a disabled user out at once', async () => {
    const tenantId = (await createTenant(t.db)).id;
    const owner = await signIn(t, 'owner', tenantId);
    const agent = await signIn(t, 'agent', tenantId);
    await t.http().patch(`/api/v1/users/${agent.userId}`).set(owner.auth).send({ disabled: true }).expect(200);
    await t.http().get('/api/v1/auth/me').set(agent.auth).expect(401);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: agent.refreshToken }).expect(401);
  });

  it('changes one’s own password only with the current one, and signs other sessions out', async () => {
    const tenantId = (await createTenant(t.db)).id;
    const agent = await signIn(t, 'agent', tenantId);
    await t.http().post('/api/v1/users/me/password').set(agent.auth).send({ currentPassword: 'wrong', newPassword: 'a brand new password' }).expect(401);
    await t.http().post('/api/v1/users/me/password').set(agent.auth).send({ currentPassword: PASSWORD, newPassword: 'a brand new password' }).expect(204);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: agent.refreshToken }).expect(401);
    await t.http().post('/api/v1/auth/login').send({ email: agent.email, password: 'a brand new password' }).expect(200);
  });

  it('lets the operator create a tenant with its first owner, who sees only that tenant', async () => {
    const operator = await signIn(t, 'operator', null);
    const slug = `shop-${newId().slice(-12)}`;
    const email = `first-${newId()}@shop.test`;
    const created = await t.http().post('/api/v1/tenants').set(operator.auth).send({ name: 'New Shop', slug, owner: { email, password: 'a long password' } }).expect(201);
    expect(created.body).toMatchObject({ name: 'New Shop', slug, owner: { email, role: 'owner' } });
    await t.http().post('/api/v1/tenants').set(operator.auth).send({ name: 'Again', slug, owner: { email: `x-${email}`, password: 'a long password' } }).expect(409);

    const login = await t.http().post('/api/v1/auth/login').send({ email, password: 'a long password' }).expect(200);
    const settings = await t.http().get('/api/v1/settings').set({ Authorization: `Bearer ${login.body.accessToken}` }).expect(200);
    expect(settings.body).toMatchObject({ tenantId: created.body.id, name: 'New Shop' });

    await t.http().patch(`/api/v1/tenants/${created.body.id}`).set(operator.auth).send({ name: 'Renamed Shop' }).expect(200);
    const listed = await t.http().get('/api/v1/tenants?limit=100').set(operator.auth).expect(200);
    expect(listed.body.items.find((x: { id: string }) => x.id === created.body.id)).toMatchObject({ name: 'Renamed Shop' });
  });
});
