import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { BUILTIN_INTENTS } from '@cs/ai';
import { tenantIntentSchema, type TenantIntent } from '@cs/knowledge';
import { Tenant } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';

export const createIntentSchema = tenantIntentSchema.extend({ examples: z.array(z.string().trim().min(1).max(500)).min(5).max(500) });
export const updateIntentSchema = createIntentSchema.omit({ name: true }).partial();
export type CreateIntentBody = z.infer<typeof createIntentSchema>;
export type UpdateIntentBody = z.infer<typeof updateIntentSchema>;

/**
 * The tenant's own intents, learned by example beside the built-in ones. They live in
 * `tenants.settings.intents`, where the agent reads them and retrains when they change.
 */
@Injectable()
export class IntentsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * `builtin`: the built-in intents' names (a conversation may be relabelled with any of them).
   * `calibration`: the out-of-scope threshold the agent's intent model uses and the validation
   * figures it was chosen on, as the agent recorded them (null until the agent has classified a
   * message with the current model). The gateway computes nothing: it shows what the agent stored.
   */
  async list(tenantId: string): Promise<{ items: TenantIntent[]; builtin: string[]; calibration: Record<string, unknown> | null }> {
    const tenant = await this.db.manager.findOneOrFail(Tenant, { where: { id: tenantId } });
    const calibration = tenant.settings.intentCalibration;
    return {
      items: intentsOf(tenant),
      builtin: BUILTIN_INTENTS.map((i) => i.name),
      calibration: calibration && typeof calibration === 'object' ? (calibration as Record<string, unknown>) : null,
    };
  }

  async get(tenantId: string, name: string): Promise<TenantIntent> {
    const found = (await this.list(tenantId)).items.find((i) => i.name === name);
    if (!found) throw new NotFoundException('no such intent');
    return found;
  }

  create(caller: Principal, tenantId: string, body: CreateIntentBody): Promise<TenantIntent> {
    return this.change(caller, tenantId, 'intent.create', body.name, (intents) => {
      if (intents.some((i) => i.name === body.name)) throw new ConflictException(`an intent named "${body.name}" exists`);
      return [...intents, body];
    });
  }

  update(caller: Principal, tenantId: string, name: string, body: UpdateIntentBody): Promise<TenantIntent> {
    return this.change(caller, tenantId, 'intent.update', name, (intents) => {
      if (!intents.some((i) => i.name === name)) throw new NotFoundException('no such intent');
      return intents.map((i) => (i.name === name ? { ...i, ...body } : i));
    });
  }

  async remove(caller: Principal, tenantId: string, name: string): Promise<void> {
    await this.change(caller, tenantId, 'intent.delete', name, (intents) => {
      if (!intents.some((i) => i.name === name)) throw new NotFoundException('no such intent');
      return intents.filter((i) => i.name !== name);
    });
  }

  private async change(
    caller: Principal,
    tenantId: string,
    action: string,
    name: string,
    next: (intents: TenantIntent[]) => TenantIntent[],
  ): Promise<TenantIntent> {
    return this.db.transaction(async (manager: EntityManager) => {
      const tenant = await manager.findOneOrFail(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
      const intents = next(intentsOf(tenant));
      await manager.query('UPDATE tenants SET settings = $2 WHERE id = $1', [tenantId, JSON.stringify({ ...tenant.settings, intents })]);
      await this.audit.record(caller, action, { type: 'intent', id: name }, {}, manager);
      return intents.find((i) => i.name === name) ?? { name, kind: 'question', examples: [] };
    });
  }
}

function intentsOf(tenant: Tenant): TenantIntent[] {
  const parsed = z.array(tenantIntentSchema).safeParse(tenant.settings.intents ?? []);
  return parsed.success ? parsed.data : [];
}
