import { randomBytes } from 'crypto';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CoreModule, gatewayEnvSchema } from '@cs/config';
import { newId } from '@cs/contracts';
import { BUS, BusTransport, type Bus } from '@cs/messaging';
import { Contact, ContactIdentity, Conversation, Message, Tenant, type UserRole } from '@cs/persistence';
import { tempFilesDir, testEnv } from '@cs/testing';
import { AdminModule } from '../../../apps/gateway/src/admin/admin.module';
import { createUser } from '../../../apps/gateway/src/admin/users/create-user';
import { ApiExceptionFilter } from '../../../apps/gateway/src/common/api-exception.filter';
import { configureGatewayHttp } from '../../../apps/gateway/src/gateway-http';
import { GatewayModule } from '../../../apps/gateway/src/gateway.module';

export const PASSWORD = 'correct horse battery';

export interface AdminTestApp {
  app: INestApplication;
  db: DataSource;
  bus: Bus;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

export interface AdminTestAppOptions {
  /** More real modules beside the console (the connectors app, the agent...). */
  imports?: ModuleMetadata['imports'];
  /** `gateway`: the whole GatewayModule (which imports AdminModule), for checks over every route. */
  root?: 'admin' | 'gateway';
  beforeInit?: (app: INestApplication) => void;
  /** Another database than the run's (createTestDatabase), for specs that seed fixed data like the demo tenant. */
  databaseUrl?: string;
  /** Wire @EventPattern handlers (the agent's) through BusTransport, and listen on a port (WebSockets). */
  serve?: boolean;
  /** Env variables over the defaults below (e.g. WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false'). */
  env?: Record<string, string>;
}

/** The console as the gateway hosts it: real CoreModule (PostgreSQL, NATS JetStream), real AdminModule, the gateway's error filter. */
export async function startAdminApp(scope: string, opts: AdminTestAppOptions = {}): Promise<AdminTestApp> {
  const env = testEnv(scope);
  const moduleRef = await Test.createTestingModule({
    imports: [
      CoreModule.forRoot(
        gatewayEnvSchema.parse({
          DATABASE_URL: opts.databaseUrl ?? env.DATABASE_URL,
          NATS_URL: env.NATS_URL,
          BUS_PREFIX: env.BUS_PREFIX,
          SECRET_KEY: randomBytes(24).toString('hex'),
          FILES_DIR: tempFilesDir(),
          DB_POOL_SIZE: '3',
          // Webhook specs deliver to a plain-http receiver on 127.0.0.1.
          WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
          WEBHOOK_ALLOW_HTTP: 'true',
          ...opts.env,
        }),
        { app: `admin-${scope}`, migrate: false },
      ),
      opts.root === 'gateway' ? GatewayModule : AdminModule,
      ...(opts.imports ?? []),
    ],
    providers: opts.root === 'gateway' ? [] : [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureGatewayHttp(app);
  opts.beforeInit?.(app);
  if (opts.serve) {
    app.connectMicroservice({ strategy: app.get(BusTransport) });
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
  } else {
    await app.init();
  }
  const server = app.getHttpServer();
  return { app, db: app.get(DataSource), bus: app.get(BUS), http: () => request(server), close: () => app.close() };
}

export async function createTenant(db: DataSource, name = 'Shop'): Promise<Tenant> {
  const id = newId();
  return db.manager.save(db.manager.create(Tenant, { id, name, slug: `shop-${id}`, settings: {} }));
}

export interface SignedIn {
  userId: string;
  email: string;
  tenantId: string | null;
  role: UserRole;
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

/** A user of the role, signed in through POST /api/v1/auth/login. */
export async function signIn(t: AdminTestApp, role: UserRole, tenantId: string | null): Promise<SignedIn> {
  const email = `${role}-${newId()}@shop.test`;
  const user = await createUser(t.db.manager, { email, password: PASSWORD, role, tenantId });
  const res = await t.http().post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
  const { accessToken, refreshToken } = res.body as { accessToken: string; refreshToken: string };
  return { userId: user.id, email, tenantId, role, accessToken, refreshToken, auth: { Authorization: `Bearer ${accessToken}` } };
}

export interface SeededConversation {
  conversation: Conversation;
  contact: Contact;
  inbound: Message;
}

/** A web-chat conversation as the agent leaves it: a contact, its identity, one inbound message. */
export async function seedConversation(
  db: DataSource,
  tenantId: string,
  opts: { text?: string; channel?: string; status?: Conversation['status']; createdAt?: Date } = {},
): Promise<SeededConversation> {
  const channel = opts.channel ?? 'webchat';
  return db.transaction(async (m) => {
    const contact = await m.save(m.create(Contact, { id: newId(), tenantId, name: 'Ada Customer', email: 'ada@example.test' }));
    await m.save(
      m.create(ContactIdentity, { id: newId(), tenantId, contactId: contact.id, channel, externalUserId: `session-${contact.id}`, address: null, displayName: 'Ada' }),
    );
    const conversation = await m.save(
      m.create(Conversation, {
        id: newId(),
        tenantId,
        contactId: contact.id,
        channel,
        connectorId: channel,
        channelAccountId: newId(),
        externalThreadId: `thread-${contact.id}`,
        status: opts.status ?? 'bot',
        channelData: {},
        lastMessageAt: opts.createdAt ?? new Date(),
        ...(opts.createdAt ? { createdAt: opts.createdAt } : {}),
      }),
    );
    const text = opts.text ?? 'Where is my parcel?';
    const inbound = await m.save(
      m.create(Message, {
        id: newId(),
        tenantId,
        conversationId: conversation.id,
        direction: 'in',
        authorKind: 'contact',
        connectorId: channel,
        parts: [{ type: 'text', text }],
        text,
        externalMessageId: `ext-${newId()}`,
        channelData: {},
        trace: null,
      }),
    );
    return { conversation, contact, inbound };
  });
}
