import { Tenant } from '@cs/persistence';
import { createTenant, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

describe("the tenant's say per action, from the console", () => {
  let t: AdminTestApp;
  let tenantId: string;
  let owner: SignedIn;

  beforeAll(async () => {
    t = await startAdminApp('adminactions');
    tenantId = (await createTenant(t.db)).id;
    owner = await signIn(t, 'owner', tenantId);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores which actions the agent may do alone, with approval, or never, where the agent reads them', async () => {
    await t.http().patch('/api/v1/settings').set(owner.auth).send({ actionPermissions: { cancel_order: 'approval', order_status: 'alone' } }).expect(200);

    const tenant = await t.db.manager.findOneByOrFail(Tenant, { id: tenantId });
    expect(tenant.settings.actionPermissions).toEqual({ cancel_order: 'approval', order_status: 'alone' });
  });

  it('refuses an action or a permission it does not know', async () => {
    const res = await t.http().patch('/api/v1/settings').set(owner.auth).send({ actionPermissions: { cancel_order: 'sometimes' } }).expect(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path.split('.')[0])).toEqual(['actionPermissions']);
    await t.http().patch('/api/v1/settings').set(owner.auth).send({ actionPermissions: { refund_everything: 'alone' } }).expect(400);
  });

  it('stores whether customers on web chat, API and Slack must also type a one-time code, and refuses anything else', async () => {
    await t.http().patch('/api/v1/settings').set(owner.auth).send({ actionIdentity: 'code' }).expect(200);
    expect((await t.db.manager.findOneByOrFail(Tenant, { id: tenantId })).settings.actionIdentity).toBe('code');

    const res = await t.http().patch('/api/v1/settings').set(owner.auth).send({ actionIdentity: 'carrier pigeon' }).expect(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['actionIdentity']);
    await t.http().patch('/api/v1/settings').set(owner.auth).send({ actionIdentity: null }).expect(200);
    expect((await t.db.manager.findOneByOrFail(Tenant, { id: tenantId })).settings.actionIdentity).toBeUndefined();
  });
});
