import { ConnectorsModule } from '../../../apps/connectors/src/connectors.module';
import { ChannelAccount } from '@cs/persistence';
import { createTenant, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';

const TWILIO = {
  accountSid: `AC${'0123456789abcdef'.repeat(2)}`,
  authToken: 'super-secret-auth-token-1234',
  phoneNumbers: ['+14155550100'],
};

describe('channel accounts, validated by the connectors app and stored with sealed secrets', () => {
  let t: AdminTestApp;
  let owner: SignedIn;

  beforeAll(async () => {
    // The connectors app answers the console's questions over the bus, as in the distributed mode.
    t = await startAdminApp('adminchannels', { imports: [ConnectorsModule] });
    owner = await signIn(t, 'owner', (await createTenant(t.db)).id);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists the connectable channels with their settings forms', async () => {
    const res = await t.http().get('/api/v1/connectors').set(owner.auth).expect(200);
    const sms = (res.body as { id: string; settingsSchema: { properties: Record<string, unknown> } }[]).find((c) => c.id === 'twilio-sms');
    expect(Object.keys(sms?.settingsSchema.properties ?? {})).toEqual(expect.arrayContaining(['accountSid', 'authToken']));
  });

  it('encrypts the secret settings, never returns them, and keeps them when other settings change', async () => {
    const created = await t.http().post('/api/v1/channel-accounts').set(owner.auth).send({ connectorId: 'twilio-sms', name: 'Support line', settings: TWILIO }).expect(201);
    expect(created.body).toMatchObject({ connectorId: 'twilio-sms', status: 'active', secretFields: ['authToken'] });
    expect(JSON.stringify(created.body)).not.toContain(TWILIO.authToken);

    const row = await t.db.manager.findOneByOrFail(ChannelAccount, { id: created.body.id });
    expect(JSON.stringify(row)).not.toContain(TWILIO.authToken);
    expect(row.secretsEncrypted).toMatch(/^v1\./);

    const updated = await t.http().patch(`/api/v1/channel-accounts/${created.body.id}`).set(owner.auth).send({ settings: { phoneNumbers: ['+14155550199'] } }).expect(200);
    expect(updated.body).toMatchObject({ settings: { phoneNumbers: ['+14155550199'] }, secretFields: ['authToken'] });
    const listed = await t.http().get('/api/v1/channel-accounts').set(owner.auth).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(TWILIO.authToken);
  });

  it('refuses settings the connector’s schema rejects, naming the field', async () => {
    const res = await t.http().post('/api/v1/channel-accounts').set(owner.auth).send({ connectorId: 'twilio-sms', name: 'Bad', settings: { ...TWILIO, accountSid: 'nope' } }).expect(400);
    expect(res.body.error.message).toContain('accountSid');
    const unknown = await t.http().post('/api/v1/channel-accounts').set(owner.auth).send({ connectorId: 'pigeon', name: 'x' }).expect(400);
    expect(unknown.body.error.fields[0].path).toBe('connectorId');
  });

  it('gives a new web-chat account a widget key of its own, and disables and deletes accounts', async () => {
    const created = await t.http().post('/api/v1/channel-accounts').set(owner.auth).send({ connectorId: 'webchat', name: 'Site widget' }).expect(201);
    expect(created.body.publicKey).toMatch(/^wk_/);
    await t.http().patch(`/api/v1/channel-accounts/${created.body.id}`).set(owner.auth).send({ status: 'disabled' }).expect(200);
    expect((await t.db.manager.findOneByOrFail(ChannelAccount, { id: created.body.id })).status).toBe('disabled');
    await t.http().delete(`/api/v1/channel-accounts/${created.body.id}`).set(owner.auth).expect(204);
    await t.http().get(`/api/v1/channel-accounts/${created.body.id}`).set(owner.auth).expect(404);
  });

  it("sets a Slack account's public key to its team id, so Slack's events find it, and follows the team id when it changes", async () => {
    const slack = { botToken: 'xoxb-console-test', signingSecret: 'console-signing-secret', teamId: 'T0CONSOLE1' };
    const created = await t.http().post('/api/v1/channel-accounts').set(owner.auth).send({ connectorId: 'slack', name: 'Workspace', settings: slack }).expect(201);
    expect(created.body.publicKey).toBe('T0CONSOLE1');

    const moved = await t.http().patch(`/api/v1/channel-accounts/${created.body.id}`).set(owner.auth).send({ settings: { teamId: 'T0CONSOLE2' } }).expect(200);
    expect(moved.body.publicKey).toBe('T0CONSOLE2');

    const wrong = await t.http().post('/api/v1/channel-accounts').set(owner.auth).send({ connectorId: 'slack', name: 'Other', settings: { ...slack, teamId: 'T0CONSOLE3' }, publicKey: 'T0SOMEONE' }).expect(400);
    expect(wrong.body.error.fields[0].path).toBe('publicKey');
  });
});
