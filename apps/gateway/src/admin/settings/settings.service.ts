import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SECRET_KEY, SecretBox } from '@cs/config';
import { Tenant, type TenantSettings } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
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

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SECRET_KEY) secretKey: Buffer,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(secretKey);
  }

  async get(tenantId: string): Promise<SettingsView> {
    const tenant = await this.db.manager.findOne(Tenant, { where: { id: tenantId } });
    if (!tenant) throw new NotFoundException('no such tenant');
    return { tenantId: tenant.id, name: tenant.name, settings: view(tenant.settings) };
  }

  async patch(caller: Principal, tenantId: string, body: PatchSettingsBody): Promise<SettingsView> {
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
