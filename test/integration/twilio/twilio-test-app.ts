import { randomBytes } from 'crypto';
import type { Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { newId, type ChannelConnector } from '@cs/contracts';
import { CoreModule, SecretBox, embeddedEnvSchema, loadEnv, resolveSecretKey } from '@cs/config';
import { BusTransport } from '@cs/messaging';
import { AgentModule } from '../../../apps/agent/src/agent.module';
import { seedDemo } from '@cs/knowledge';
import { ConnectorsModule, OUTBOUND_DISPATCH_OPTIONS } from '@cs/connectors';
import { freePort, tempFilesDir, testEnv } from '@cs/testing';
import { GatewayModule } from '../../../apps/gateway/src/gateway.module';
import { configureGatewayHttp } from '../../../apps/gateway/src/gateway-http';
import { TwilioSmsConnector } from '../../../apps/connectors/src/channels/twilio-sms/twilio-sms.connector';
import { TwilioVoiceConnector } from '../../../apps/connectors/src/channels/twilio-voice/twilio-voice.connector';
import { TwilioWhatsAppConnector } from '../../../apps/connectors/src/channels/twilio-whatsapp/twilio-whatsapp.connector';
import { BUS, type Bus } from '@cs/messaging';
import { FakeTwilio, sid } from '../../fakes/twilio/fake-twilio';
import { createUser } from '../../../apps/gateway/src/admin/users/create-user';

/** Where Twilio believes our webhooks live: a proxy in front of the gateway, as in production. */
export const PUBLIC_URL = 'https://support.example.test';
export const SHOP_NUMBER = '+14155550199';
export const TEAM_NUMBER = '+14155550142';
/** The shop's WhatsApp sender. */
export const WHATSAPP_NUMBER = '+14155550177';
/** The approved template replies go out as after WhatsApp's 24-hour window. */
export const WHATSAPP_TEMPLATE = 'Hello, this is Demo Shop with the answer to your question: {{1}}';

export interface TwilioTestStack {
  app: NestExpressApplication;
  dataSource: DataSource;
  fake: FakeTwilio;
  tenantId: string;
  accountId: string;
  voiceAccountId: string;
  accountSid: string;
  authToken: string;
  /** The messaging webhook URL to paste into the Twilio console. */
  smsWebhookUrl: string;
  voiceWebhookUrl: string;
  whatsAppAccountId: string;
  whatsAppWebhookUrl: string;
  whatsAppTemplateSid: string;
  /** The demo tenant's web chat widget key (its uploads need `connectors: [WebchatConnector]`). */
  widgetKey: string;
  /** Encrypts channel secrets as the product stores them. */
  seal(secrets: Record<string, unknown>): string;
  /** Public wss:// URL → the gateway's local ws:// URL. */
  route(url: string): string;
  close(): Promise<void>;
}

/**
 * Gateway, agent and connectors in one Nest app (the embedded composition) on the run's PostgreSQL
 * and NATS JetStream, a fake Twilio the SDK talks to, and the demo tenant with a Twilio SMS number.
 */
export async function startTwilioStack(
  scope: string,
  extraEnv: Record<string, string> = {},
  opts: { connectors?: Type<ChannelConnector>[] } = {},
): Promise<TwilioTestStack> {
  // A bus prefix per spec file: its durable consumers never share work with another spec's app.
  const services = testEnv(scope);
  const port = await freePort();
  const local = `http://127.0.0.1:${port}`;
  const accountSid = sid('AC');
  const authToken = randomBytes(16).toString('hex');
  const fake = await FakeTwilio.start({
    accountSid,
    authToken,
    route: (url) => url.replace(PUBLIC_URL, local),
    autoStatuses: ['sent', 'delivered'],
  });
  const env = loadEnv(embeddedEnvSchema, {
    ...services,
    DB_POOL_SIZE: '4',
    SECRET_KEY: 'twilio-integration-tests-secret-key-0123456789',
    LOG_LEVEL: 'error',
    PUBLIC_URL,
    TWILIO_API_BASE_URL: fake.url,
    WEBHOOK_TIMEOUT_MS: '5000',
    FILES_DIR: tempFilesDir(),
    ...extraEnv,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      CoreModule.forRoot(env, { app: 'twilio-test', migrate: false }),
      GatewayModule,
      AgentModule,
      ConnectorsModule.withConnectors([TwilioSmsConnector, TwilioVoiceConnector, TwilioWhatsAppConnector, ...(opts.connectors ?? [])], [{ provide: OUTBOUND_DISPATCH_OPTIONS, useValue: { maxDeliver: 4, backoffMs: [200] } }]),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['fatal', 'error'] });
  configureGatewayHttp(app);
  app.connectMicroservice({ strategy: app.get(BusTransport) });
  await app.startAllMicroservices();
  await app.listen(port, '127.0.0.1');

  const dataSource = app.get(DataSource);
  const { tenantId, widgetKey } = await seedDemo(dataSource, { publicUrl: PUBLIC_URL });
  const accountId = newId();
  await dataSource.query(
    `INSERT INTO channel_accounts (id, tenant_id, connector_id, name, settings, secrets_encrypted) VALUES ($1, $2, 'twilio-sms', 'Shop number', $3, $4)`,
    [
      accountId,
      tenantId,
      JSON.stringify({ accountSid, phoneNumbers: [SHOP_NUMBER], helpText: 'Demo Shop support. Reply STOP to opt out.', maxSegments: 3 }),
      new SecretBox(resolveSecretKey(env)).seal({ authToken }),
    ],
  );
  const voiceAccountId = newId();
  await dataSource.query(
    `INSERT INTO channel_accounts (id, tenant_id, connector_id, name, settings, secrets_encrypted) VALUES ($1, $2, 'twilio-voice', 'Shop line', $3, $4)`,
    [
      voiceAccountId,
      tenantId,
      JSON.stringify({ accountSid, phoneNumbers: [SHOP_NUMBER], greeting: 'Hello, Demo Shop here.', transferNumber: TEAM_NUMBER, endOfSpeechMs: 600, ttsVoice: 'kal16' }),
      new SecretBox(resolveSecretKey(env)).seal({ authToken }),
    ],
  );
  const whatsAppAccountId = newId();
  const whatsAppTemplateSid = fake.approveTemplate(WHATSAPP_TEMPLATE);
  await dataSource.query(
    `INSERT INTO channel_accounts (id, tenant_id, connector_id, name, settings, secrets_encrypted) VALUES ($1, $2, 'twilio-whatsapp', 'Shop WhatsApp', $3, $4)`,
    [
      whatsAppAccountId,
      tenantId,
      JSON.stringify({ accountSid, senders: [WHATSAPP_NUMBER], templateContentSid: whatsAppTemplateSid }),
      new SecretBox(resolveSecretKey(env)).seal({ authToken }),
    ],
  );
  return {
    app,
    voiceAccountId,
    whatsAppAccountId,
    whatsAppTemplateSid,
    widgetKey,
    whatsAppWebhookUrl: `${PUBLIC_URL}/hooks/twilio-whatsapp/${whatsAppAccountId}`,
    seal: (secrets) => new SecretBox(resolveSecretKey(env)).seal(secrets),
    voiceWebhookUrl: `${PUBLIC_URL}/hooks/twilio-voice/${voiceAccountId}`,
    route: (url) => url.replace(PUBLIC_URL.replace(/^http/, 'ws'), local.replace(/^http/, 'ws')),
    dataSource,
    fake,
    tenantId,
    accountId,
    accountSid,
    authToken,
    smsWebhookUrl: `${PUBLIC_URL}/hooks/twilio-sms/${accountId}`,
    async close() {
      await fake.close();
      await app.close();
    },
  };
}

/** A signed-in owner of the stack's tenant, for the console API (`Authorization` header), and a JSON client of it. */
export async function staffOf(stack: TwilioTestStack): Promise<(method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>> {
  const address = stack.app.getHttpServer().address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  const email = `owner-${newId()}@shop.test`;
  const password = randomBytes(12).toString('hex');
  await createUser(stack.dataSource.manager, { email, password, role: 'owner', tenantId: stack.tenantId });
  const login = await call('POST', '/api/v1/auth/login', { email, password });
  const auth = { Authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}` };
  return (method, path, body) => call(method, path, body, auth);
}
