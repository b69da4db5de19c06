import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody, ApiZodQuery } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPatchPipe, ZodPipe } from '../common/zod-body.pipe';
import { ArticlesService } from './articles.service';
import {
  createArticleSchema,
  listArticlesSchema,
  updateArticleSchema,
  type CreateArticleBody,
  type ListArticlesQuery,
  type UpdateArticleBody,
} from './dto/article.dto';

@AdminController('knowledge/articles', 'knowledge')
export class ArticlesController {
  constructor(private readonly articles: ArticlesService) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Articles, newest first (without bodies); `{ items, nextCursor }`' })
  @ApiZodQuery(listArticlesSchema)
  list(@Caller() caller: Principal, @Query(new ZodPipe(listArticlesSchema)) query: ListArticlesQuery) {
    return this.articles.list(tenantOf(caller), query);
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'One article with its body' })
  get(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.articles.get(tenantOf(caller), id);
  }

  @Post()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Create an article; it is chunked and searchable by the agent at once' })
  @ApiZodBody(createArticleSchema)
  create(@Caller() caller: Principal, @Body(new ZodPipe(createArticleSchema)) body: CreateArticleBody) {
    return this.articles.create(caller, tenantOf(caller), body);
  }

  @Patch(':id')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Change an article: bumps its version and re-chunks it' })
  @ApiZodBody(updateArticleSchema)
  update(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPatchPipe(updateArticleSchema)) body: UpdateArticleBody) {
    return this.articles.update(caller, tenantOf(caller), id, body);
  }

  @Delete(':id')
  @Roles(...MANAGERS)
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an article and its chunks' })
  async remove(@Caller() caller: Principal, @Param('id', UuidParam) id: string): Promise<void> {
    await this.articles.remove(caller, tenantOf(caller), id);
  }
}
