import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody, ApiZodQuery } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPipe } from '../common/zod-body.pipe';
import { ActionApprovalsService } from './action-approvals.service';
import { decideSchema, listApprovalsSchema, type DecideBody, type ListApprovalsQuery } from './dto/action-approvals.dto';

@AdminController('action-approvals', 'action-approvals')
@Roles(...STAFF)
export class ActionApprovalsController {
  constructor(private readonly approvals: ActionApprovalsService) {}

  @Get()
  @ApiOperation({ summary: 'Actions on the shop the agent parked for a person to approve (the queue), or those already decided, newest first' })
  @ApiZodQuery(listApprovalsSchema)
  list(@Caller() caller: Principal, @Query(new ZodPipe(listApprovalsSchema)) query: ListApprovalsQuery) {
    return this.approvals.list(tenantOf(caller), query);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a parked action: the agent carries it out once and tells the customer on their channel what the shop reported' })
  @ApiZodBody(decideSchema)
  @ApiResponse({ status: 404, description: 'No such action awaiting approval in this tenant' })
  @ApiResponse({ status: 409, description: 'Already approved or rejected' })
  @ApiResponse({ status: 503, description: 'No agent answered' })
  approve(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPipe(decideSchema)) body: DecideBody) {
    return this.approvals.decide(caller, tenantOf(caller), id, 'approve', body.note);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a parked action: nothing is done on the shop, and the customer is told so on their channel' })
  @ApiZodBody(decideSchema)
  @ApiResponse({ status: 404, description: 'No such action awaiting approval in this tenant' })
  @ApiResponse({ status: 409, description: 'Already approved or rejected' })
  reject(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPipe(decideSchema)) body: DecideBody) {
    return this.approvals.decide(caller, tenantOf(caller), id, 'reject', body.note);
  }
}
