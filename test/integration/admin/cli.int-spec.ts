import { execFile } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';
import { newId } from '@cs/contracts';
import { Tenant, User } from '@cs/persistence';
import { startAdminApp, type AdminTestApp } from './admin-test-app';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '../../../dist/apps/gateway/src/admin/cli/cli.js');

/** `npm run cli -- create-admin ...` as an operator types it: the built CLI, against the run's database. */
function cli(...args: string[]) {
  return run(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL, NATS_URL: '' } });
}

describe('npm run cli -- create-admin', () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await startAdminApp('admincli');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('makes the first owner of a new tenant, who can then sign in to the console', async () => {
    const slug = `acme-${newId().slice(-8)}`;
    const email = `Boss-${newId()}@Acme.test`;
    const { stdout } = await cli('create-admin', '--email', email, '--password', 'long enough password', '--tenant', slug, '--tenant-name', 'Acme');
    expect(stdout).toContain('created owner');

    const tenant = await t.db.manager.findOneByOrFail(Tenant, { slug });
    expect(tenant.name).toBe('Acme');
    const user = await t.db.manager.findOneByOrFail(User, { email: email.toLowerCase() });
    expect(user).toMatchObject({ role: 'owner', tenantId: tenant.id });
    expect(user.passwordHash).not.toContain('long enough password');

    const login = await t.http().post('/api/v1/auth/login').send({ email, password: 'long enough password' }).expect(200);
    expect(login.body.user).toMatchObject({ role: 'owner', tenantId: tenant.id });
  });

  it('makes the service operator when no tenant is named', async () => {
    const email = `operator-${newId()}@service.test`;
    await cli('create-admin', '--email', email, '--password', 'long enough password');
    expect(await t.db.manager.findOneByOrFail(User, { email })).toMatchObject({ role: 'operator', tenantId: null });
  });

  it('refuses a second user with the same email and a short password, saying why', async () => {
    const email = `dup-${newId()}@acme.test`;
    await cli('create-admin', '--email', email, '--password', 'long enough password');
    await expect(cli('create-admin', '--email', email, '--password', 'long enough password')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });
    await expect(cli('create-admin', '--email', `x-${email}`, '--password', 'short')).rejects.toMatchObject({ stderr: expect.stringContaining('password') });
  });
});
