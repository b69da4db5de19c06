// `npm run migrate [-- --seed-demo]`: brings the database named by DATABASE_URL (or, without it, the
// embedded PGlite in DATA_DIR) to the latest migration; docker compose runs it once before the apps.
// It lives in an app of its own, not in libs/persistence, because seeding the demo needs
// libs/knowledge, which builds on libs/persistence: only an entry point may join the two.
import * as path from 'path';
import * as crypto from 'crypto';
import { baseEnvSchema, embeddedEnvSchema, loadEnv } from '@cs/config';
import { seedDemo } from '@cs/knowledge';
import { openDataSource } from '@cs/persistence';
import { AttachmentStore, createObjectStorage } from '@cs/storage';

// DEMO_* fix the demo credentials as in the embedded mode; PUBLIC_URL prefixes the article links.
const migrateEnvSchema = baseEnvSchema.extend(
  embeddedEnvSchema.pick({ DEMO_API_KEY: true, DEMO_ADMIN_EMAIL: true, DEMO_ADMIN_PASSWORD: true, PUBLIC_URL: true }).shape,
);

/** Where the database is, without credentials, for the log line. */
function describe(databaseUrl: string | undefined, dataDir: string): string {
  if (!databaseUrl) return `PGlite in ${path.resolve(dataDir)}`;
  const url = new URL(databaseUrl);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

async function main(argv: string[]): Promise<void> {
  const env = loadEnv(migrateEnvSchema);
  console.log(`migrating ${describe(env.DATABASE_URL, env.DATA_DIR)}`);
  const dataSource = await openDataSource({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: 2 }, { migrate: false });
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'already up to date');
    // Attachments from before object storage: their bytes move from the database to the store the env names.
    // No link is made here, so no SECRET_KEY is needed for one.
    const storage = createObjectStorage(env, crypto.randomBytes(32));
    const moved = await new AttachmentStore(dataSource, storage, { linkTtlSeconds: env.FILE_LINK_TTL_SECONDS }).moveLegacyContent();
    if (moved) console.log(`moved ${moved} attachment(s) from the database to ${storage.kind} storage`);
    if (argv.includes('--seed-demo')) {
      const result = await seedDemo(dataSource, {
        apiKey: env.DEMO_API_KEY,
        adminEmail: env.DEMO_ADMIN_EMAIL,
        adminPassword: env.DEMO_ADMIN_PASSWORD,
        publicUrl: env.PUBLIC_URL,
      });
      console.log(`demo data seeded: ${JSON.stringify(result, null, 2)}`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
