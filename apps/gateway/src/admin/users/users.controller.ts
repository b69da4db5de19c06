import { Body, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPatchPipe, ZodPipe } from '../common/zod-body.pipe';
import { changePasswordSchema, createUserSchema, updateUserSchema, type ChangePasswordBody, type CreateUserBody, type UpdateUserBody } from './dto/user.dto';
import { UsersService } from './users.service';

@AdminController('users', 'users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'The tenant’s team' })
  list(@Caller() caller: Principal) {
    return this.users.list(tenantOf(caller));
  }

  @Get('directory')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'The active team members anyone on the team may assign to: `{ items: [{ id, name, email, role }] }`' })
  directory(@Caller() caller: Principal) {
    return this.users.directory(tenantOf(caller));
  }

  @Post()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Add a team member (only an owner can add an owner)' })
  @ApiZodBody(createUserSchema)
  create(@Caller() caller: Principal, @Body(new ZodPipe(createUserSchema)) body: CreateUserBody) {
    return this.users.create(caller, tenantOf(caller), body);
  }

  @Patch(':id')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Rename, change the role of, disable or re-enable a team member' })
  @ApiZodBody(updateUserSchema)
  update(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPatchPipe(updateUserSchema)) body: UpdateUserBody) {
    return this.users.update(caller, tenantOf(caller), id, body);
  }

  @Post('me/password')
  @Roles('operator', 'owner', 'admin', 'agent')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your own password (signs your other sessions out)' })
  @ApiZodBody(changePasswordSchema)
  async changePassword(@Caller() caller: Principal, @Body(new ZodPipe(changePasswordSchema)) body: ChangePasswordBody): Promise<void> {
    await this.users.changePassword(caller, body.currentPassword, body.newPassword);
  }
}
