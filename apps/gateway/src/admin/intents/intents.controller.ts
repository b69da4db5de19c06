import { Body, Delete, Get, HttpCode, NotFoundException, Param, Patch, Post, type PipeTransform } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody } from '../common/openapi-zod';
import { ZodPatchPipe, ZodPipe } from '../common/zod-body.pipe';
import { IntentsService, createIntentSchema, updateIntentSchema, type CreateIntentBody, type UpdateIntentBody } from './intents.service';

/** An intent name that cannot exist names nothing: 404. */
class IntentName implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[a-z][a-z0-9_]*$/.test(value)) throw new NotFoundException('no such intent');
    return value;
  }
}

@AdminController('intents', 'intents')
export class IntentsController {
  constructor(private readonly intents: IntentsService) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({ summary: 'The tenant’s own intents with their examples (the built-in e-commerce intents always apply too)' })
  list(@Caller() caller: Principal) {
    return this.intents.list(tenantOf(caller));
  }

  @Get(':name')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'One intent' })
  get(@Caller() caller: Principal, @Param('name', IntentName) name: string) {
    return this.intents.get(tenantOf(caller), name);
  }

  @Post()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Teach the agent an intent by at least 5 examples; `kind: handoff` sends matching messages to the team' })
  @ApiZodBody(createIntentSchema)
  create(@Caller() caller: Principal, @Body(new ZodPipe(createIntentSchema)) body: CreateIntentBody) {
    return this.intents.create(caller, tenantOf(caller), body);
  }

  @Patch(':name')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Change an intent’s kind or examples' })
  @ApiZodBody(updateIntentSchema)
  update(@Caller() caller: Principal, @Param('name', IntentName) name: string, @Body(new ZodPatchPipe(updateIntentSchema)) body: UpdateIntentBody) {
    return this.intents.update(caller, tenantOf(caller), name, body);
  }

  @Delete(':name')
  @Roles(...MANAGERS)
  @HttpCode(204)
  @ApiOperation({ summary: 'Forget an intent' })
  async remove(@Caller() caller: Principal, @Param('name', IntentName) name: string): Promise<void> {
    await this.intents.remove(caller, tenantOf(caller), name);
  }
}
