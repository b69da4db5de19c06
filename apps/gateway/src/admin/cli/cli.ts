import { parseArgs } from 'util';
import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@cs/config';
import { describeZodError } from '@cs/contracts';
import { createBus } from '@cs/messaging';
import { USER_ROLES, classifyDatabaseFailure, dataDirOwner, openDataSource } from '@cs/persistence';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { createUser, findOrCreateTenant } from '../users/create-user';

const USAGE = `usage: npm run cli -- create-admin --email <email> --password <password> [--tenant <slug or id>] [--tenant-name <name>] [--role owner|admin|agent|operator] [--name <name>]
       npm run cli -- dead-letters list [--tenant <id>] [--pending] [--limit <n>]
       npm run cli -- dead-letters replay [--id <id>] [--tenant <id>]

  create-admin: without --tenant the user is the service operator (manages tenants); with it, the
  tenant's owner (the tenant is created when no tenant has that slug).
  dead-letters: messages the product gave up on, with why; replay publishes one (--id) or every one
  not replayed yet again on its original subject (needs NATS_URL: in the embedded mode, use the
  console's POST /api/v1/dead-letters/replay).
  Uses DATABASE_URL, else PGlite in DATA_DIR, which only one process may open: while the embedded
  server (npm start) runs on it, create tenants and their owners in its console, signed in as the
  operator (its first start prints that login), or with POST /api/v1/tenants.`;

/**
 * The database the CLI works on. PGlite serves one process: with the embedded server running on the
 * same DATA_DIR, opening it here would write its files underneath the server, so the CLI refuses and
 * says what to do instead.
 */
export function openCliDatabase(env: { DATABASE_URL?: string; DATA_DIR: string }) {
  const owner = env.DATABASE_URL ? null : dataDirOwner(env.DATA_DIR);
  if (owner) {
    const url = owner.url ?? 'the running server';
    throw new Error(
      `the embedded server (process ${owner.pid}) is running on DATA_DIR ${env.DATA_DIR}, and PGlite serves one process at a time. ` +
        `While it runs, do this in its console (${url}/console): the operator creates tenants with their first owner (Tenants), ` +
        `an owner adds the team (Settings), and dead letters are replayed there (POST /api/v1/dead-letters/replay). ` +
        `Or stop the server, then run this command again.`,
    );
  }
  return openDataSource({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: 2 }, { migrate: true });
}

const createAdminArgs = z
  .object({
    email: z.string().trim().toLowerCase().email(),
    password: z.string().min(8, 'at least 8 characters'),
    tenant: z.string().trim().min(1).optional(),
    'tenant-name': z.string().trim().min(1).optional(),
    role: z.enum(USER_ROLES).optional(),
    name: z.string().trim().min(1).optional(),
  })
  .refine((a) => !a.role || (a.role === 'operator') === !a.tenant, { message: 'the operator has no --tenant; other roles need one', path: ['role'] });

export type CreateAdminArgs = z.infer<typeof createAdminArgs>;

export function parseCreateAdmin(argv: string[]): CreateAdminArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      tenant: { type: 'string' },
      'tenant-name': { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
    },
    strict: true,
  });
  const parsed = createAdminArgs.safeParse(values);
  if (!parsed.success) throw new Error(describeZodError(parsed.error));
  return parsed.data;
}

async function createAdmin(argv: string[]): Promise<void> {
  const args = parseCreateAdmin(argv);
  const env = loadEnv(baseEnvSchema);
  const db = await openCliDatabase(env);
  try {
    const user = await db.transaction(async (manager) => {
      const tenant = args.tenant ? await findOrCreateTenant(manager, args.tenant, args['tenant-name']) : null;
      return createUser(manager, {
        email: args.email,
        password: args.password,
        name: args.name,
        role: args.role ?? (tenant ? 'owner' : 'operator'),
        tenantId: tenant?.id ?? null,
      });
    });
    console.log(`created ${user.role} ${user.email}${user.tenantId ? ` in tenant ${user.tenantId}` : ''} (id ${user.id})`);
  } finally {
    await db.destroy();
  }
}

const deadLetterArgs = z.object({
  action: z.enum(['list', 'replay']),
  id: z.string().uuid().optional(),
  tenant: z.string().uuid().optional(),
  pending: z.boolean().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
});

export type DeadLetterArgs = z.infer<typeof deadLetterArgs>;

export function parseDeadLetters(argv: string[]): DeadLetterArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { id: { type: 'string' }, tenant: { type: 'string' }, pending: { type: 'boolean' }, limit: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const parsed = deadLetterArgs.safeParse({ ...values, action: positionals[0] });
  if (!parsed.success) throw new Error(describeZodError(parsed.error));
  if (positionals.length > 1) throw new Error(`unexpected argument ${positionals[1]}`);
  return parsed.data;
}

async function deadLetters(argv: string[]): Promise<void> {
  const args = parseDeadLetters(argv);
  const env = loadEnv(baseEnvSchema);
  if (args.action === 'replay' && !env.NATS_URL) {
    throw new Error('replaying needs NATS_URL (the bus of the running apps); in the embedded mode use POST /api/v1/dead-letters/replay');
  }
  const db = await openCliDatabase(env);
  const bus = await createBus({ natsUrl: env.NATS_URL, prefix: env.BUS_PREFIX, name: 'cli', failures: { classifiers: [classifyDatabaseFailure] } });
  try {
    const service = new DeadLettersService(db, bus);
    const tenantId = args.tenant ?? null;
    if (args.action === 'list') {
      const page = await service.list(tenantId, undefined, args.limit, args.pending);
      for (const d of page.items) {
        console.log(`${d.id}  ${d.deadLetteredAt}  ${d.consumer}  ${d.originalSubject}  ${d.kind}  deliveries=${d.deliveryCount}  replays=${d.replayCount}  ${d.reason}`);
      }
      console.log(`${page.items.length} dead letter(s)${page.nextCursor ? ' (more: use the console)' : ''}`);
      return;
    }
    if (args.id) {
      const d = await service.replayOne(tenantId, args.id);
      console.log(`replayed ${d.id} on ${d.originalSubject}`);
      return;
    }
    const { replayed } = await service.replayAll(tenantId);
    console.log(`replayed ${replayed} dead letter(s)`);
  } finally {
    await bus.close();
    await db.destroy();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'create-admin') return createAdmin(rest);
  if (command === 'dead-letters') return deadLetters(rest);
  console.error(USAGE);
  process.exitCode = 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  });
}
