import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SECRET_KEY, SecretBox } from '@cs/config';
import { ActionBackendAccount } from '@cs/persistence';
import type { ActionBackend } from './action-backend';
import { ACTION_BACKENDS } from './backends';

export interface TenantBackend {
  accountId: string;
  backendId: string;
  backend: ActionBackend;
}

/**
 * The tenant's connected shop system, if any: settings validated by the plugin's zod schema, secrets
 * opened with SECRET_KEY. Built once per account version (its `updated_at`).
 */
@Injectable()
export class ActionBackends {
  private readonly logger = new Logger(ActionBackends.name);
  private readonly box: SecretBox;
  private readonly built = new Map<string, { version: number; backend: ActionBackend }>();

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(SECRET_KEY) secretKey: Buffer,
  ) {
    this.box = new SecretBox(secretKey);
  }

  async forTenant(tenantId: string): Promise<TenantBackend | undefined> {
    const account = await this.ds.getRepository(ActionBackendAccount).findOne({ where: { tenantId, status: 'active' }, order: { createdAt: 'ASC' } });
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
}
