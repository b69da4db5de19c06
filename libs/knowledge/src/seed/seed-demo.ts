import { createHash, randomBytes } from 'crypto';
import * as bcrypt from 'bcryptjs';
import type { DataSource, EntityManager } from 'typeorm';
import { newId } from '@cs/contracts';
import { ApiKey, ChannelAccount, KnowledgeArticle, Tenant, User, withAdvisoryLock, type TenantSettings } from '@cs/persistence';
import { KnowledgeIndexer } from '../knowledge-indexer.service';
import type { ChunkEmbedder } from '../chunk-embeddings';
import { loadArticles } from './demo-articles';
import { loadDemoIntents } from './demo-intents';

export interface SeedDemoOptions {
  /** Fixed demo API key (DEMO_API_KEY); otherwise one is generated once and remembered. */
  apiKey?: string;
  adminEmail?: string;
  adminPassword?: string;
  /** Prefix of article URLs: `${publicUrl}/kb/<slug>`. */
  publicUrl?: string;
  /** Embed the chunks while seeding; otherwise the agent embeds them on its first question. */
  embedder?: ChunkEmbedder;
}

export interface SeedDemoResult {
  tenantId: string;
  apiKey: string;
  widgetKey: string;
  adminEmail: string;
  /** Null when the admin was created earlier with a password given by env and none is given now. */
  adminPassword: string | null;
}

export const DEMO_TENANT_SLUG = 'demo';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Creates (or brings up to date) the demo tenant, safe to run on every start and from several
 * processes at once (an advisory lock serializes it). A generated key or password cannot be read
 * back from its hash, so for this demo tenant only they are remembered in the tenant settings to
 * be printed again on the next start.
 */
export async function seedDemo(dataSource: DataSource, opts: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  const articles = loadArticles();
  const adminEmail = (opts.adminEmail ?? 'admin@demo.shop').toLowerCase();
  return dataSource.transaction(async (manager) => {
    await withAdvisoryLock(manager, 'seed:demo');
    const tenant = await ensureTenant(manager);
    const settings: TenantSettings = { ...tenant.settings, intents: loadDemoIntents() };

    const apiKey = opts.apiKey ?? (typeof settings.demoApiKey === 'string' ? settings.demoApiKey : `cs_live_${token(24)}`);
    if (!opts.apiKey) settings.demoApiKey = apiKey;
    await manager.query(
      `INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, scopes) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key_hash) DO NOTHING`,
      [newId(), tenant.id, 'Demo key', apiKey.slice(0, 8), hashApiKey(apiKey), ['*']],
    );

    const adminPassword = await ensureAdmin(manager, tenant.id, adminEmail, opts.adminPassword, settings);
    const widgetKey = await ensureChannelAccount(manager, tenant.id, 'webchat', 'Demo shop web chat', `wk_demo_${token(12)}`);
    await ensureChannelAccount(manager, tenant.id, 'api', 'API', null);

    const base = (opts.publicUrl ?? '').replace(/\/+$/, '');
    const indexer = new KnowledgeIndexer({}, opts.embedder);
    const articleRepo = manager.getRepository(KnowledgeArticle);
    for (const { meta, body } of articles) {
      const url = `${base}/kb/${meta.slug}`;
      let article = await articleRepo.findOne({ where: { tenantId: tenant.id, slug: meta.slug } });
      if (!article) {
        article = articleRepo.create({ id: newId(), tenantId: tenant.id, slug: meta.slug, title: meta.title, body, url, language: meta.language, tags: meta.tags, version: 1, published: true });
        await articleRepo.insert(article);
      } else if (article.body !== body || article.title !== meta.title || article.url !== url) {
        await articleRepo.update({ id: article.id }, { body, title: meta.title, url, tags: meta.tags, version: article.version + 1 });
        article = { ...article, body, title: meta.title, url };
      }
      await indexer.indexArticle(manager, article);
    }

    await manager.query('UPDATE tenants SET settings = $2 WHERE id = $1', [tenant.id, JSON.stringify(settings)]);
    return { tenantId: tenant.id, apiKey, widgetKey, adminEmail, adminPassword };
  });
}

function token(bytes: number): string {
  return randomBytes(bytes).toString('base64url').replace(/[-_]/g, '').slice(0, bytes);
}

async function ensureTenant(manager: EntityManager): Promise<Tenant> {
  const repo = manager.getRepository(Tenant);
  const existing = await repo.findOne({ where: { slug: DEMO_TENANT_SLUG } });
  if (existing) return existing;
  const settings: TenantSettings = { expectedResponseTime: 'within one working day', timezone: 'Europe/London' };
  await manager.query('INSERT INTO tenants (id, name, slug, settings) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING', [
    newId(),
    'Demo Shop',
    DEMO_TENANT_SLUG,
    JSON.stringify(settings),
  ]);
  return repo.findOneOrFail({ where: { slug: DEMO_TENANT_SLUG } });
}

async function ensureAdmin(
  manager: EntityManager,
  tenantId: string,
  email: string,
  given: string | undefined,
  settings: TenantSettings,
): Promise<string | null> {
  const repo = manager.getRepository(User);
  const existing = await repo.findOne({ where: { email } });
  const remembered = typeof settings.demoAdminPassword === 'string' ? settings.demoAdminPassword : undefined;
  if (existing) {
    if (given && !(await bcrypt.compare(given, existing.passwordHash))) {
      await repo.update({ id: existing.id }, { passwordHash: await bcrypt.hash(given, 10) });
    }
    if (given) delete settings.demoAdminPassword;
    return given ?? remembered ?? null;
  }
  const password = given ?? token(16);
  if (!given) settings.demoAdminPassword = password;
  await repo.insert({ id: newId(), tenantId, email, name: 'Demo admin', passwordHash: await bcrypt.hash(password, 10), role: 'owner' });
  return password;
}

async function ensureChannelAccount(
  manager: EntityManager,
  tenantId: string,
  connectorId: string,
  name: string,
  publicKey: string | null,
): Promise<string> {
  const repo = manager.getRepository(ChannelAccount);
  const existing = await repo.findOne({ where: { tenantId, connectorId }, order: { createdAt: 'ASC' } });
  if (existing) return existing.publicKey ?? '';
  await repo.insert({ id: newId(), tenantId, connectorId, name, settings: {}, publicKey, status: 'active' });
  return publicKey ?? '';
}
