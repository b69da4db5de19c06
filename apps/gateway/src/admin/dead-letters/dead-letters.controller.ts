import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { z } from 'zod';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { pageQuerySchema } from '../common/cursor';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPipe } from '../common/zod-body.pipe';
import { AuditService } from '../audit/audit.service';
import { DeadLettersService } from './dead-letters.service';

@AdminController('dead-letters', 'dead-letters')
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLettersService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Messages the product gave up on, newest first, each with its reason, original subject, envelope and delivery count' })
  list(@Caller() caller: Principal, @Query(new ZodPipe(pageQuerySchema)) query: z.infer<typeof pageQuerySchema>) {
    return this.deadLetters.list(tenantOf(caller), query.after, query.limit);
  }

  @Post('replay')
  @Roles(...MANAGERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Replay every dead letter of the tenant not replayed yet (after the cause is fixed)' })
  async replayAll(@Caller() caller: Principal) {
    const result = await this.deadLetters.replayAll(tenantOf(caller));
    await this.audit.record(caller, 'dead-letter.replay-all', undefined, { replayed: result.replayed });
    return result;
  }

  @Post(':id/replay')
  @Roles(...MANAGERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Replay one dead letter: its envelope is published again on its original subject' })
  async replayOne(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    const replayed = await this.deadLetters.replayOne(tenantOf(caller), id);
    await this.audit.record(caller, 'dead-letter.replay', { type: 'dead-letter', id });
    return replayed;
  }
}
