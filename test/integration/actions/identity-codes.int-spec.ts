import type { AddressInfo } from 'net';
import { randomBytes } from 'crypto';
import { BusSubjects, makeEnvelope, MESSAGE_TYPES, newId, textOf, type OutboundMessage } from '@cs/contracts';
import type { Bus } from '@cs/messaging';
import { BUS } from '@cs/messaging';
import { seedDemo } from '@cs/knowledge';
import { createTestDatabase, waitFor } from '@cs/testing';
import type { DataSource } from 'typeorm';
import { AgentModule } from '../../../apps/agent/src/agent.module';
import { IntentModels } from '../../../apps/agent/src/pipeline/ai/intent-models.service';
import { runConnectBackend } from '../../../apps/agent/src/actions/connect-backend.cli';
import { EmailConnector } from '../../../apps/connectors/src/channels/email/email.connector';
import { ConnectorsModule } from '../../../apps/connectors/src/connectors.module';
import { FakeShopify, type FakeOrder } from '../../fakes/shopify/fake-shopify';
import { signIn, startAdminApp, type AdminTestApp } from '../admin/admin-test-app';
import { webchatMessage } from '../brain/brain-harness';
import { startDovecot, type DovecotServer } from '../email/dovecot.harness';
import { SUPPORT } from '../email/email-test-kit';
import { startSmtpSink, type SmtpSink } from '../email/smtp-sink.harness';
import { startTwilioStack, type TwilioTestStack } from '../twilio/twilio-test-app';

/** A web-chat customer of `tenantId` on `bus`; `say` returns the agent's published reply. */
function webchatCustomer(bus: Bus, db: DataSource, tenantId: string, outbox: OutboundMessage[]) {
  const who = `visitor-${newId()}`;
  return async (text: string): Promise<OutboundMessage> => {
    const [account] = await db.query(`SELECT id FROM channel_accounts WHERE tenant_id = $1 AND connector_id = 'webchat'`, [tenantId]);
    const message = webchatMessage(account.id, who, text);
    await bus.publish(BusSubjects.msgIn('webchat', tenantId), makeEnvelope(MESSAGE_TYPES.inbound, tenantId, message));
    return waitFor(() => outbox.find((o) => o.channelData.replyToExternalMessageId === message.externalMessageId), { timeoutMs: 60_000, what: `the reply to "${text}"` });
  };
}

const CODE = /\b(\d{6})\b/;

/** Connects the fake store to the tenant and asks for a one-time code on channels that prove nothing. */
async function connectShop(databaseUrl: string, secretKey: string, tenantId: string, shop: FakeShopify, db: DataSource): Promise<void> {
  const settings = { shopDomain: 'demo-shop.myshopify.com', apiBaseUrl: shop.origin };
  await runConnectBackend(['--tenant', tenantId, '--backend', 'shopify', '--settings', JSON.stringify(settings)], {
    DATABASE_URL: databaseUrl,
    SECRET_KEY: secretKey,
    ACTION_BACKEND_SECRETS: JSON.stringify({ accessToken: shop.accessToken }),
  });
  await db.query(`UPDATE tenants SET settings = jsonb_set(settings, '{actionIdentity}', '"code"') WHERE id = $1`, [tenantId]);
}

describe('a one-time code to the order’s email proves a web-chat customer owns the order', () => {
  const SECRET_KEY = randomBytes(24).toString('hex');
  let t: AdminTestApp;
  let shop: FakeShopify;
  let imap: DovecotServer;
  let smtp: SmtpSink;
  let tenantId: string;
  const outbox: OutboundMessage[] = [];

  beforeAll(async () => {
    [imap, smtp, shop] = await Promise.all([startDovecot(), startSmtpSink(), new FakeShopify().start()]);
    const databaseUrl = await createTestDatabase('identitycodesmail');
    t = await startAdminApp('identitycodesmail', { root: 'gateway', imports: [AgentModule, ConnectorsModule.withConnectors([EmailConnector])], databaseUrl, serve: true, env: { SECRET_KEY } });
    const demo = await seedDemo(t.db, { publicUrl: `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}` });
    tenantId = demo.tenantId;
    await t.app.get(IntentModels).forTenant(undefined);
    const owner = await signIn(t, 'owner', tenantId);
    const settings = {
      imapHost: imap.host, imapPort: imap.port, imapTls: false, imapUser: imap.user, imapPassword: imap.password,
      smtpHost: smtp.host, smtpPort: smtp.port, smtpSecure: false, smtpUser: smtp.user, smtpPassword: smtp.password,
      supportAddress: SUPPORT, displayName: 'Demo Shop Support', pollIntervalSec: 5,
    };
    await t.http().post('/api/v1/channel-accounts').set(owner.auth).send({ connectorId: 'email', name: 'Support mailbox', settings }).expect(201);
    await t.app.get(EmailConnector).refresh();
    await connectShop(databaseUrl, SECRET_KEY, tenantId, shop, t.db);
    await t.bus.consume({ durable: 'codes-outbox', filterSubjects: [BusSubjects.msgOutChannel('webchat')] }, async (m) => void outbox.push(m.envelope.data as OutboundMessage));
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([imap?.stop(), smtp?.stop(), shop?.stop()]);
  });

  const mailTo = (address: string, after: number) => waitFor(() => smtp.mails.slice(after).find((m) => m.envelopeTo.includes(address)), { timeoutMs: 30_000, what: `a mail to ${address}` });

  it('answers the order status only once the customer types the code mailed to the order’s address', async () => {
    const order = shop.orderWithStatus('processed');
    const say = webchatCustomer(t.bus, t.db, tenantId, outbox);
    const before = smtp.mails.length;

    const asked = await say(`Where is my order ${order.name}? My email is ${order.email}`);
    const [local, domain] = order.email.split('@');
    expect(textOf(asked.parts)).toBe(`To make sure it's you, I've sent a one-time code to ${local[0]}***@${domain}. Please type the code here.`);
    const mail = await mailTo(order.email, before);
    const code = CODE.exec(mail.parsed.text ?? '')?.[1] as string;
    expect(mail.parsed.text).toContain(`Your verification code is ${code}. It expires in 10 minutes.`);

    const wrong = await say(code === '000000' ? '111111' : '000000');
    expect(textOf(wrong.parts)).toBe("That code isn't right. Please check it and type it again.");
    const answer = await say(code);

    expect(textOf(answer.parts)).toBe(`Order ${order.name} has shipped. Tracking number: ${order.tau.fulfillments[0].tracking_id[0]} (UPS).`);
    const [{ trace }] = await t.db.query(`SELECT trace FROM messages WHERE id = $1`, [answer.messageId]);
    expect(trace.action).toMatchObject({ identity: 'verified', proof: 'code', code: 'verified' });
    // The code travelled only on the wire: nothing stored has it.
    const stored: { text: string; trace: unknown }[] = await t.db.query(`SELECT m.text, m.trace FROM messages m WHERE m.conversation_id = $1 AND m.direction = 'out'`, [answer.conversationId]);
    expect(stored.some((m) => m.text.includes(code) || JSON.stringify(m.trace).includes(code))).toBe(false);
    const [flowLeft] = await t.db.query(`SELECT count(*)::int AS n FROM action_flows WHERE slots::text LIKE $1`, [`%${code}%`]);
    expect(flowLeft.n).toBe(0);
  });

  it('hands off after three wrong codes, and never tells a stranger anything about the order', async () => {
    const order = shop.orderWithStatus('delivered');
    const say = webchatCustomer(t.bus, t.db, tenantId, outbox);
    const before = smtp.mails.length;
    await say(`where is order ${order.name}? email ${order.email}`);
    const code = CODE.exec((await mailTo(order.email, before)).parsed.text ?? '')?.[1] as string;
    const guesses = ['123456', '234567', '345678', '456789'].filter((g) => g !== code).slice(0, 3);

    const replies = [];
    for (const guess of guesses) replies.push(textOf((await say(guess)).parts));

    expect(replies[2]).toContain("I couldn't verify that this order is yours.");
    for (const reply of replies) expect(reply).not.toMatch(/delivered|tracking/i);
    // Each wrong code is an action refused in the analytics (identity not verified), like wrong details:
    // these three and the first test's one.
    const owner = await signIn(t, 'owner', tenantId);
    const report = await t.http().get('/api/v1/analytics').set(owner.auth).expect(200);
    const status = report.body.actions.byAction.find((a: { action: string }) => a.action === 'order_status');
    expect(status.refused).toBe(4);
  });

  it('sends at most five codes for one order in an hour, however many conversations ask', async () => {
    const order = [...shop.orders.values()].find((o) => o.tau.status === 'pending') as FakeOrder;
    const before = smtp.mails.length;
    for (let i = 0; i < 5; i++) {
      const reply = await webchatCustomer(t.bus, t.db, tenantId, outbox)(`where is my order ${order.name}? my email is ${order.email}`);
      expect(textOf(reply.parts)).toContain('one-time code');
    }
    await waitFor(() => smtp.mails.slice(before).filter((m) => m.envelopeTo.includes(order.email)).length === 5 || undefined, { timeoutMs: 30_000, what: 'five codes' });

    const sixth = await webchatCustomer(t.bus, t.db, tenantId, outbox)(`where is my order ${order.name}? my email is ${order.email}`);

    expect(textOf(sixth.parts)).toContain("I couldn't verify that this order is yours.");
    const [{ trace }] = await t.db.query(`SELECT trace FROM messages WHERE id = $1`, [sixth.messageId]);
    expect(trace.action).toMatchObject({ identity: 'too_many_codes' });
  });
});

describe('a one-time code by SMS when the shop has no mailbox', () => {
  let stack: TwilioTestStack;
  let shop: FakeShopify;
  const outbox: OutboundMessage[] = [];

  beforeAll(async () => {
    shop = await new FakeShopify().start();
    // A database of its own: the code goes through the tenant's newest mailbox or number, and other
    // Twilio stacks seed the same demo tenant (customer-files adds a mailbox to it).
    const databaseUrl = await createTestDatabase('identitycodessms');
    stack = await startTwilioStack('identitycodessms', { DATABASE_URL: databaseUrl });
    await stack.app.get(IntentModels).forTenant(undefined);
    await connectShop(databaseUrl, 'twilio-integration-tests-secret-key-0123456789', stack.tenantId, shop, stack.dataSource);
    await stack.app.get<Bus>(BUS).consume({ durable: 'codes-sms-outbox', filterSubjects: [BusSubjects.msgOutChannel('webchat')] }, async (m) => void outbox.push(m.envelope.data as OutboundMessage));
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await shop?.stop();
  });

  it('texts the code to the order’s phone through Twilio, and cancels after the code and a "yes"', async () => {
    const order: FakeOrder = [...shop.orders.values()].find((o) => o.tau.status === 'pending') as FakeOrder;
    order.phone = '+14155550134';
    const say = webchatCustomer(stack.app.get<Bus>(BUS), stack.dataSource, stack.tenantId, outbox);

    const asked = await say(`please cancel my order ${order.name}, my email is ${order.email}`);
    expect(textOf(asked.parts)).toContain('a one-time code to ***0134');
    const sms = await waitFor(() => stack.fake.messages.find((m) => m.to === '+14155550134'), { timeoutMs: 30_000, what: 'the code by SMS' });
    const code = CODE.exec(sms.body)?.[1] as string;

    const confirm = await say(code);
    expect(textOf(confirm.parts)).toContain(`cancel order ${order.name}`);
    const done = await say('yes');

    expect(textOf(done.parts)).toBe(`Done: order ${order.name} has been cancelled.`);
    expect(shop.cancelCalls(order)).toBe(1);
  });
});
