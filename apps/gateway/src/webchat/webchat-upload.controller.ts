import { CanActivate, Controller, ExecutionContext, HttpCode, Injectable, Options, Post, Query, Req, Res, UploadedFile, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError } from '../common/api-exception.filter';
import { WebchatUploadService, uploadTooLargeMessage, type UploadedFile as File } from './webchat-upload.service';

export const WEBCHAT_UPLOAD_PATH = 'webchat/files';
/** Room for the multipart framing and the text field around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * Refuses an upload before its body is read: an unknown widget, a site that may not embed it, or a
 * declared length over the limit (the customer is told the limit, not "payload too large").
 */
@Injectable()
export class UploadAllowedGuard implements CanActivate {
  constructor(private readonly uploads: WebchatUploadService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    await this.uploads.authorize(req.query.key, req.headers.origin);
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > this.uploads.maxBytes + MULTIPART_OVERHEAD) throw new ApiError(413, 'FILE_TOO_LARGE', uploadTooLargeMessage(this.uploads.maxBytes));
    allowOrigin(req, context.switchToHttp().getResponse<Response>());
    return true;
  }
}

/** The widget may sit on the shop's own site: its uploads are cross-origin (allowed origins are the widget's). */
function allowOrigin(req: Request, res: Response): void {
  if (!req.headers.origin) return;
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
  res.setHeader('Vary', 'Origin');
}

@ApiTags('web chat')
@Controller()
export class WebchatUploadController {
  constructor(private readonly uploads: WebchatUploadService) {}

  @Post(WEBCHAT_UPLOAD_PATH)
  @HttpCode(201)
  @UseGuards(UploadAllowedGuard)
  // The multer limit is a backstop for a body without Content-Length; the guard and the service say the limit in words.
  @UseInterceptors(FileInterceptor('file', { limits: { files: 1, fileSize: 100 * 1024 * 1024 } }))
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary: 'A customer sends a picture or a PDF from the web-chat widget',
    description:
      'Multipart field `file` (PNG, JPEG, GIF, WebP or PDF, recognised by its bytes, at most UPLOAD_MAX_BYTES) and optional `text`. ' +
      'Stored in object storage and sent as the customer\'s message, like a typed one; a retry with the same `clientId` stores it once. ' +
      '413 names the limit, 415 the accepted types.',
  })
  @ApiQuery({ name: 'key', description: 'the widget key' })
  @ApiQuery({ name: 'session', description: "the widget's session id" })
  @ApiQuery({ name: 'clientId', description: "the widget's id for this message (letters, digits, - and _)" })
  @ApiResponse({ status: 201, description: '`{ clientId, attachment: { id, name, mimeType, size } }`' })
  upload(
    @Query('key') key: unknown,
    @Query('session') session: unknown,
    @Query('clientId') clientId: unknown,
    @Req() req: Request,
    @UploadedFile() file: File | undefined,
  ) {
    const text = (req.body as { text?: unknown } | undefined)?.text;
    return this.uploads.upload({ key, session, clientId, text, origin: req.headers.origin }, file);
  }

  /** The CORS preflight a cross-origin upload with progress events sends first. */
  @Options(WEBCHAT_UPLOAD_PATH)
  preflight(@Req() req: Request, @Res() res: Response): void {
    allowOrigin(req, res);
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  }
}
