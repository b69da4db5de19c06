import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody, ApiZodQuery } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPatchPipe, ZodPipe } from '../common/zod-body.pipe';
import { CannedResponsesService } from './canned-responses.service';
import {
  cannedResponseSchema,
  listCannedResponsesSchema,
  updateCannedResponseSchema,
  type CannedResponseBody,
  type ListCannedResponsesQuery,
  type UpdateCannedResponseBody,
} from './dto/canned-response.dto';
import { PLACEHOLDERS } from './placeholders';

@AdminController('canned-responses', 'canned responses')
export class CannedResponsesController {
  constructor(private readonly canned: CannedResponsesService) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Canned responses by shortcut; `{ items, nextCursor }`' })
  @ApiZodQuery(listCannedResponsesSchema)
  list(@Caller() caller: Principal, @Query(new ZodPipe(listCannedResponsesSchema)) query: ListCannedResponsesQuery) {
    return this.canned.list(tenantOf(caller), query);
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'One canned response' })
  get(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.canned.get(tenantOf(caller), id);
  }

  @Post()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: `Create a canned response; its body may use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}, each with an optional fallback: {{contact.name|there}}` })
  @ApiZodBody(cannedResponseSchema)
  create(@Caller() caller: Principal, @Body(new ZodPipe(cannedResponseSchema)) body: CannedResponseBody) {
    return this.canned.create(caller, tenantOf(caller), body);
  }

  @Patch(':id')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Change a canned response' })
  @ApiZodBody(updateCannedResponseSchema)
  update(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPatchPipe(updateCannedResponseSchema)) body: UpdateCannedResponseBody) {
    return this.canned.update(caller, tenantOf(caller), id, body);
  }

  @Delete(':id')
  @Roles(...MANAGERS)
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a canned response' })
  async remove(@Caller() caller: Principal, @Param('id', UuidParam) id: string): Promise<void> {
    await this.canned.remove(caller, tenantOf(caller), id);
  }
}

/** A canned response filled in for one conversation: what the console puts in the reply composer. */
@AdminController('conversations', 'canned responses')
export class FilledCannedResponseController {
  constructor(private readonly canned: CannedResponsesService) {}

  @Get(':id/canned-responses/:cannedId')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'The canned response with its placeholders filled for this conversation: `{ text, missing }` (placeholders with no value and no fallback, left empty)' })
  fill(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Param('cannedId', UuidParam) cannedId: string) {
    return this.canned.fill(caller, tenantOf(caller), id, cannedId);
  }
}
