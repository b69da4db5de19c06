import { Body, Get, Patch } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody } from '../common/openapi-zod';
import { ZodPatchPipe } from '../common/zod-body.pipe';
import { patchSettingsSchema, type PatchSettingsBody } from './dto/settings.dto';
import { SettingsService } from './settings.service';

@AdminController('settings', 'settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({ summary: 'The tenant’s agent settings' })
  get(@Caller() caller: Principal) {
    return this.settings.get(tenantOf(caller));
  }

  @Patch()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Change some settings; a field set to null returns to the default' })
  @ApiZodBody(patchSettingsSchema)
  patch(@Caller() caller: Principal, @Body(new ZodPatchPipe(patchSettingsSchema)) body: PatchSettingsBody) {
    return this.settings.patch(caller, tenantOf(caller), body);
  }
}
