import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '@cs/contracts';
import { Tenant } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { decodeCursor, pageOf, type Page } from '../common/cursor';
import { UserExists, createUser } from '../users/create-user';
import { userView } from '../users/users.service';
import type { CreateTenantBody, UpdateTenantBody } from './dto/tenant.dto';

/** The service operator's view: every tenant (shop) of a multi-tenant deployment. */
@Injectable()
export class TenantsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(after: string | undefined, limit: number): Promise<Page<Tenant>> {
    const qb = this.db.manager.createQueryBuilder(Tenant, 't').orderBy('t.id', 'DESC').limit(limit + 1);
    if (after) qb.where('t.id < :id', { id: decodeCursor(after, ['id'] as const).id });
    return pageOf(await qb.getMany(), limit, (row) => row, (row) => ({ id: row.id }));
  }

  async get(id: string): Promise<Tenant> {
    const tenant = await this.db.manager.findOne(Tenant, { where: { id } });
    if (!tenant) throw new NotFoundException('no such tenant');
    return tenant;
  }

  async create(caller: Principal, body: CreateTenantBody) {
    return this.db.transaction(async (manager) => {
      if (await manager.exists(Tenant, { where: { slug: body.slug } })) throw new ConflictException(`the slug "${body.slug}" is taken`);
      const tenant = await manager.save(manager.create(Tenant, { id: newId(), name: body.name, slug: body.slug, settings: {} }));
      try {
        const owner = await createUser(manager, { ...body.owner, role: 'owner', tenantId: tenant.id });
        await this.audit.record(caller, 'tenant.create', { type: 'tenant', id: tenant.id }, { slug: tenant.slug, owner: owner.email }, manager);
        return { ...tenant, owner: userView(owner) };
      } catch (error) {
        if (error instanceof UserExists) throw new ConflictException(error.message);
        throw error;
      }
    });
  }

  async update(caller: Principal, id: string, body: UpdateTenantBody): Promise<Tenant> {
    const tenant = await this.get(id);
    tenant.name = body.name;
    await this.db.manager.update(Tenant, { id }, { name: body.name });
    await this.audit.record(caller, 'tenant.update', { type: 'tenant', id }, { ...body });
    return tenant;
  }
}
