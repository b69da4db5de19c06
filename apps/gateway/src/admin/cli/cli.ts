import { parseArgs } from 'util';
import { z } from 'zod';
import { baseEnvSchema, loadEnv } from '@cs/config';
import { describeZodError } from '@cs/contracts';
import { USER_ROLES, openDataSource } from '@cs/persistence';
import { createUser, findOrCreateTenant } from '../users/create-user';

const USAGE = `usage: npm run cli -- create-admin --email <email> --password <password> [--tenant <slug or id>] [--tenant-name <name>] [--role owner|admin|agent|operator] [--name <name>]

  Without --tenant the user is the service operator (manages tenants); with it, the tenant's owner
  (the tenant is created when no tenant has that slug). Uses DATABASE_URL, else PGlite in DATA_DIR.`;

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
  const db = await openDataSource({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: 2 }, { migrate: true });
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

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'create-admin') return createAdmin(rest);
  console.error(USAGE);
  process.exitCode = 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  });
}
