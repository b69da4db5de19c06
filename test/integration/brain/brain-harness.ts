import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { BusSubjects, makeEnvelope, MESSAGE_TYPES, newId, textOf, type InboundMessage, type OutboundMessage } from '@cs/contracts';
import { CoreModule, agentEnvSchema, loadEnv } from '@cs/config';
import { BUS, BusTransport, type Bus } from '@cs/messaging';
import { KnowledgeIndexer, seedDemo, type SeedDemoResult } from '@cs/knowledge';
import { AgentModule } from '@cs/agent';
import { createTestDatabase, testEnv, waitFor } from '@cs/testing';
import { IntentModels } from '../../../apps/agent/src/pipeline/ai/intent-models.service';

export interface BrainReply {
  text: string;
  outbound: OutboundMessage;
  trace: Record<string, unknown> & { checks?: { name: string; passed: boolean }[]; handoff?: { reason: string } };
  conversationStatus: string;
}

/**
 * The agent module as the apps run it (real PostgreSQL, the in-process bus, the real intent model
 * and embeddings) with the demo shop seeded; `ask` plays a web-chat customer and returns the reply
 * the agent published, with the trace stored on it.
 */
export class BrainHarness {
  app!: INestApplication;
  ds!: DataSource;
  bus!: Bus;
  demo!: SeedDemoResult;
  readonly outbox: OutboundMessage[] = [];
  readonly events: { subject: string; payload: unknown }[] = [];
  private accountId = '';

  async start(name: string, extraEnv: Record<string, string> = {}): Promise<this> {
    const env = loadEnv(agentEnvSchema, {
      DATABASE_URL: await createTestDatabase(name),
      BUS_PREFIX: testEnv(name).BUS_PREFIX,
      SECRET_KEY: 'brain-int-spec-secret-key-of-32-characters',
      DB_POOL_SIZE: '4',
      ...extraEnv,
    });
    const moduleRef = await Test.createTestingModule({ imports: [CoreModule.forRoot(env, { app: 'agent' }), AgentModule] }).compile();
    this.app = moduleRef.createNestApplication({ logger: ['error'] });
    this.app.connectMicroservice({ strategy: this.app.get(BusTransport) });
    await this.app.startAllMicroservices();
    await this.app.init();
    this.ds = this.app.get(DataSource);
    this.bus = this.app.get(BUS);
    this.demo = await seedDemo(this.ds, { publicUrl: 'http://shop.test' });
    // Until the built-in intent model is trained (seconds, once per machine) rules decide alone.
    await this.app.get(IntentModels).forTenant(undefined);
    this.accountId = (await this.ds.query(`SELECT id FROM channel_accounts WHERE tenant_id = $1 AND connector_id = 'webchat'`, [this.demo.tenantId]))[0].id;
    await this.bus.consume({ durable: `brain-outbox-${name}`, filterSubjects: [BusSubjects.msgOutAll()] }, async (m) => void this.outbox.push(m.envelope.data as OutboundMessage));
    this.bus.on(BusSubjects.convDeltaAll(), (payload, subject) => void this.events.push({ subject, payload }));
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
  }

  /** A new web-chat visitor (one conversation per visitor). */
  visitor(): string {
    return `visitor-${newId()}`;
  }

  /**
   * Another shop beside the demo one, with a copy of the demo's published articles and a web-chat
   * account: for what must differ per tenant. `ask(text, who, shop)` plays its customers.
   */
  async otherShop(name: string): Promise<{ tenantId: string; accountId: string }> {
    const tenantId = newId();
    const accountId = newId();
    await this.ds.query('INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3)', [tenantId, name, `t-${tenantId}`]);
    await this.ds.query(`INSERT INTO channel_accounts (id, tenant_id, connector_id, name) VALUES ($1, $2, 'webchat', 'Chat')`, [accountId, tenantId]);
    const articles: { slug: string; title: string; body: string; url: string | null; language: string }[] = await this.ds.query(
      'SELECT slug, title, body, url, language FROM knowledge_articles WHERE tenant_id = $1 AND published',
      [this.demo.tenantId],
    );
    const indexer = new KnowledgeIndexer();
    await this.ds.transaction(async (manager) => {
      for (const article of articles) {
        const id = newId();
        await manager.query('INSERT INTO knowledge_articles (id, tenant_id, slug, title, body, url, language) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          id,
          tenantId,
          article.slug,
          article.title,
          article.body,
          article.url,
          article.language,
        ]);
        await indexer.indexArticle(manager, { id, tenantId, body: article.body, language: article.language });
      }
    });
    return { tenantId, accountId };
  }

  async ask(text: string, who = this.visitor(), shop = { tenantId: this.demo.tenantId, accountId: this.accountId }): Promise<BrainReply> {
    const message = webchatMessage(shop.accountId, who, text);
    await this.bus.publish(BusSubjects.msgIn('webchat', shop.tenantId), makeEnvelope(MESSAGE_TYPES.inbound, shop.tenantId, message));
    const outbound = await waitFor(() => this.outbox.find((o) => o.channelData.replyToExternalMessageId === message.externalMessageId), {
      timeoutMs: 60_000,
      what: `the reply to "${text}"`,
    });
    const [row] = await this.ds.query(
      `SELECT m.trace, c.status FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = $1`,
      [outbound.messageId],
    );
    return { text: textOf(outbound.parts), outbound, trace: row.trace, conversationStatus: row.status };
  }
}

/** What the web-chat connector publishes when visitor `who` types `text` into the widget of `accountId`. */
export function webchatMessage(accountId: string, who: string, text: string): InboundMessage {
  return {
    connectorId: 'webchat',
    channel: 'webchat',
    channelAccountId: accountId,
    externalMessageId: `m-${newId()}`,
    externalThreadId: `session-${who}`,
    sender: { externalUserId: who, displayName: 'Sam' },
    receivedAt: new Date().toISOString(),
    parts: [{ type: 'text', text }],
    channelData: {},
  };
}
