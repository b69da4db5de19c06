// The DataSource that `typeorm migration:generate` reads during development, e.g.
// `npx typeorm migration:generate -d dist/apps/migrate/src/generate-source.js libs/persistence/src/migrations/<Name>`
// after `npm run build`. DATABASE_URL comes through the config schema like every other env read;
// unset, a local scratch database.
import { DataSource } from 'typeorm';
import { baseEnvSchema, loadEnv } from '@cs/config';
import { dataSourceOptions } from '@cs/persistence';

const env = loadEnv(baseEnvSchema.pick({ DATABASE_URL: true }));

export default new DataSource(dataSourceOptions({ databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cs_gen' }));
