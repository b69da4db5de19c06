import { Logger, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CoreModule, HealthModule, embeddedEnvSchema, keepAliveOnStrayRejections, loadEnv, startDefaultMetrics } from '@cs/config';
import { AgentModule } from '@cs/agent';
import { ConnectorsModule } from '@cs/connectors';
import { GatewayModule, startHttpApp } from '@cs/gateway';
import { seedDemo } from '@cs/knowledge';
import { claimDataDir } from '@cs/persistence';
import { AttachmentStore } from '@cs/storage';
import { ensureOperator } from './operator-login';

/**
 * `npm start`: gateway, agent and connectors in one process (the only place that composes all
 * three apps; each of them stays ignorant of the others), PGlite in DATA_DIR and the
 * in-process bus, with the demo tenant seeded so a newcomer can chat at once.
 */
@Module({})
class EmbeddedAppModule {}

async function main(): Promise<void> {
  const env = loadEnv(embeddedEnvSchema);
  const logger = new Logger('Embedded');
  if (env.NATS_URL) logger.warn('NATS_URL is ignored in the embedded mode: everything runs in this process on the in-process bus');
  const config = { ...env, NATS_URL: undefined };
  // PGlite is one process's: say so rather than open a DATA_DIR another server (or the CLI's user) holds.
  if (!config.DATABASE_URL) claimDataDir(config.DATA_DIR);
  startDefaultMetrics('embedded');
  keepAliveOnStrayRejections('embedded');
  const { app, port } = await startHttpApp(
    {
      module: EmbeddedAppModule,
      imports: [CoreModule.forRoot(config, { app: 'embedded' }), GatewayModule, AgentModule, ConnectorsModule, HealthModule],
    },
    { port: config.PORT, host: config.HOST, logLevel: config.LOG_LEVEL },
  );
  // The embedded mode migrates at start, so it also moves attachments from before object storage there.
  const moved = await app.get(AttachmentStore).moveLegacyContent();
  if (moved) logger.log(`moved ${moved} attachment(s) from the database to file storage`);
  const base = `http://localhost:${port}`;
  const publicUrl = (config.PUBLIC_URL ?? base).replace(/\/+$/, '');
  if (!config.DATABASE_URL) claimDataDir(config.DATA_DIR, base);
  if (config.SEED_DEMO === 'true') {
    const demo = await seedDemo(app.get(DataSource), {
      apiKey: config.DEMO_API_KEY,
      adminEmail: config.DEMO_ADMIN_EMAIL,
      adminPassword: config.DEMO_ADMIN_PASSWORD,
      publicUrl,
    });
    console.log(`Demo shop:      ${publicUrl}/`);
    console.log(`Demo API key:   ${demo.apiKey}`);
    console.log(`Staff console:  ${publicUrl}/console (sign in with the demo admin below)`);
    console.log(`Demo admin:     ${demo.adminEmail} / ${demo.adminPassword ?? '(unchanged: the one DEMO_ADMIN_PASSWORD gave earlier)'}`);
    console.log(
      `Try:            curl -s -X POST '${publicUrl}/api/v1/channels/api/messages?wait=5000' -H 'Authorization: Bearer ${demo.apiKey}' ` +
        `-H 'Content-Type: application/json' -d '{"text":"how long does delivery take?","contact":{"externalId":"me"}}'`,
    );
  }
  const operator = await ensureOperator(app.get(DataSource));
  if (operator) console.log(`Operator:       ${operator.email} / ${operator.password} (creates tenants at ${publicUrl}/console; shown this once)`);
  console.log(`READY ${base}`);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
