import { parseArgs } from 'util';
import { baseEnvSchema, loadEnv, resolveSecretKey } from '@cs/config';
import { openDataSource } from '@cs/persistence';
import { ACTION_BACKENDS } from './backends';
import { connectActionBackend } from './connect-backend';

const USAGE = `usage: ACTION_BACKEND_SECRETS='{"accessToken":"shpat_..."}' npm run actions:connect -- \\
    --tenant <slug or id> --backend ${ACTION_BACKENDS.map((d) => d.id).join('|')} --name <name> --settings '<json>'

  Connects a shop system the agent acts on (order status, cancel). Secrets come from the environment,
  not the command line (which other users of the machine can read), and are stored encrypted with
  SECRET_KEY. Uses DATABASE_URL, else PGlite in DATA_DIR, like the agent.`;

export interface ConnectBackendEnv {
  DATABASE_URL?: string;
  DATA_DIR?: string;
  SECRET_KEY?: string;
  ACTION_BACKEND_SECRETS?: string;
}

/** Runs the command; returns the new account's id. Throws with a message for the operator. */
export async function runConnectBackend(argv: string[], rawEnv: ConnectBackendEnv): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: { tenant: { type: 'string' }, backend: { type: 'string' }, name: { type: 'string' }, settings: { type: 'string' } },
    strict: true,
  });
  if (!values.tenant || !values.backend || !values.settings) throw new Error(USAGE);
  const settings = parseObject(values.settings, '--settings');
  const secrets = parseObject(rawEnv.ACTION_BACKEND_SECRETS ?? '{}', 'ACTION_BACKEND_SECRETS');
  const env = loadEnv(baseEnvSchema, { DATABASE_URL: rawEnv.DATABASE_URL, DATA_DIR: rawEnv.DATA_DIR, SECRET_KEY: rawEnv.SECRET_KEY });
  const db = await openDataSource({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: 2 }, { migrate: true });
  try {
    const [tenant] = (await db.query(`SELECT id FROM tenants WHERE slug = $1 OR id::text = $1`, [values.tenant])) as { id: string }[];
    if (!tenant) throw new Error(`no tenant "${values.tenant}"`);
    const account = await connectActionBackend(db, resolveSecretKey(env), {
      tenantId: tenant.id,
      backendId: values.backend,
      name: values.name ?? values.backend,
      settings,
      secrets,
    });
    return account.id;
  } finally {
    await db.destroy();
  }
}

function parseObject(json: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(`${what} is not JSON`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${what} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

if (require.main === module) {
  runConnectBackend(process.argv.slice(2), process.env)
    .then((id) => console.log(`connected (action backend ${id})`))
    .catch((err: Error) => {
      console.error(err.message);
      process.exitCode = 1;
    });
}
