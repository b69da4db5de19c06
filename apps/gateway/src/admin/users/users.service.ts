import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import * as bcrypt from 'bcryptjs';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { RefreshToken, User } from '@cs/persistence';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { BCRYPT_COST, UserExists, createUser } from './create-user';
import type { CreateUserBody, TeamMember, UpdateUserBody, UserView } from './dto/user.dto';

/** The tenant's team. Only an owner makes or changes owners, and a tenant always keeps one active owner. */
@Injectable()
export class UsersService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(tenantId: string): Promise<{ items: UserView[] }> {
    const users = await this.db.manager.find(User, { where: { tenantId }, order: { createdAt: 'ASC' } });
    return { items: users.map(userView) };
  }

  /** Who a conversation can be assigned to: names only, for every role of the team (the full list is the managers'). */
  async directory(tenantId: string): Promise<{ items: TeamMember[] }> {
    const users = await this.db.manager.find(User, { where: { tenantId, disabledAt: IsNull() }, order: { name: 'ASC', email: 'ASC' } });
    return { items: users.map(({ id, name, email, role }) => ({ id, name, email, role })) };
  }

  async create(caller: Principal, tenantId: string, body: CreateUserBody): Promise<UserView> {
    if (body.role === 'owner' && caller.role !== 'owner') throw new ForbiddenException('only an owner can make another owner');
    return this.db.transaction(async (manager) => {
      try {
        const user = await createUser(manager, { ...body, tenantId });
        await this.audit.record(caller, 'user.create', { type: 'user', id: user.id }, { email: user.email, role: user.role }, manager);
        return userView(user);
      } catch (error) {
        if (error instanceof UserExists) throw new ConflictException(error.message);
        throw error;
      }
    });
  }

  async update(caller: Principal, tenantId: string, id: string, body: UpdateUserBody): Promise<UserView> {
    return this.db.transaction(async (manager) => {
      const user = await manager.findOne(User, { where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundException('no such user');
      if ((user.role === 'owner' || body.role === 'owner') && caller.role !== 'owner') {
        throw new ForbiddenException('only an owner can change an owner or make one');
      }
      const losesOwner = user.role === 'owner' && ((body.role && body.role !== 'owner') || body.disabled === true);
      if (losesOwner && (await this.activeOwners(manager, tenantId)) <= 1) {
        throw new ConflictException('the tenant would be left without an active owner');
      }
      if (body.name !== undefined) user.name = body.name;
      if (body.role) user.role = body.role;
      if (body.disabled !== undefined) user.disabledAt = body.disabled ? (user.disabledAt ?? new Date()) : null;
      await manager.save(user);
      if (body.disabled) await manager.update(RefreshToken, { userId: id, revokedAt: IsNull() }, { revokedAt: new Date() });
      await this.audit.record(caller, 'user.update', { type: 'user', id }, { ...body }, manager);
      return userView(user);
    });
  }

  async changePassword(caller: Principal, currentPassword: string, newPassword: string): Promise<void> {
    if (caller.kind !== 'user') throw new ForbiddenException('an API key has no password');
    const user = await this.db.manager.findOneOrFail(User, { where: { id: caller.id } });
    if (!(await bcrypt.compare(currentPassword, user.passwordHash))) throw new UnauthorizedException('the current password is wrong');
    await this.db.transaction(async (manager) => {
      await manager.update(User, { id: user.id }, { passwordHash: await bcrypt.hash(newPassword, BCRYPT_COST) });
      // Other sessions may be the reason for the change: sign them out.
      await manager.update(RefreshToken, { userId: user.id, revokedAt: IsNull() }, { revokedAt: new Date() });
      await this.audit.record(caller, 'user.password', { type: 'user', id: user.id }, {}, manager);
    });
  }

  private activeOwners(manager: EntityManager, tenantId: string): Promise<number> {
    return manager.countBy(User, { tenantId, role: 'owner', disabledAt: IsNull() });
  }
}

export function userView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    tenantId: user.tenantId,
    disabled: Boolean(user.disabledAt),
    createdAt: user.createdAt,
  };
}
