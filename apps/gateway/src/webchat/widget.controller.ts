import { readFile } from 'fs/promises';
import { join } from 'path';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, type GatewayEnv } from '@cs/config';

/** The embeddable widget: one plain script, no build step, served as is. */
@ApiExcludeController()
@Controller()
export class WidgetController {
  private script?: Promise<string>;

  constructor(@Inject(APP_CONFIG) private readonly config: Pick<GatewayEnv, 'UPLOAD_MAX_BYTES'>) {}

  @Get('widget.js')
  @Header('Content-Type', 'application/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  widget(): Promise<string> {
    // Read on first use and kept: the file ships beside this module (copied to dist/ by the build).
    // The upload limit is written in, so the widget refuses a file that is too large before sending it.
    this.script ??= readFile(join(__dirname, 'public', 'widget.js'), 'utf8').then((js) => js.replace('/*UPLOAD_MAX_BYTES*/10485760', String(this.config.UPLOAD_MAX_BYTES))).catch((err: Error) => {
      this.script = undefined;
      throw err;
    });
    return this.script;
  }
}
