import { readFile } from 'fs/promises';
import { join } from 'path';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** The embeddable widget: one plain script, no build step, served as is. */
@ApiExcludeController()
@Controller()
export class WidgetController {
  private script?: Promise<string>;

  @Get('widget.js')
  @Header('Content-Type', 'application/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  widget(): Promise<string> {
    // Read on first use and kept: the file ships beside this module (copied to dist/ by the build).
    this.script ??= readFile(join(__dirname, 'public', 'widget.js'), 'utf8').catch((err: Error) => {
      this.script = undefined;
      throw err;
    });
    return this.script;
  }
}
