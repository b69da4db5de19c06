import { Body, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPatchPipe, ZodPipe } from '../common/zod-body.pipe';
import { teamSchema, updateTeamSchema, type TeamBody, type UpdateTeamBody } from './dto/helpdesk.dto';
import { TeamsService } from './teams.service';

@AdminController('teams', 'teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({ summary: 'The tenant’s teams with their members and each member’s availability; `{ items }`' })
  list(@Caller() caller: Principal) {
    return this.teams.list(tenantOf(caller));
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'One team' })
  get(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.teams.get(tenantOf(caller), id);
  }

  @Post()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Create a team (`memberIds`: active staff); `receivesHandoffs`: hand-offs are assigned round-robin among its available members' })
  @ApiZodBody(teamSchema)
  create(@Caller() caller: Principal, @Body(new ZodPipe(teamSchema)) body: TeamBody) {
    return this.teams.create(caller, tenantOf(caller), body);
  }

  @Patch(':id')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Rename a team, replace its members, or make it the one receiving hand-offs' })
  @ApiZodBody(updateTeamSchema)
  update(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPatchPipe(updateTeamSchema)) body: UpdateTeamBody) {
    return this.teams.update(caller, tenantOf(caller), id, body);
  }

  @Delete(':id')
  @Roles(...MANAGERS)
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a team (its conversations keep their assignees)' })
  async remove(@Caller() caller: Principal, @Param('id', UuidParam) id: string): Promise<void> {
    await this.teams.remove(caller, tenantOf(caller), id);
  }
}
