import type { AddressInfo } from 'net';
import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { CoreModule, gatewayEnvSchema, loadEnv } from '@cs/config';
import { BUS, BusTransport, type Bus } from '@cs/messaging';
import { tempFilesDir, testEnv } from '@cs/testing';
import { GatewayModule } from '../gateway.module';
import { configureGatewayHttp } from '../gateway-http';

export interface GatewayTestApp {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port> */
  url: string;
  bus: Bus;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * The real GatewayModule on the run's PostgreSQL (TEST_DATABASE_URL, migrated by global setup) and
 * the in-process bus, listening on a free port, plus whatever real modules a spec adds beside it.
 */
export async function startGatewayTestApp(
  opts: { imports?: (Type | DynamicModule | ForwardReference)[]; env?: Record<string, string> } = {},
): Promise<GatewayTestApp> {
  // The run's database comes from the test helpers (set by jest's global setup), never from the
  // process's own DATABASE_URL.
  const env = loadEnv(gatewayEnvSchema, {
    DATABASE_URL: testEnv().DATABASE_URL,
    DB_POOL_SIZE: '4',
    SECRET_KEY: 'gateway-integration-tests-secret-key-0123456789',
    LOG_LEVEL: 'error',
    WEBHOOK_TIMEOUT_MS: '2000',
    FILES_DIR: tempFilesDir(),
    ...opts.env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [CoreModule.forRoot(env, { app: 'gateway-test', migrate: false }), GatewayModule, ...(opts.imports ?? [])],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['fatal', 'error'] });
  configureGatewayHttp(app);
  app.connectMicroservice({ strategy: app.get(BusTransport) });
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    bus: app.get<Bus>(BUS),
    dataSource: app.get(DataSource),
    close: () => app.close(),
  };
}
