import { Body, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPatchPipe, ZodPipe } from '../common/zod-body.pipe';
import { ChannelAccountsService } from './channel-accounts.service';
import { ConnectorCatalogClient } from './connector-catalog.client';
import {
  createChannelAccountSchema,
  updateChannelAccountSchema,
  type CreateChannelAccountBody,
  type UpdateChannelAccountBody,
} from './dto/channel-account.dto';

@AdminController('channel-accounts', 'channels')
@Roles(...MANAGERS)
export class ChannelAccountsController {
  constructor(private readonly accounts: ChannelAccountsService) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s channel accounts (secret values never returned)' })
  list(@Caller() caller: Principal) {
    return this.accounts.list(tenantOf(caller));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One channel account' })
  get(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.accounts.get(tenantOf(caller), id);
  }

  @Post()
  @ApiOperation({ summary: 'Connect a channel: settings validated against the connector’s schema, secrets encrypted at rest' })
  @ApiZodBody(createChannelAccountSchema)
  create(@Caller() caller: Principal, @Body(new ZodPipe(createChannelAccountSchema)) body: CreateChannelAccountBody) {
    return this.accounts.create(caller, tenantOf(caller), body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a channel account; omitted secrets are kept' })
  @ApiZodBody(updateChannelAccountSchema)
  update(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPatchPipe(updateChannelAccountSchema)) body: UpdateChannelAccountBody) {
    return this.accounts.update(caller, tenantOf(caller), id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disconnect a channel account' })
  async remove(@Caller() caller: Principal, @Param('id', UuidParam) id: string): Promise<void> {
    await this.accounts.remove(caller, tenantOf(caller), id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Test the connection with the vendor (answered by the connectors app)' })
  test(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.accounts.test(tenantOf(caller), id);
  }
}

@AdminController('connectors', 'channels')
@Roles(...MANAGERS)
export class ConnectorsController {
  constructor(private readonly catalog: ConnectorCatalogClient) {}

  @Get()
  @ApiOperation({ summary: 'The channels this deployment can connect, with each one’s settings form (JSON Schema)' })
  list() {
    return this.catalog.definitions();
  }
}
