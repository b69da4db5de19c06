import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tenant, type TenantSettings } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import type { PatchSettingsBody } from './dto/settings.dto';

export interface SettingsView {
  tenantId: string;
  name: string;
  settings: TenantSettings;
}

/** The tenant's agent settings (threshold, hand-off, hours, voice, model), kept in tenants.settings. */
@Injectable()
export class SettingsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async get(tenantId: string): Promise<SettingsView> {
    const tenant = await this.db.manager.findOne(Tenant, { where: { id: tenantId } });
    if (!tenant) throw new NotFoundException('no such tenant');
    return { tenantId: tenant.id, name: tenant.name, settings: tenant.settings };
  }

  async patch(caller: Principal, tenantId: string, body: PatchSettingsBody): Promise<SettingsView> {
    return this.db.transaction(async (manager) => {
      const tenant = await manager.findOne(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!tenant) throw new NotFoundException('no such tenant');
      // Merge, so keys written by other parts of the product (and absent from the body) survive.
      const settings: TenantSettings = { ...tenant.settings };
      for (const [key, value] of Object.entries(body)) {
        if (value === null) delete settings[key];
        else if (value !== undefined) settings[key] = value;
      }
      await manager.query('UPDATE tenants SET settings = $2 WHERE id = $1', [tenantId, JSON.stringify(settings)]);
      await this.audit.record(caller, 'settings.update', { type: 'tenant', id: tenantId }, { fields: Object.keys(body) }, manager);
      return { tenantId, name: tenant.name, settings };
    });
  }
}
