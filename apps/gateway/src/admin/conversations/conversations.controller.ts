import { Body, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody, ApiZodQuery } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPipe } from '../common/zod-body.pipe';
import { ConversationActionsService } from './conversation-actions.service';
import { ConversationLabelsService } from './conversation-labels.service';
import { ConversationsQueryService } from './conversations-query.service';
import {
  assignSchema,
  labelSchema,
  listConversationsSchema,
  replySchema,
  type AssignBody,
  type LabelBody,
  type ListConversationsQuery,
  type ReplyBody,
} from './dto/conversation.dto';

@AdminController('conversations', 'conversations')
@Roles(...STAFF)
export class ConversationsController {
  constructor(
    private readonly query: ConversationsQueryService,
    private readonly actions: ConversationActionsService,
    private readonly labels: ConversationLabelsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The inbox: filter by status, channel, intent, assignee, label, dates; search message text; `{ items, nextCursor }`' })
  @ApiZodQuery(listConversationsSchema)
  list(@Caller() caller: Principal, @Query(new ZodPipe(listConversationsSchema)) query: ListConversationsQuery) {
    return this.query.list(caller, tenantOf(caller), query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A conversation with its contact and every message, private notes and decision traces included' })
  detail(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.query.detail(tenantOf(caller), id);
  }

  @Post(':id/replies')
  @ApiOperation({ summary: 'Reply as a person: sent on the conversation’s channel; the caller takes the conversation over from the bot' })
  @ApiZodBody(replySchema)
  reply(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPipe(replySchema)) body: ReplyBody) {
    return this.actions.reply(caller, tenantOf(caller), id, body.text);
  }

  @Post(':id/notes')
  @ApiOperation({ summary: 'Add a private note, visible to the team only' })
  @ApiZodBody(replySchema)
  note(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPipe(replySchema)) body: ReplyBody) {
    return this.actions.note(caller, tenantOf(caller), id, body.text);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a user (default: the caller); `assigneeId: null` puts it back in the waiting queue' })
  @ApiZodBody(assignSchema)
  assign(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPipe(assignSchema)) body: AssignBody) {
    return this.actions.assign(caller, tenantOf(caller), id, body.assigneeId);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark resolved' })
  resolve(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.actions.resolve(caller, tenantOf(caller), id);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen to the team (its assignee, else the waiting queue)' })
  reopen(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.actions.reopen(caller, tenantOf(caller), id);
  }

  @Post(':id/handback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the conversation back to the bot' })
  handBack(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.actions.handBack(caller, tenantOf(caller), id);
  }

  @Post(':id/labels')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a label (lowercased; at most 20 a conversation); answers `{ labels }`' })
  @ApiZodBody(labelSchema)
  addLabel(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPipe(labelSchema)) body: LabelBody) {
    return this.labels.add(caller, tenantOf(caller), id, body.label);
  }

  @Delete(':id/labels/:label')
  @ApiOperation({ summary: 'Remove a label; answers `{ labels }`' })
  removeLabel(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Param('label', new ZodPipe(labelSchema.shape.label)) label: string) {
    return this.labels.remove(caller, tenantOf(caller), id, label);
  }
}
