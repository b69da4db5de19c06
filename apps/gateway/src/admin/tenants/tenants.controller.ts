import { Body, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { z } from 'zod';
import { Caller, type Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody, ApiZodQuery } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPatchPipe, ZodPipe } from '../common/zod-body.pipe';
import { createTenantSchema, listTenantsSchema, updateTenantSchema, type CreateTenantBody, type UpdateTenantBody } from './dto/tenant.dto';
import { TenantsService } from './tenants.service';
import { AnalyticsService } from '../analytics/analytics.service';
import { usageQuerySchema, type UsageQuery } from '../analytics/dto/analytics.dto';

/** Only the service operator, who belongs to no tenant, manages tenants. */
@AdminController('tenants', 'tenants')
@Roles('operator')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly analytics: AnalyticsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every tenant, newest first' })
  @ApiZodQuery(listTenantsSchema)
  list(@Query(new ZodPipe(listTenantsSchema)) query: z.infer<typeof listTenantsSchema>) {
    return this.tenants.list(query.after, query.limit);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One tenant' })
  get(@Param('id', UuidParam) id: string) {
    return this.tenants.get(id);
  }

  @Get(':id/usage')
  @ApiOperation({ summary: 'A tenant’s billing usage of a month (messages, automated resolutions)' })
  @ApiZodQuery(usageQuerySchema)
  async usage(@Param('id', UuidParam) id: string, @Query(new ZodPipe(usageQuerySchema)) query: UsageQuery) {
    await this.tenants.get(id);
    return this.analytics.usage(id, query.month ?? new Date().toISOString().slice(0, 7));
  }

  @Post()
  @ApiOperation({ summary: 'Create a tenant with its first owner' })
  @ApiZodBody(createTenantSchema)
  create(@Caller() caller: Principal, @Body(new ZodPipe(createTenantSchema)) body: CreateTenantBody) {
    return this.tenants.create(caller, body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a tenant' })
  @ApiZodBody(updateTenantSchema)
  update(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPatchPipe(updateTenantSchema)) body: UpdateTenantBody) {
    return this.tenants.update(caller, id, body);
  }
}
