import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { readFileSync } from 'fs';
import { join } from 'path';
import { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { CoreModule, SecretBox, agentEnvSchema, loadEnv } from '@cs/config';
import { BusTransport } from '@cs/messaging';
import { seedDemo } from '@cs/knowledge';
import { createTestDatabase } from '@cs/testing';
import { AgentModule } from '../../../apps/agent/src/agent.module';
import { EmailConnector } from '../../../apps/connectors/src/channels/email/email.connector';
import { ConnectorsModule } from '../../../apps/connectors/src/connectors.module';
import { OUTBOUND_DISPATCH_OPTIONS } from '../../../apps/connectors/src/outbound/outbound-dispatcher.service';
import { startDovecot, type DovecotServer } from './dovecot.harness';
import { FIXTURES, SUPPORT, mail, until } from './email-test-kit';
import { startSmtpSink, type CapturedMail, type SmtpSink } from './smtp-sink.harness';
import { GatewayModule } from '../../../apps/gateway/src/gateway.module';
import { ConversationActionsService } from '../../../apps/gateway/src/admin/conversations/conversation-actions.service';

const SECRET_KEY = 'email-loop-int-spec-secret-key-of-32-chars';

/**
 * The whole loop in one process, as the embedded mode runs it: real IMAP in, the agent answering
 * from the demo knowledge base, the outbound dispatcher, real SMTP out, real PostgreSQL.
 */
describe('an email conversation with the agent', () => {
  let app: INestApplication;
  let ds: DataSource;
  let imap: DovecotServer;
  let smtp: SmtpSink;
  let tenantId: string;
  let connector: EmailConnector;

  beforeAll(async () => {
    [imap, smtp] = await Promise.all([startDovecot(), startSmtpSink()]);
    const env = loadEnv(agentEnvSchema, { DATABASE_URL: await createTestDatabase('emailloop'), SECRET_KEY, DB_POOL_SIZE: '4' });
    const moduleRef = await Test.createTestingModule({
      imports: [
        CoreModule.forRoot(env, { app: 'email-loop' }),
        // For staff's console actions (resolving a conversation).
        GatewayModule,
        AgentModule,
        ConnectorsModule.withConnectors([EmailConnector], [{ provide: OUTBOUND_DISPATCH_OPTIONS, useValue: { maxDeliver: 3, backoffMs: [200] } }]),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.connectMicroservice({ strategy: app.get(BusTransport) });
    await app.startAllMicroservices();
    await app.init();
    ds = app.get(DataSource);
    tenantId = (await seedDemo(ds, { publicUrl: 'http://shop.test' })).tenantId;
    await ds.query(
      `INSERT INTO channel_accounts (id, tenant_id, connector_id, name, settings, secrets_encrypted) VALUES ($1, $2, 'email', 'Support mailbox', $3, $4)`,
      [
        newId(),
        tenantId,
        JSON.stringify({
          imapHost: imap.host, imapPort: imap.port, imapTls: false, imapUser: imap.user,
          smtpHost: smtp.host, smtpPort: smtp.port, smtpSecure: false, smtpUser: smtp.user,
          supportAddress: SUPPORT, displayName: 'Demo Shop Support', pollIntervalSec: 5,
        }),
        new SecretBox(SECRET_KEY).seal({ imapPassword: imap.password, smtpPassword: smtp.password }),
      ],
    );
    connector = app.get(EmailConnector);
    await connector.refresh(); // the account was added after the app started
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([imap?.stop(), smtp?.stop()]);
  });

  const repliesTo = (messageId: string) => smtp.mails.filter((m) => m.parsed.inReplyTo === `<${messageId}>`);
  // Generous: the first answer waits for the agent's models to load on a busy 2-core machine.
  const replyTo = (messageId: string) => until(`the reply to ${messageId}`, () => repliesTo(messageId)[0], 60_000);
  const conversationOf = async (externalMessageId: string): Promise<string> =>
    (await ds.query(`SELECT conversation_id FROM messages WHERE external_message_id = $1 AND direction = 'in'`, [externalMessageId]))[0]?.conversation_id;

  it("answers a question with one threaded reply, and the customer's answer to it continues the same conversation", async () => {
    await imap.append(mail({ from: 'Jane Doe <jane@customer.example>', subject: 'Delivery time', id: 'loop-q1@customer.example', body: 'How long does delivery take?' }));
    const first: CapturedMail = await replyTo('loop-q1@customer.example');
    expect(first.envelopeTo).toEqual(['jane@customer.example']);
    expect(first.parsed.subject).toMatch(/^Re: Delivery time \[#[0-9a-f]{8}\]$/);
    expect(first.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(first.parsed.text).toMatch(/^Hello Jane,\n\nStandard delivery takes 3 to 5 working days/);
    expect(first.parsed.html).toContain('<a href="http://shop.test/kb/delivery-times">');

    const ours = first.parsed.messageId as string;
    await imap.append(
      mail({
        from: 'Jane Doe <jane@customer.example>',
        subject: first.parsed.subject as string,
        id: 'loop-q2@customer.example',
        body: `And how do returns work?\r\n\r\nOn ${new Date().toUTCString()}, Demo Shop Support <${SUPPORT}> wrote:\r\n> Standard delivery takes 3 to 5 working days.`,
        headers: [`In-Reply-To: ${ours}`, `References: <loop-q1@customer.example> ${ours}`],
      }),
    );
    const second = await replyTo('loop-q2@customer.example');
    expect(second.parsed.references).toEqual(['<loop-q1@customer.example>', ours, '<loop-q2@customer.example>']);
    expect(second.parsed.subject).toBe(first.parsed.subject);
    expect(await conversationOf('loop-q2@customer.example')).toBe(await conversationOf('loop-q1@customer.example'));
    const [stored] = await ds.query(`SELECT text FROM messages WHERE external_message_id = 'loop-q2@customer.example'`);
    expect(stored.text).toBe('And how do returns work?');
  }, 150_000);

  it('tells the customer by email when a person will answer a question it cannot', async () => {
    await imap.append(mail({ from: 'Max Power <max@customer.example>', subject: 'Bikes', id: 'loop-h1@customer.example', body: 'Do you sell bicycles?' }));
    const reply = await replyTo('loop-h1@customer.example');
    expect(reply.parsed.text).toMatch(/^Hello Max,/);
    expect(reply.parsed.text).toContain('within one working day');
    const [conversation] = await ds.query(`SELECT status FROM conversations WHERE id = $1`, [await conversationOf('loop-h1@customer.example')]);
    expect(conversation.status).toBe('waiting');
  });

  it("writes the whole mail in the customer's language, not only the agent's sentence", async () => {
    await imap.append(
      mail({ from: 'Erika Muster <erika@customer.example>', subject: 'Fahrrad', id: 'loop-de1@customer.example', body: 'Verkaufen Sie auch Fahrräder? Ich suche ein Fahrrad für meine Tochter.' }),
    );
    const reply = await replyTo('loop-de1@customer.example');
    // The demo articles are English: the agent hands over, saying so in German, and the letter around it follows.
    expect(reply.parsed.text).toMatch(/^Hallo Erika,\n\nLeider kann ich Fragen auf Deutsch noch nicht selbst beantworten/);
    expect(reply.parsed.text).toMatch(/\n\nAm .+ UTC schrieb Erika Muster:\n> Verkaufen Sie auch Fahrräder\?/);
    expect(reply.parsed.text).not.toMatch(/Hello|wrote:/);
    expect(reply.parsed.subject).toMatch(/^Re: Fahrrad \[#[0-9a-f]{8}\]$/);
  });

  it('sends nothing back to an out-of-office, a bounce or a mailing list, and answers the next real question once', async () => {
    const before = smtp.mails.length;
    for (const file of ['out-of-office.eml', 'bounce-dsn.eml', 'mailing-list.eml']) await imap.append(readFileSync(join(FIXTURES, file)));
    await imap.append(mail({ from: 'kim@customer.example', subject: 'Payment', id: 'loop-q3@customer.example', body: 'What payment methods do you accept?' }));
    await replyTo('loop-q3@customer.example');
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.mails.slice(before).map((m) => m.envelopeTo)).toEqual([['kim@customer.example']]);
  });

  it('answers to the Reply-To address, also of a no-reply contact form, but never an auto-reply that has one', async () => {
    const before = smtp.mails.length;
    await imap.append(
      mail({
        from: 'Grace Hopper <grace@customer.example>',
        subject: 'Delivery',
        id: 'loop-rt1@customer.example',
        body: 'How long does delivery take?',
        headers: ['Reply-To: grace.home@customer.example'],
      }),
    );
    const toGrace = await replyTo('loop-rt1@customer.example');
    expect(toGrace.envelopeTo).toEqual(['grace.home@customer.example']);
    expect(toGrace.parsed.text).toMatch(/^Hello Grace,/);

    await imap.append(
      mail({
        from: 'Contact form <no-reply@forms.shop-site.example>',
        subject: 'Contact form: payment',
        id: 'loop-rt2@forms.shop-site.example',
        body: 'What payment methods do you accept?',
        headers: ['Reply-To: Hank <hank@customer.example>'],
      }),
    );
    const toHank = await replyTo('loop-rt2@forms.shop-site.example');
    expect(toHank.envelopeTo).toEqual(['hank@customer.example']);
    expect(toHank.parsed.text).toMatch(/^Hello Hank,/);
    const [contact] = await ds.query(
      `SELECT ci.external_user_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
         JOIN contact_identities ci ON ci.contact_id = c.contact_id AND ci.channel = 'email'
        WHERE m.external_message_id = 'loop-rt2@forms.shop-site.example'`,
    );
    expect(contact.external_user_id).toBe('hank@customer.example');

    await imap.append(
      mail({
        from: 'Ivy <ivy@customer.example>',
        subject: 'Out of office',
        id: 'loop-rt3@customer.example',
        body: 'I am away until Monday.',
        headers: ['Reply-To: ivy.home@customer.example', 'Auto-Submitted: auto-replied'],
      }),
    );
    await imap.append(mail({ from: 'kai@customer.example', subject: 'Sizes', id: 'loop-rt4@customer.example', body: 'How do I find my size?' }));
    await replyTo('loop-rt4@customer.example');
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.mails.slice(before).map((m) => m.envelopeTo)).toEqual([['grace.home@customer.example'], ['hank@customer.example'], ['kai@customer.example']]);
  }, 90_000);

  it('asks how satisfied the customer was once staff resolve the conversation, and records the number they reply', async () => {
    await imap.append(mail({ from: 'Mia <mia@customer.example>', subject: 'Returns', id: 'loop-csat1@customer.example', body: 'How do returns work?' }));
    await replyTo('loop-csat1@customer.example');
    const conversationId = await conversationOf('loop-csat1@customer.example');
    const caller = { kind: 'apiKey' as const, id: newId(), tenantId, role: 'admin' as const, scopes: [], name: 'Sam' };
    await app.get(ConversationActionsService).resolve(caller, tenantId, conversationId);

    const question = await until('the satisfaction question', () => smtp.mails.find((m) => m.envelopeTo[0] === 'mia@customer.example' && /How would you rate/.test(m.parsed.text ?? '')), 30_000);
    expect(question.parsed.text).toMatch(/^Hello Mia,\n\nHow would you rate the help you got\? Reply with a number from 1 \(poor\) to 5 \(excellent\)\./);
    expect(question.parsed.subject).toMatch(/^Re: Returns \[#[0-9a-f]{8}\]$/);

    await imap.append(
      mail({
        from: 'Mia <mia@customer.example>',
        subject: question.parsed.subject as string,
        id: 'loop-csat2@customer.example',
        body: `2\r\n\r\nOn ${new Date().toUTCString()}, Demo Shop Support <${SUPPORT}> wrote:\r\n> How would you rate the help you got?`,
        headers: [`In-Reply-To: ${question.parsed.messageId}`],
      }),
    );

    await until('the rating', async () => (await ds.query(`SELECT rating FROM conversation_feedback WHERE conversation_id = $1`, [conversationId]))[0]?.rating === 2, 30_000);
    const [conversation] = await ds.query(`SELECT status FROM conversations WHERE id = $1`, [conversationId]);
    expect(conversation.status).toBe('resolved');
    expect(await conversationOf('loop-csat2@customer.example')).toBe(conversationId);
  }, 90_000);

  it('answers every mail exactly once when the connector is restarted mid-way', async () => {
    await imap.append(mail({ from: 'lee@customer.example', subject: 'Sizes', id: 'loop-q4@customer.example', body: 'How do I find my size?' }));
    await replyTo('loop-q4@customer.example');
    await connector.stop();
    await imap.append(mail({ from: 'lee@customer.example', subject: 'Warranty', id: 'loop-q5@customer.example', body: 'How long is the warranty?' }));
    await connector.start();
    await replyTo('loop-q5@customer.example');
    await new Promise((r) => setTimeout(r, 1000));
    expect(repliesTo('loop-q4@customer.example')).toHaveLength(1);
    expect(repliesTo('loop-q5@customer.example')).toHaveLength(1);
  });
});
