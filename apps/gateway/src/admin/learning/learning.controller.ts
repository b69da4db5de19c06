import { Body, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody, ApiZodQuery } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPatchPipe, ZodPipe } from '../common/zod-body.pipe';
import {
  draftFromGapSchema,
  listGapsSchema,
  listSuggestionsSchema,
  updateSuggestionSchema,
  type DraftFromGapBody,
  type ListGapsQuery,
  type ListSuggestionsQuery,
  type UpdateSuggestionBody,
} from './dto/learning.dto';
import { KnowledgeGapsService } from './knowledge-gaps.service';
import { SuggestedArticlesService } from './suggested-articles.service';

@AdminController('knowledge/gaps', 'learning')
export class KnowledgeGapsController {
  constructor(private readonly gaps: KnowledgeGapsService) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({
    summary: 'Knowledge gaps: the questions the agent could not answer, grouped by meaning, largest first, with trend, top phrasings, channels and the closest article',
  })
  @ApiZodQuery(listGapsSchema)
  list(@Caller() caller: Principal, @Query(new ZodPipe(listGapsSchema)) query: ListGapsQuery) {
    return this.gaps.list(tenantOf(caller), query);
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'One knowledge gap: its phrasings, why its questions went unanswered, the latest questions and their conversations, its drafts' })
  get(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.gaps.get(tenantOf(caller), id);
  }

  @Post(':id/dismiss')
  @Roles(...MANAGERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss a gap: hidden from the open list; its questions are still counted' })
  dismiss(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.gaps.dismiss(caller, tenantOf(caller), id);
  }

  @Post(':id/draft')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Turn a gap into a draft article in the review queue (409 while it has one pending)' })
  @ApiZodBody(draftFromGapSchema)
  draft(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPipe(draftFromGapSchema)) body: DraftFromGapBody) {
    return this.gaps.draft(caller, tenantOf(caller), id, body);
  }
}

@AdminController('knowledge/suggestions', 'learning')
export class SuggestedArticlesController {
  constructor(private readonly suggestions: SuggestedArticlesService) {}

  @Get()
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Suggested articles (the review queue), newest first: drafts from staff replies to handed-off questions and from gaps' })
  @ApiZodQuery(listSuggestionsSchema)
  list(@Caller() caller: Principal, @Query(new ZodPipe(listSuggestionsSchema)) query: ListSuggestionsQuery) {
    return this.suggestions.list(tenantOf(caller), query);
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'One suggested article: title, body, the redacted question and answer it came from, the article it would merge into' })
  get(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.suggestions.get(tenantOf(caller), id);
  }

  @Patch(':id')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Edit a pending draft (title, body, or the article to merge into; null publishes it as a new article)' })
  @ApiZodBody(updateSuggestionSchema)
  update(@Caller() caller: Principal, @Param('id', UuidParam) id: string, @Body(new ZodPatchPipe(updateSuggestionSchema)) body: UpdateSuggestionBody) {
    return this.suggestions.update(caller, tenantOf(caller), id, body);
  }

  @Post(':id/approve')
  @Roles(...MANAGERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a draft: published (a new article, or a section of the close one) and searchable at once; its gap is closed' })
  approve(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.suggestions.approve(caller, tenantOf(caller), id);
  }

  @Post(':id/reject')
  @Roles(...MANAGERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a draft' })
  reject(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.suggestions.reject(caller, tenantOf(caller), id);
  }
}
