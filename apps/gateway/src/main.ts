import { Logger, Module } from '@nestjs/common';
import { CoreModule, HealthModule, gatewayEnvSchema, keepAliveOnStrayRejections, loadEnv, startDefaultMetrics } from '@cs/config';
import { startHttpApp } from './bootstrap';
import { GatewayModule } from './gateway.module';

/** The gateway alone (distributed mode): DATABASE_URL and NATS_URL point at the shared services. */
@Module({})
class GatewayAppModule {}

async function main(): Promise<void> {
  const env = loadEnv(gatewayEnvSchema);
  startDefaultMetrics('gateway');
  keepAliveOnStrayRejections('gateway');
  const { port } = await startHttpApp(
    { module: GatewayAppModule, imports: [CoreModule.forRoot(env, { app: 'gateway' }), GatewayModule, HealthModule] },
    { port: env.PORT, host: env.HOST, logLevel: env.LOG_LEVEL },
  );
  new Logger('Gateway').log(`listening on ${env.HOST}:${port}`);
  console.log(`READY http://localhost:${port}`);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
