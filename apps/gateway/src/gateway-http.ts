import * as express from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { safeBodyMiddleware } from './common/safe-body.middleware';
import { httpRequests } from '@cs/config';

/** Largest webhook body accepted: base64 of it must fit NATS's default 1 MB payload limit. */
const WEBHOOK_BODY_LIMIT = '700kb';

/**
 * HTTP plumbing every gateway host needs (the distributed main, the embedded main, the tests).
 * The app must be created with `{ bodyParser: false }`: webhook signatures are computed over the
 * exact bytes the vendor sent, so `/hooks` keeps its body raw and only the rest is parsed; every
 * parsed body and query string is then made safe (NUL, control characters, lone surrogates).
 */
export function configureGatewayHttp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  // Counted when the answer leaves, whatever produced it (a route, a filter, the body parser).
  app.use((_req: express.Request, res: express.Response, next: express.NextFunction) => {
    res.on('finish', () => httpRequests.inc({ code: `${Math.floor(res.statusCode / 100)}xx` }));
    next();
  });
  app.use('/hooks', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }));
  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(safeBodyMiddleware);
  app.enableShutdownHooks();
  return app;
}
