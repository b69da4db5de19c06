import * as bcrypt from 'bcryptjs';
import type { EntityManager } from 'typeorm';
import { newId } from '@cs/contracts';
import { Tenant, User, type UserRole } from '@cs/persistence';

export const BCRYPT_COST = 10;

export interface NewUser {
  email: string;
  password: string;
  role: UserRole;
  tenantId: string | null;
  name?: string | null;
}

export class UserExists extends Error {}

/** A console user, password hashed with bcrypt. The operator has no tenant; everyone else has one. */
export async function createUser(manager: EntityManager, input: NewUser): Promise<User> {
  if ((input.role === 'operator') !== (input.tenantId === null)) {
    throw new Error(input.role === 'operator' ? 'the operator belongs to no tenant' : `a ${input.role} belongs to a tenant`);
  }
  const email = input.email.trim().toLowerCase();
  const taken = await manager.createQueryBuilder(User, 'u').where('lower(u.email) = :email', { email }).getExists();
  if (taken) throw new UserExists(`a user with the email ${email} already exists`);
  const user = manager.create(User, {
    id: newId(),
    tenantId: input.tenantId,
    email,
    name: input.name ?? null,
    passwordHash: await bcrypt.hash(input.password, BCRYPT_COST),
    role: input.role,
    disabledAt: null,
  });
  return manager.save(user);
}

/** The tenant with this slug (or id), created with that slug when there is none. */
export async function findOrCreateTenant(manager: EntityManager, slugOrId: string, name?: string): Promise<Tenant> {
  const isId = /^[0-9a-f-]{36}$/i.test(slugOrId);
  const existing = await manager.findOne(Tenant, { where: isId ? { id: slugOrId } : { slug: slugOrId } });
  if (existing) return existing;
  if (isId) throw new Error(`no tenant has the id ${slugOrId}`);
  return manager.save(manager.create(Tenant, { id: newId(), slug: slugOrId, name: name ?? slugOrId, settings: {} }));
}
