import { Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/admin-controller.decorator';
import { pageQuerySchema } from '../common/cursor';
import { ZodPipe } from '../common/zod-body.pipe';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles } from '../auth/roles.decorator';
import { AuditService } from './audit.service';
import type { z } from 'zod';

@AdminController('audit-logs', 'audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Staff actions of the tenant, newest first' })
  list(@Caller() caller: Principal, @Query(new ZodPipe(pageQuerySchema)) query: z.infer<typeof pageQuerySchema>) {
    return this.audit.list(tenantOf(caller), query.after, query.limit);
  }
}
