import { Body, Controller, Get, Headers, NotFoundException, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../admin/common/openapi-zod';
import type { Response } from 'express';
import { ValidationFailed, clientMessageIdSchema, parseOrThrow } from '@cs/contracts';
import { ApiKeyGuard, ApiTenantId } from './api-key.guard';
import { ApiChannelService } from './api-channel.service';
import { ConversationMessagesService, type MessagePage } from './conversation-messages.service';
import {
  apiMessageAnsweredSchema,
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
    description:
      "200 `{ conversationId, reply }` when the agent answers within `wait` ms, else 202 `{ conversationId, status: 'pending' }`. " +
      'Send an `Idempotency-Key` header (or a `clientMessageId` field; letters, digits, `-`, `_`, up to 100, a UUID fits) to retry ' +
      'safely: a retry with the same key, even while the first request is still in flight or after a dropped connection, is stored ' +
      'and answered once and gets the first result (the same `conversationId`, and the same reply once there is one). Keys are per tenant, ' +
      'kept as long as the message. Text is normalised first: NUL and control characters (but tab and line breaks) removed, lone surrogates replaced by U+FFFD.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Your id for this message; a retry with the same key gets the first result and is not stored twice.' })
  @ApiZodBody(apiMessageBodySchema)
  @ApiZodQuery(apiMessageQuerySchema)
  @ApiZodResponse(
    200,
    "The agent's reply. `reply.outcome` says what the agent did: `{ kind: 'answered', reason: 'answered' | 'clarifying_question' | 'smalltalk' | 'action' }` " +
      "or `{ kind: 'handoff', reason }` with the hand-off code (`no_confident_answer`, `customer_asked_for_person`, `failed_check`, `customer_upset`, ...).",
    apiMessageAnsweredSchema,
  )
  async post(
    @ApiTenantId() tenantId: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    const { wait } = parseOrThrow(apiMessageQuerySchema, query);
    const input = parseOrThrow(apiMessageBodySchema, body ?? {});
    const key = clientKeyOf(idempotencyKey, input.clientMessageId);
    const result = await this.channel.send(tenantId, input, wait, key);
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

/** The header and the body field are two spellings of one key: either, or both when they agree. */
function clientKeyOf(header: string | undefined, field: string | undefined): string | undefined {
  if (header === undefined) return field;
  const parsed = clientMessageIdSchema.safeParse(header.trim());
  if (!parsed.success) throw new ValidationFailed([{ path: 'Idempotency-Key', message: parsed.error.issues[0].message }]);
  if (field !== undefined && field !== parsed.data) {
    throw new ValidationFailed([{ path: 'clientMessageId', message: 'differs from the Idempotency-Key header; send one, or the same in both' }]);
  }
  return parsed.data;
}
