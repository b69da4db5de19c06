import 'reflect-metadata';
import type { AddressInfo } from 'net';
import { LogLevel, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConnectorsEnv, CoreModule, HealthModule, connectorsEnvSchema, keepAliveOnStrayRejections, loadEnv, startDefaultMetrics } from '@cs/config';
import { BusTransport } from '@cs/messaging';
import { ConnectorsModule } from './connectors.module';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

@Module({})
class ConnectorsAppModule {
  static forEnv(env: ConnectorsEnv) {
    return {
      module: ConnectorsAppModule,
      imports: [CoreModule.forRoot(env, { app: 'connectors' }), ConnectorsModule, HealthModule],
    };
  }
}

/** The connectors app on its own (distributed mode): `npm run start:connectors`. */
async function bootstrap(): Promise<void> {
  const env = loadEnv(connectorsEnvSchema);
  startDefaultMetrics('connectors');
  keepAliveOnStrayRejections('connectors');
  const app = await NestFactory.create(ConnectorsAppModule.forEnv(env), {
    logger: LEVELS.slice(0, LEVELS.indexOf(env.LOG_LEVEL) + 1),
  });
  app.enableShutdownHooks();
  app.connectMicroservice({ strategy: app.get(BusTransport) });
  await app.startAllMicroservices();
  await app.listen(env.PORT, env.HOST);
  const { port } = app.getHttpServer().address() as AddressInfo;
  new Logger('connectors').log(`connectors app listening on ${env.HOST}:${port} (health, readiness and metrics only)`);
  console.log(`READY http://localhost:${port}`);
}

bootstrap().catch((err: Error) => {
  // Boot errors (a bad env, an unreachable database) end the process with the reason, not a stack dump.
  console.error(err.message);
  process.exit(1);
});
