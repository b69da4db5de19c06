import { Body, Controller, Get, NotFoundException, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ApiZodQuery } from '../admin/common/openapi-zod';
import type { Response } from 'express';
import { parseOrThrow } from '@cs/contracts';
import { ApiKeyGuard, ApiTenantId } from './api-key.guard';
import { ApiChannelService } from './api-channel.service';
import { ConversationMessagesService, type MessagePage } from './conversation-messages.service';
import {
  apiMessageBodySchema,
  apiMessageQuerySchema,
  listMessagesQuerySchema,
  uuidParamSchema,
} from './api-channel.schemas';

/** The API channel: shops with their own front end talk to the agent over plain HTTP. */
@ApiTags('api-channel')
@ApiBearerAuth()
@Controller('api/v1')
@UseGuards(ApiKeyGuard)
export class ApiChannelController {
  constructor(
    private readonly channel: ApiChannelService,
    private readonly messages: ConversationMessagesService,
  ) {}

  @Post('channels/api/messages')
  @ApiOperation({
    summary: 'Send a customer message to the agent',
    description: "200 `{ conversationId, reply }` when the agent answers within `wait` ms, else 202 `{ conversationId, status: 'pending' }`.",
  })
  @ApiZodBody(apiMessageBodySchema)
  @ApiZodQuery(apiMessageQuerySchema)
  async post(
    @ApiTenantId() tenantId: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const { wait } = parseOrThrow(apiMessageQuerySchema, query);
    const input = parseOrThrow(apiMessageBodySchema, body ?? {});
    const result = await this.channel.send(tenantId, input, wait);
    res.status(result.status);
    return result.body;
  }

  @Get('conversations/:id/messages')
  @ApiOperation({ summary: "A conversation's messages, oldest first: `{ conversationId, items, nextCursor }`" })
  @ApiZodQuery(listMessagesQuerySchema)
  async list(@ApiTenantId() tenantId: string, @Param('id') id: string, @Query() query: unknown): Promise<MessagePage> {
    // A malformed id cannot name one of this tenant's conversations: same answer as a foreign one.
    if (!uuidParamSchema.safeParse(id).success) throw new NotFoundException(`no conversation ${id}`);
    const { after, limit } = parseOrThrow(listMessagesQuerySchema, query);
    return this.messages.list(tenantId, id, after, limit);
  }
}
