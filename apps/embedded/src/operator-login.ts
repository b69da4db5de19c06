import { randomBytes } from 'crypto';
import type { DataSource } from 'typeorm';
import { createUser } from '@cs/gateway';
import { User } from '@cs/persistence';

export const OPERATOR_EMAIL = 'operator@demo.shop';

/**
 * The service operator (creates tenants in the console) on the first start of the embedded mode,
 * when the database has none: the CLI cannot make one while the server holds PGlite. The password
 * is printed once and not kept anywhere but as its bcrypt hash. Null when an operator exists.
 */
export async function ensureOperator(db: DataSource): Promise<{ email: string; password: string } | null> {
  if (await db.manager.exists(User, { where: { role: 'operator' } })) return null;
  const password = randomBytes(12).toString('base64url');
  await createUser(db.manager, { email: OPERATOR_EMAIL, password, role: 'operator', tenantId: null, name: 'Operator' });
  return { email: OPERATOR_EMAIL, password };
}
