import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { CONSOLE_BUNDLE_DIR, ConsoleController } from './console.controller';

describe('ConsoleController: the console app at /console', () => {
  let app: INestApplication;
  const dir = mkdtempSync(join(tmpdir(), 'cs-console-bundle-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="app"></div>');
  writeFileSync(join(dir, 'console.js'), 'console.log("app")');
  writeFileSync(join(dir, 'console.css'), 'body{}');

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [ConsoleController],
      providers: [{ provide: CONSOLE_BUNDLE_DIR, useValue: dir }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers the page at /console and at any deep link below it, scripts only from us', async () => {
    for (const path of ['/console', '/console/', '/console/inbox', '/console/inbox/0193f1a0-0000-7000-8000-000000000000', '/console/knowledge/new']) {
      const res = await request(app.getHttpServer()).get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<div id="app">');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('serves the bundle with its content types, and nothing else from the folder', async () => {
    const js = await request(app.getHttpServer()).get('/console/assets/console.js').expect(200);
    expect(js.headers['content-type']).toMatch(/^application\/javascript/);
    expect(js.text).toBe('console.log("app")');
    const css = await request(app.getHttpServer()).get('/console/assets/console.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    await request(app.getHttpServer()).get('/console/assets/index.html').expect(404);
    await request(app.getHttpServer()).get('/console/assets/..%2Findex.html').expect(404);
    // Built without its source map: a 404, not a 500.
    await request(app.getHttpServer()).get('/console/assets/console.js.map').expect(404);
  });
});
