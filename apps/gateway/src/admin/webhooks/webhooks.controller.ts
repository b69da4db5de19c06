import { Body, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { newId } from '@cs/contracts';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPatchPipe, ZodPipe } from '../common/zod-body.pipe';
import { createWebhookSchema, updateWebhookSchema, type CreateWebhookBody, type UpdateWebhookBody } from './dto/webhook.dto';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhooksService } from './webhooks.service';

@AdminController('webhooks', 'webhooks')
@Roles(...MANAGERS)
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe a URL to conversation events (`handoff`, `assigned`, `resolved`, `reopened`, `handed_back`, `csat`) and delivery states of outgoing messages (`delivery`); none listed: all. The signing secret is shown once. Each POST carries `X-CS-Signature: t=<unix>,v1=<HMAC-SHA256(secret, "<t>.<body>")>`',
  })
  @ApiZodBody(createWebhookSchema)
  create(@Caller() caller: Principal, @Body(new ZodPipe(createWebhookSchema)) body: CreateWebhookBody) {
    return this.webhooks.create(caller, tenantOf(caller), body);
  }

  @Get()
  @ApiOperation({ summary: 'The tenant’s webhooks with their last delivery result' })
  list(@Caller() caller: Principal) {
    return this.webhooks.list(tenantOf(caller));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL or events, or pause a webhook' })
  @ApiZodBody(updateWebhookSchema)
  update(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPatchPipe(updateWebhookSchema)) body: UpdateWebhookBody) {
    return this.webhooks.update(caller, tenantOf(caller), id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook' })
  async remove(@Caller() caller: Principal, @Param('id', UuidParam) id: string): Promise<void> {
    await this.webhooks.remove(caller, tenantOf(caller), id);
  }

  @Post(':id/ping')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a signed `ping` event now and report how the endpoint answered' })
  async ping(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    const tenantId = tenantOf(caller);
    const target = await this.webhooks.find(tenantId, id);
    const error = await this.dispatcher.post(target, { id: newId(), type: 'ping', occurredAt: new Date().toISOString(), tenantId, data: {} });
    return { ok: !error, error };
  }
}
