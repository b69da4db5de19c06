import 'reflect-metadata';
import { LogLevel, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AgentEnv, CoreModule, HealthModule, agentEnvSchema, keepAliveOnStrayRejections, loadEnv, startDefaultMetrics } from '@cs/config';
import { BusTransport } from '@cs/messaging';
import { AgentModule } from './agent.module';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

@Module({})
class AgentAppModule {
  static forEnv(env: AgentEnv) {
    return { module: AgentAppModule, imports: [CoreModule.forRoot(env, { app: 'agent' }), AgentModule, HealthModule] };
  }
}

/** The agent on its own (distributed mode): `npm run start:agent`. Several may run; they share the `agent` durable. */
async function bootstrap(): Promise<void> {
  const env = loadEnv(agentEnvSchema);
  startDefaultMetrics('agent');
  keepAliveOnStrayRejections('agent');
  const app = await NestFactory.create(AgentAppModule.forEnv(env), { logger: LEVELS.slice(0, LEVELS.indexOf(env.LOG_LEVEL) + 1) });
  app.enableShutdownHooks();
  app.connectMicroservice({ strategy: app.get(BusTransport) });
  await app.startAllMicroservices();
  await app.listen(env.PORT, env.HOST);
  new Logger('agent').log(`agent listening on ${env.HOST}:${env.PORT}`);
}

bootstrap().catch((err: Error) => {
  // Boot errors (a bad env, an unreachable database) end the process with the reason, not a stack dump.
  console.error(err.message);
  process.exit(1);
});
