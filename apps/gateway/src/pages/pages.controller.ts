import { Controller, Get, Header, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, type GatewayEnv } from '@cs/config';
import { fileLinkOrigin } from '@cs/storage';
import { DemoSiteService } from './demo-site.service';
import { renderMarkdown } from './markdown';
import { PAGE_CSP, articleIndexPage, articlePage, demoPage, demoPageCsp, notFoundPage } from './pages.html';

const FALLBACK_NAME = 'Demo Shop';

/** The demo shop page (with the widget) and the help-center pages the bot links to. */
@ApiExcludeController()
@Controller()
export class PagesController {
  private readonly homeCsp: string;

  constructor(
    private readonly demo: DemoSiteService,
    @Inject(APP_CONFIG) config: Pick<GatewayEnv, 'STORAGE_DRIVER' | 'S3_ENDPOINT' | 'S3_PUBLIC_ENDPOINT'>,
  ) {
    this.homeCsp = demoPageCsp(fileLinkOrigin(config));
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async home(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.setHeader('Content-Security-Policy', this.homeCsp);
    const site = await this.demo.site();
    return demoPage(site?.name ?? FALLBACK_NAME, site?.widgetKey ?? null);
  }

  @Get('kb')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PAGE_CSP)
  async index(): Promise<string> {
    const [site, articles] = await Promise.all([this.demo.site(), this.demo.articles()]);
    return articleIndexPage(site?.name ?? FALLBACK_NAME, articles);
  }

  @Get('kb/:slug')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PAGE_CSP)
  async article(@Param('slug') slug: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const site = await this.demo.site();
    const name = site?.name ?? FALLBACK_NAME;
    const article = await this.demo.article(slug);
    if (!article) {
      res.status(404);
      return notFoundPage(name, 'There is no help article at this address.');
    }
    return articlePage(name, article.title, renderMarkdown(stripLeadingTitle(article.body, article.title)));
  }
}

/** Articles often start with their own title as a `# heading`; the page already shows it. */
function stripLeadingTitle(body: string, title: string): string {
  const match = /^\s*#\s+(.+)\n/.exec(body);
  return match && match[1].trim().toLowerCase() === title.trim().toLowerCase() ? body.slice(match[0].length) : body;
}
