import { EmailConnector } from '../../../apps/connectors/src/channels/email/email.connector';
import { WebchatConnector } from '../../../apps/connectors/src/channels/webchat/webchat.connector';
import { ConnectorsModule } from '../../../apps/connectors/src/connectors.module';
import { createTestDatabase } from '@cs/testing';
import { startDovecot, type DovecotServer } from '../email/dovecot.harness';
import { startSmtpSink, type SmtpSink } from '../email/smtp-sink.harness';
import { createTenant, signIn, startAdminApp, type AdminTestApp, type SignedIn } from './admin-test-app';
import { BusSubjects } from '@cs/contracts';

describe('the console’s "test connection" button, answered by the connectors app', () => {
  let t: AdminTestApp;
  let imap: DovecotServer;
  let smtp: SmtpSink;
  let owner: SignedIn;

  beforeAll(async () => {
    [imap, smtp] = await Promise.all([startDovecot(), startSmtpSink()]);
    // A database of its own: another spec's email connector must never start watching these mailboxes.
    const databaseUrl = await createTestDatabase('admintestconn');
    t = await startAdminApp('admintestconn', { imports: [ConnectorsModule.withConnectors([EmailConnector, WebchatConnector])], databaseUrl });
    owner = await signIn(t, 'owner', (await createTenant(t.db)).id);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([imap?.stop(), smtp?.stop()]);
  });

  /** A support mailbox saved through the console, as a shop owner would. */
  const connectMailbox = async (who: SignedIn, imapPassword: string) => {
    const settings = {
      imapHost: imap.host, imapPort: imap.port, imapTls: false, imapUser: imap.user, imapPassword,
      smtpHost: smtp.host, smtpPort: smtp.port, smtpSecure: false, smtpUser: smtp.user, smtpPassword: smtp.password,
      supportAddress: 'support@shop.test', displayName: 'Shop Support',
    };
    const res = await t.http().post('/api/v1/channel-accounts').set(who.auth).send({ connectorId: 'email', name: 'Support mailbox', settings }).expect(201);
    return res.body.id as string;
  };

  it('says the connection works for a mailbox the IMAP and SMTP servers accept', async () => {
    const id = await connectMailbox(owner, imap.password);
    const res = await t.http().post(`/api/v1/channel-accounts/${id}/test`).set(owner.auth).expect(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('names the refused IMAP login for a wrong password, without echoing it, and tests the fixed settings once saved', async () => {
    const id = await connectMailbox(owner, 'a-wrong-imap-password');
    const refused = await t.http().post(`/api/v1/channel-accounts/${id}/test`).set(owner.auth).expect(200);
    expect(refused.body).toEqual({ ok: false, detail: `IMAP: login refused for ${imap.user}; check the user name and password` });
    expect(JSON.stringify(refused.body)).not.toContain('a-wrong-imap-password');

    await t.http().patch(`/api/v1/channel-accounts/${id}`).set(owner.auth).send({ settings: { imapPassword: imap.password } }).expect(200);
    expect((await t.http().post(`/api/v1/channel-accounts/${id}/test`).set(owner.auth).expect(200)).body).toEqual({ ok: true });
  });

  it('says "not supported" for a channel that has nothing to test', async () => {
    const widget = await t.http().post('/api/v1/channel-accounts').set(owner.auth).send({ connectorId: 'webchat', name: 'Site widget' }).expect(201);
    const res = await t.http().post(`/api/v1/channel-accounts/${widget.body.id}/test`).set(owner.auth).expect(200);
    expect(res.body).toEqual({ ok: false, detail: 'not supported' });
  });

  it('never tests another tenant’s account, whether asked through the console or on the bus', async () => {
    const id = await connectMailbox(owner, imap.password);
    const stranger = await signIn(t, 'owner', (await createTenant(t.db, 'Other shop')).id);
    await t.http().post(`/api/v1/channel-accounts/${id}/test`).set(stranger.auth).expect(404);
    const direct = await t.bus.request(BusSubjects.connectorAccountTest(), { tenantId: stranger.tenantId!, channelAccountId: id }, 10_000);
    expect(direct).toEqual({ ok: false, detail: 'not found' });
  });
});
