import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { UuidParam, VersionParam } from '../common/uuid-param.pipe';
import { ArticleVersionsService } from './article-versions.service';

@AdminController('knowledge/articles', 'knowledge')
export class ArticleVersionsController {
  constructor(private readonly versions: ArticleVersionsService) {}

  @Get(':id/versions')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'An article’s versions, newest first, without bodies; the first is the current one' })
  list(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.versions.list(tenantOf(caller), id);
  }

  @Get(':id/versions/:version')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'One version with its body, and `changes`: the line diff from it to the current body (`added`/`removed` runs)' })
  get(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Param('version', VersionParam) version: number) {
    return this.versions.get(tenantOf(caller), id, version);
  }

  @Post(':id/versions/:version/restore')
  @Roles(...MANAGERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore an earlier version: its content is saved as a new version and re-chunked; the history is kept' })
  restore(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Param('version', VersionParam) version: number) {
    return this.versions.restore(caller, tenantOf(caller), id, version);
  }
}
