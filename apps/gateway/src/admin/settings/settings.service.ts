import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, SECRET_KEY, SecretBox, type GatewayEnv } from '@cs/config';
import { ValidationFailed } from '@cs/contracts';
import { Tenant, type TenantSettings } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { checkWebhookUrl, type WebhookTargetPolicy } from '../webhooks/webhook-target';
import type { PatchSettingsBody } from './dto/settings.dto';

export interface SettingsView {
  tenantId: string;
  name: string;
  /** The stored settings, without the sealed model key: `llmApiKeySet` says whether there is one. */
  settings: Omit<TenantSettings, 'llmApiKeySealed'> & { llmApiKeySet: boolean };
}

/** The tenant's agent settings (threshold, hand-off, hours, voice, model), kept in tenants.settings. */
@Injectable()
export class SettingsService {
  private readonly box: SecretBox;
  /**
   * A tenant's own model endpoint is a URL the agent will call with the tenant's customers' text:
   * it gets the webhooks' rules (https, public addresses, unless WEBHOOK_ALLOW_*), so a tenant
   * cannot point the agent at the operator's internal network. The operator's own LLM_BASE_URL
   * (a local Ollama, say) is not a tenant setting and is not checked.
   */
  private readonly targetPolicy: WebhookTargetPolicy;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SECRET_KEY) secretKey: Buffer,
    @Inject(APP_CONFIG) config: Pick<GatewayEnv, 'WEBHOOK_ALLOW_HTTP' | 'WEBHOOK_ALLOW_PRIVATE_TARGETS'>,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(secretKey);
    this.targetPolicy = { allowHttp: config.WEBHOOK_ALLOW_HTTP === 'true', allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true' };
  }

  async get(tenantId: string): Promise<SettingsView> {
    const tenant = await this.db.manager.findOne(Tenant, { where: { id: tenantId } });
    if (!tenant) throw new NotFoundException('no such tenant');
    return { tenantId: tenant.id, name: tenant.name, settings: view(tenant.settings) };
  }

  async patch(caller: Principal, tenantId: string, body: PatchSettingsBody): Promise<SettingsView> {
    if (typeof body.llmBaseUrl === 'string') {
      const refused = await checkWebhookUrl(body.llmBaseUrl, this.targetPolicy);
      if (refused) throw new ValidationFailed([{ path: 'llmBaseUrl', message: refused }]);
    }
    return this.db.transaction(async (manager) => {
      const tenant = await manager.findOne(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!tenant) throw new NotFoundException('no such tenant');
      // Merge, so keys written by other parts of the product (and absent from the body) survive.
      const settings: TenantSettings = { ...tenant.settings };
      const { llmApiKey, ...fields } = body;
      for (const [key, value] of Object.entries(fields)) {
        if (value === null) delete settings[key];
        else if (value !== undefined) settings[key] = value;
      }
      // Write-only, like a channel account's secrets: sealed at rest, never sent back.
      if (llmApiKey === null) delete settings.llmApiKeySealed;
      else if (llmApiKey !== undefined) settings.llmApiKeySealed = this.box.seal({ apiKey: llmApiKey });
      await manager.query('UPDATE tenants SET settings = $2 WHERE id = $1', [tenantId, JSON.stringify(settings)]);
      await this.audit.record(caller, 'settings.update', { type: 'tenant', id: tenantId }, { fields: Object.keys(body) }, manager);
      return { tenantId, name: tenant.name, settings: view(settings) };
    });
  }
}

function view(settings: TenantSettings): SettingsView['settings'] {
  const { llmApiKeySealed, ...rest } = settings;
  return { ...rest, llmApiKeySet: typeof llmApiKeySealed === 'string' };
}
