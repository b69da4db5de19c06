import { Body, Get, Patch } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, type Principal } from '../auth/principal';
import { Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody } from '../common/openapi-zod';
import { ZodPatchPipe } from '../common/zod-body.pipe';
import { preferencesSchema, type PreferencesBody } from './dto/helpdesk.dto';
import { PreferencesService } from './preferences.service';

@AdminController('preferences', 'preferences')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({ summary: 'The caller’s availability (`online`/`away`: away is skipped by the round-robin) and notification preferences (`browser`, `sound`, `email`)' })
  get(@Caller() caller: Principal) {
    return this.preferences.get(caller);
  }

  @Patch()
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Change the caller’s availability or notification preferences' })
  @ApiZodBody(preferencesSchema)
  update(@Caller() caller: Principal, @Body(new ZodPatchPipe(preferencesSchema)) body: PreferencesBody) {
    return this.preferences.update(caller, body);
  }
}
