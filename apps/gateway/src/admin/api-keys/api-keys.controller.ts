import { Body, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPipe } from '../common/zod-body.pipe';
import { ApiKeysService } from './api-keys.service';
import { createApiKeySchema, type CreateApiKeyBody } from './dto/api-key.dto';

@AdminController('api-keys', 'api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Create an API key; the response is the only time the key is shown' })
  @ApiZodBody(createApiKeySchema)
  create(@Caller() caller: Principal, @Body(new ZodPipe(createApiKeySchema)) body: CreateApiKeyBody) {
    return this.keys.create(caller, tenantOf(caller), body);
  }

  @Get()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'The tenant’s API keys (never the keys themselves)' })
  list(@Caller() caller: Principal) {
    return this.keys.list(tenantOf(caller));
  }

  @Delete(':id')
  @Roles(...MANAGERS)
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an API key',
    description:
      'The key stops working on the console at once. On the API channel it may keep working for up to 10 seconds: ' +
      'each gateway caches looked-up keys that long (the channel is the hot path).',
  })
  async revoke(@Caller() caller: Principal, @Param('id', UuidParam) id: string): Promise<void> {
    await this.keys.revoke(caller, tenantOf(caller), id);
  }
}
