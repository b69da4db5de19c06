import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SECRET_KEY, SecretBox } from '@cs/config';
import { ActionBackendAccount } from '@cs/persistence';
import type { WebhookRequest } from '@cs/contracts';
import type { ActionBackend, BackendWebhook } from './action-backend';
import { ACTION_BACKENDS } from './backends';

export interface TenantBackend {
  accountId: string;
  backendId: string;
  backend: ActionBackend;
}

/**
 * How long a tenant's backend account (or its absence) is trusted before it is read again: every
 * customer message asks, and most tenants have none, so the answer is kept instead of costing a
 * query per message. A backend connected, changed or disconnected is seen within this time.
 */
export const BACKEND_LOOKUP_TTL_MS = 10_000;

/**
 * The tenant's connected shop system, if any: settings validated by the plugin's zod schema, secrets
 * opened with SECRET_KEY. Built once per account version (its `updated_at`).
 */
@Injectable()
export class ActionBackends {
  private readonly logger = new Logger(ActionBackends.name);
  private readonly box: SecretBox;
  private readonly built = new Map<string, { version: number; backend: ActionBackend }>();
  private readonly accounts = new Map<string, { until: number; account: ActionBackendAccount | null }>();

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(SECRET_KEY) secretKey: Buffer,
  ) {
    this.box = new SecretBox(secretKey);
  }

  /** Whether the tenant has an active backend account (read at most every BACKEND_LOOKUP_TTL_MS). */
  async hasBackend(tenantId: string): Promise<boolean> {
    return (await this.accountOf(tenantId)) !== null;
  }

  async forTenant(tenantId: string): Promise<TenantBackend | undefined> {
    const account = await this.accountOf(tenantId);
    if (!account) return undefined;
    const version = account.updatedAt.getTime();
    const cached = this.built.get(account.id);
    if (cached?.version === version) return { accountId: account.id, backendId: account.backendId, backend: cached.backend };
    const definition = ACTION_BACKENDS.find((d) => d.id === account.backendId);
    if (!definition) {
      this.logger.warn(`action backend ${account.id}: unknown backend "${account.backendId}"`);
      return undefined;
    }
    try {
      const settings = definition.settings.parse(account.settings);
      const secrets = definition.secrets.parse(account.secretsEncrypted ? this.box.open(account.secretsEncrypted) : {});
      const backend = definition.create(settings, secrets);
      this.built.set(account.id, { version, backend });
      return { accountId: account.id, backendId: account.backendId, backend };
    } catch (err) {
      // A misconfigured backend must not break the conversation: the knowledge base answers as before.
      this.logger.warn(`action backend ${account.id} (${account.backendId}) is misconfigured: ${(err as Error).message}`);
      return undefined;
    }
  }

  /**
   * Verifies a webhook sent to `/hooks/<backendId>/<accountId>` with that account's own secrets;
   * null when there is no such active account or its plugin takes no webhooks.
   */
  async verifyWebhook(backendId: string, accountId: string, request: WebhookRequest): Promise<{ tenantId: string; webhook: BackendWebhook } | null> {
    const account = await this.ds.getRepository(ActionBackendAccount).findOne({ where: { id: accountId, backendId, status: 'active' } });
    const definition = ACTION_BACKENDS.find((d) => d.id === backendId);
    if (!account || !definition?.webhook) return null;
    const settings = definition.settings.safeParse(account.settings);
    const secrets = definition.secrets.safeParse(account.secretsEncrypted ? this.box.open(account.secretsEncrypted) : {});
    if (!settings.success || !secrets.success) return { tenantId: account.tenantId, webhook: { ok: false, status: 401, error: 'this shop is misconfigured' } };
    return { tenantId: account.tenantId, webhook: await definition.webhook(settings.data, secrets.data, request) };
  }

  private async accountOf(tenantId: string): Promise<ActionBackendAccount | null> {
    const known = this.accounts.get(tenantId);
    if (known && known.until > Date.now()) return known.account;
    const account = await this.ds.getRepository(ActionBackendAccount).findOne({ where: { tenantId, status: 'active' }, order: { createdAt: 'ASC' } });
    this.accounts.set(tenantId, { until: Date.now() + BACKEND_LOOKUP_TTL_MS, account });
    return account;
  }
}
