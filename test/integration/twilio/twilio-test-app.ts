import { randomBytes } from 'crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
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
import { BUS, type Bus } from '@cs/messaging';
import { FakeTwilio, sid } from '../../fakes/twilio/fake-twilio';

/** Where Twilio believes our webhooks live: a proxy in front of the gateway, as in production. */
export const PUBLIC_URL = 'https://support.example.test';
export const SHOP_NUMBER = '+14155550199';
export const TEAM_NUMBER = '+14155550142';

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
export async function startTwilioStack(scope: string, extraEnv: Record<string, string> = {}): Promise<TwilioTestStack> {
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
      ConnectorsModule.withConnectors([TwilioSmsConnector, TwilioVoiceConnector], [{ provide: OUTBOUND_DISPATCH_OPTIONS, useValue: { maxDeliver: 4, backoffMs: [200] } }]),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['fatal', 'error'] });
  configureGatewayHttp(app);
  app.connectMicroservice({ strategy: app.get(BusTransport) });
  await app.startAllMicroservices();
  await app.listen(port, '127.0.0.1');

  const dataSource = app.get(DataSource);
  const { tenantId } = await seedDemo(dataSource, { publicUrl: PUBLIC_URL });
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
  return {
    app,
    voiceAccountId,
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
