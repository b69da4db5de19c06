import { BadRequestException, Body, Get, HttpCode, Param, Post, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiOperation } from '@nestjs/swagger';
import { Caller, tenantOf, type Principal } from '../auth/principal';
import { MANAGERS, Roles, STAFF } from '../auth/roles.decorator';
import { AdminController } from '../common/admin-controller.decorator';
import { ApiZodBody } from '../common/openapi-zod';
import { UuidParam } from '../common/uuid-param.pipe';
import { ZodPipe } from '../common/zod-body.pipe';
import { ArticlesService } from './articles.service';
import { importFilesSchema, tryQuestionSchema, type ImportFilesBody, type TryQuestionBody } from './dto/knowledge-tools.dto';
import { KnowledgeImportService } from './import/knowledge-import.service';
import { KnowledgeTryService } from './knowledge-try.service';

const MAX_FILES = 500;
const MAX_FILE_BYTES = 5 * 1024 * 1024;

interface UploadedFile {
  originalname: string;
  buffer: Buffer;
}

@AdminController('knowledge', 'knowledge')
export class KnowledgeToolsController {
  constructor(
    private readonly imports: KnowledgeImportService,
    private readonly articles: ArticlesService,
    private readonly tryout: KnowledgeTryService,
  ) {}

  @Post('imports')
  @Roles(...MANAGERS)
  @HttpCode(202)
  @UseInterceptors(FilesInterceptor('files', MAX_FILES, { limits: { fileSize: MAX_FILE_BYTES } }))
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiOperation({ summary: 'Import .md, .html, .csv and .json files (multipart `files`, or JSON `{ files: [{ name, content }] }`); poll the job for progress' })
  @ApiZodBody(importFilesSchema)
  start(@Caller() caller: Principal, @UploadedFiles() uploaded: UploadedFile[] | undefined, @Body(new ZodPipe(importFilesSchema)) body: ImportFilesBody) {
    const files = [...(uploaded ?? []).map((f) => ({ name: f.originalname, content: f.buffer.toString('utf8') })), ...body.files];
    if (files.length === 0) throw new BadRequestException('files: send at least one file');
    return this.imports.start(caller, tenantOf(caller), files);
  }

  @Get('imports/:id')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Progress of an import: processed of total, created / updated / unchanged / failed, errors per file' })
  progress(@Caller() caller: Principal, @Param('id', UuidParam) id: string) {
    return this.imports.get(tenantOf(caller), id);
  }

  @Post('reindex')
  @Roles(...MANAGERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-chunk every article of the tenant' })
  reindex(@Caller() caller: Principal) {
    return this.articles.reindex(caller, tenantOf(caller));
  }

  @Post('try')
  @Roles(...STAFF)
  @HttpCode(200)
  @ApiOperation({
    summary: 'What the agent would reply to a question, and why: its real turn run with nothing stored or sent',
    description:
      '`{ question, channel, decision, outcome, answer, parts, threshold, passages, rejected, trace }`: the decision (answer, handoff, silent), ' +
      'the outcome code a real reply carries, the reply text, the retrieval threshold and passages, and the trace a real reply stores. ' +
      'Actions on the shop (order status, cancelling) are not carried out. 503 when no agent is running.',
  })
  @ApiZodBody(tryQuestionSchema)
  try(@Caller() caller: Principal, @Body(new ZodPipe(tryQuestionSchema)) body: TryQuestionBody) {
    return this.tryout.try(tenantOf(caller), body.question, body.channel);
  }
}
