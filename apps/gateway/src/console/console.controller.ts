import { existsSync } from 'fs';
import { readFile } from 'fs/promises';
import { join } from 'path';
import { Controller, Get, Header, Inject, NotFoundException, Optional, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';

/** Everything the console loads is ours: no CDN, no inline script. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const TYPES: Record<string, string> = {
  js: 'application/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
};

/**
 * The bundle `npm run build` writes (scripts/build.js bundles apps/console): beside the compiled
 * gateway in dist/, or under dist/ of the working directory when the gateway runs from its sources.
 */
export const CONSOLE_BUNDLE_DIR = Symbol('CONSOLE_BUNDLE_DIR');

export function consoleBundleDir(): string {
  const besideDist = join(__dirname, '..', '..', '..', 'console', 'public');
  return existsSync(besideDist) ? besideDist : join(process.cwd(), 'dist', 'apps', 'console', 'public');
}

/**
 * The staff's web console (apps/console): one page app at /console that speaks only the documented
 * REST API and the live stream. Every path under /console answers the app, which routes itself.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  private readonly dir: string;
  private readonly files = new Map<string, Promise<Buffer>>();

  constructor(@Optional() @Inject(CONSOLE_BUNDLE_DIR) dir?: string) {
    this.dir = dir ?? consoleBundleDir();
  }

  @Get('assets/:file')
  async asset(@Param('file') file: string, @Res() res: Response): Promise<void> {
    const match = /^console\.(js|css)(\.map)?$/.exec(file);
    if (!match) throw new NotFoundException('no such console file');
    const body = await this.read(file);
    res
      .type(TYPES[match[2] ? 'map' : match[1]])
      // The names are fixed, so a new build must be picked up: revalidate with the ETag express sets.
      .setHeader('Cache-Control', 'no-cache')
      .send(body);
  }

  @Get(['', '*path'])
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CONSOLE_CSP)
  @Header('Cache-Control', 'no-cache')
  @Header('X-Frame-Options', 'DENY')
  async page(): Promise<string> {
    return (await this.read('index.html')).toString('utf8');
  }

  private read(file: string): Promise<Buffer> {
    let content = this.files.get(file);
    if (!content) {
      content = readFile(join(this.dir, file)).catch((err: NodeJS.ErrnoException) => {
        this.files.delete(file);
        if (err.code === 'ENOENT') throw new NotFoundException('the console is not built: run `npm run build`');
        throw err;
      });
      this.files.set(file, content);
    }
    return content;
  }
}
