import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OBJECT_STORAGE } from '@cs/config';
import { LOCAL_FILES_ROUTE, LocalFolderStorage, type ObjectStorage } from '@cs/storage';
import { ApiError } from '../common/api-exception.filter';

/**
 * The local twin of an S3 presigned URL: with STORAGE_DRIVER=local, the signed links staff and
 * customers get point here, and the file is served only while the link's signature holds and it
 * has not expired, with the type and disposition it was signed for. With S3 the links go to the
 * store itself and this route has nothing to serve.
 */
@ApiTags('files')
@Controller()
export class FilesController {
  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  @Get(`${LOCAL_FILES_ROUTE.slice(1)}/*key`)
  @ApiOperation({ summary: 'Download a file through a signed link (local storage only); 403 once the link has expired or was altered' })
  @ApiParam({ name: 'key', description: 'the object key, e.g. tenants/<tenant id>/attachments/<id>' })
  @ApiQuery({ name: 'exp', description: 'expiry, Unix seconds' })
  @ApiQuery({ name: 'sig', description: 'the signature' })
  async download(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!(this.storage instanceof LocalFolderStorage)) throw new ApiError(404, 'NOT_FOUND', 'files are served by the object store');
    const key = decodeURIComponent(req.path.slice(LOCAL_FILES_ROUTE.length + 1));
    const grant = this.storage.verifyLink(key, req.query as Record<string, unknown>);
    if (!grant) throw new ApiError(403, 'LINK_EXPIRED', 'This link has expired or is not valid: open the file again from the conversation');
    const body = await this.storage.get(key);
    if (!body) throw new ApiError(404, 'NOT_FOUND', 'this file no longer exists');
    res.setHeader('Content-Type', grant.contentType);
    res.setHeader('Content-Disposition', grant.disposition);
    res.setHeader('Content-Length', String(body.length));
    // Whatever the bytes are, a browser must not sniff them into HTML or run them here.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
    res.setHeader('Cache-Control', 'private, max-age=60');
    res.end(body);
  }
}
