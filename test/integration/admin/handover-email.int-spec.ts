import type { AddressInfo } from 'net';
import { newId } from '@cs/contracts';
import { seedDemo, type SeedDemoResult } from '@cs/knowledge';
import { Conversation, Message } from '@cs/persistence';
import { createTestDatabase, waitFor } from '@cs/testing';
import { AgentModule } from '../../../apps/agent/src/agent.module';
import { EmailConnector } from '../../../apps/connectors/src/channels/email/email.connector';
import { ConnectorsModule } from '../../../apps/connectors/src/connectors.module';
import { startDovecot, type DovecotServer } from '../email/dovecot.harness';
import { SUPPORT, mail } from '../email/email-test-kit';
import { startSmtpSink, type CapturedMail, type SmtpSink } from '../email/smtp-sink.harness';
import { startAdminApp, type AdminTestApp } from './admin-test-app';

const CUSTOMER = 'jane@customer.example';
const STAFF_PASSWORD = 'demo admin password';

describe('a person takes over an email conversation from the console', () => {
  let t: AdminTestApp;
  let imap: DovecotServer;
  let smtp: SmtpSink;
  let demo: SeedDemoResult;
  let staff: { Authorization: string };

  beforeAll(async () => {
    [imap, smtp] = await Promise.all([startDovecot(), startSmtpSink()]);
    // The whole product in one app on real PostgreSQL and NATS: gateway (console), agent, the email connector.
    const databaseUrl = await createTestDatabase('adminhandovermail');
    t = await startAdminApp('adminhandovermail', { root: 'gateway', imports: [AgentModule, ConnectorsModule.withConnectors([EmailConnector])], databaseUrl, serve: true });
    demo = await seedDemo(t.db, { publicUrl: `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`, adminPassword: STAFF_PASSWORD });
    const login = await t.http().post('/api/v1/auth/login').send({ email: demo.adminEmail, password: STAFF_PASSWORD }).expect(200);
    staff = { Authorization: `Bearer ${login.body.accessToken}` };
    // The shop connects its support mailbox from the console; the connector picks it up at its next refresh, which we trigger now.
    const settings = {
      imapHost: imap.host, imapPort: imap.port, imapTls: false, imapUser: imap.user, imapPassword: imap.password,
      smtpHost: smtp.host, smtpPort: smtp.port, smtpSecure: false, smtpUser: smtp.user, smtpPassword: smtp.password,
      supportAddress: SUPPORT, displayName: 'Demo Shop Support', pollIntervalSec: 5,
    };
    await t.http().post('/api/v1/channel-accounts').set(staff).send({ connectorId: 'email', name: 'Support mailbox', settings }).expect(201);
    await t.app.get(EmailConnector).refresh();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([imap?.stop(), smtp?.stop()]);
  });

  const repliesTo = (messageId: string) => smtp.mails.filter((m) => m.parsed.inReplyTo === `<${messageId}>`);
  const autoSubmitted = (m: CapturedMail) => m.parsed.headers.get('auto-submitted');
  const conversationOf = async (externalMessageId: string) =>
    (await waitFor(() => t.db.manager.findOneBy(Message, { externalMessageId, direction: 'in' }), { what: `${externalMessageId} stored`, timeoutMs: 30_000 })).conversationId;
  /** The customer writes in the thread, answering the mail `parent` as a mail client would. */
  const answer = async (parent: CapturedMail, body: string, previous: string[]) => {
    const id = `${newId()}@customer.example`;
    const references = [...previous, parent.parsed.messageId as string].join(' ');
    await imap.append(mail({ from: `Jane Doe <${CUSTOMER}>`, subject: parent.parsed.subject as string, id, body, headers: [`In-Reply-To: ${parent.parsed.messageId}`, `References: ${references}`] }));
    return id;
  };

  it('sends the person’s reply in the customer’s thread, keeps the bot silent, and returns to the bot after resolve and a new mail', async () => {
    // The customer writes; the agent answers by email (an answer or a hand-off notice, both automatic).
    await imap.append(mail({ from: `Jane Doe <${CUSTOMER}>`, subject: 'Delivery time', id: 'handover-q1@customer.example', body: 'How long does delivery take?' }));
    const botReply = await waitFor(() => repliesTo('handover-q1@customer.example')[0], { what: 'the agent’s email reply', timeoutMs: 60_000 });
    expect(autoSubmitted(botReply)).toBe('auto-replied');
    const conversationId = await conversationOf('handover-q1@customer.example');

    // A person replies from the console: it goes out by SMTP in the same thread, as a person's mail.
    const inbox = await t.http().get('/api/v1/conversations').query({ channel: 'email' }).set(staff).expect(200);
    expect(inbox.body.items.map((c: { id: string }) => c.id)).toContain(conversationId);
    await t.http().post(`/api/v1/conversations/${conversationId}/replies`).set(staff).send({ text: 'Hi Jane, Maria here. Your parcel left our warehouse today.' }).expect(201);
    const personal = await waitFor(() => smtp.mails.find((m) => autoSubmitted(m) === 'no'), { what: 'the person’s reply at the SMTP sink', timeoutMs: 20_000 });
    expect(personal.envelopeTo).toEqual([CUSTOMER]);
    expect(personal.parsed.text).toContain('Your parcel left our warehouse today.');
    expect(personal.parsed.inReplyTo).toBe('<handover-q1@customer.example>');
    expect(personal.parsed.references).toContain('<handover-q1@customer.example>');
    expect(personal.parsed.subject).toBe(botReply.parsed.subject);
    expect(personal.parsed.messageId).not.toBe(botReply.parsed.messageId);

    // The customer answers the person: the mail joins the conversation, and the bot says nothing.
    const mailsBefore = smtp.mails.length;
    const q2 = await answer(personal, 'Thank you! Can I still change the delivery address?', ['<handover-q1@customer.example>']);
    expect(await conversationOf(q2)).toBe(conversationId);
    await new Promise((r) => setTimeout(r, 2000));
    expect(smtp.mails.slice(mailsBefore)).toHaveLength(0);
    expect(await t.db.manager.findOneByOrFail(Conversation, { id: conversationId })).toMatchObject({ status: 'assigned' });

    // Resolved from the console, the conversation is the bot's again when the customer writes once more.
    await t.http().post(`/api/v1/conversations/${conversationId}/resolve`).set(staff).expect(200);
    const q3 = await answer(personal, 'One more question: how do returns work?', ['<handover-q1@customer.example>', `<${q2}>`]);
    const botAgain = await waitFor(() => repliesTo(q3)[0], { what: 'the agent answering again', timeoutMs: 30_000 });
    expect(autoSubmitted(botAgain)).toBe('auto-replied');
    expect(botAgain.envelopeTo).toEqual([CUSTOMER]);
    expect(await conversationOf(q3)).toBe(conversationId);
    expect(await t.db.manager.findOneByOrFail(Conversation, { id: conversationId })).toMatchObject({ status: 'bot', assigneeId: null });
  }, 150_000);
});
