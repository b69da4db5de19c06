import type { AddressInfo } from 'net';
import type { DynamicModule, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { BusTransport } from '@cs/messaging';
import { setupOpenApi } from './admin/openapi';
import { configureGatewayHttp } from './gateway-http';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** LOG_LEVEL=warn → fatal, error, warn. */
export function logLevelsUpTo(level: string): LogLevel[] {
  const index = LEVELS.indexOf(level as LogLevel);
  return LEVELS.slice(0, index < 0 ? LEVELS.indexOf('log') + 1 : index + 1);
}

/**
 * Creates and starts an HTTP app that hosts the gateway: raw bodies for /hooks, OpenAPI at /docs, bus handlers
 * wired through BusTransport, listening on PORT/HOST. Returns the app and the port it got
 * (PORT=0 picks a free one).
 */
export async function startHttpApp(
  root: DynamicModule,
  opts: { port: number; host: string; logLevel: string },
): Promise<{ app: NestExpressApplication; port: number }> {
  const app = await NestFactory.create<NestExpressApplication>(root, {
    bodyParser: false,
    logger: logLevelsUpTo(opts.logLevel),
  });
  configureGatewayHttp(app);
  setupOpenApi(app);
  app.connectMicroservice({ strategy: app.get(BusTransport) }, { inheritAppConfig: false });
  await app.startAllMicroservices();
  await app.listen(opts.port, opts.host);
  const address = app.getHttpServer().address() as AddressInfo;
  return { app, port: address.port };
}
