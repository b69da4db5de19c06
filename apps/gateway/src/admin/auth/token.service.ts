import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, createHmac, randomBytes } from 'crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { SECRET_KEY } from '@cs/config';
import { newId } from '@cs/contracts';
import { RefreshToken, type User, type UserRole } from '@cs/persistence';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_DAYS = 30;

export interface AccessClaims {
  sub: string;
  tid: string | null;
  role: UserRole;
  typ: 'access';
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Short-lived JWT access tokens and long-lived opaque refresh tokens. Refresh tokens are stored
 * hashed and rotate on every use; presenting one that was already rotated means it leaked, so every
 * session of that user is revoked.
 */
@Injectable()
export class TokenService {
  private readonly secret: string;

  constructor(
    private readonly jwt: JwtService,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SECRET_KEY) secretKey: Buffer,
  ) {
    // A key of its own, derived from SECRET_KEY, so tokens and encrypted channel secrets never share one.
    this.secret = createHmac('sha256', secretKey).update('cs-admin-jwt').digest('hex');
  }

  signAccess(user: Pick<User, 'id' | 'tenantId' | 'role'>): Promise<string> {
    const claims: AccessClaims = { sub: user.id, tid: user.tenantId, role: user.role, typ: 'access' };
    return this.jwt.signAsync(claims, { secret: this.secret, expiresIn: ACCESS_TOKEN_SECONDS });
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    try {
      const claims = await this.jwt.verifyAsync<AccessClaims>(token, { secret: this.secret });
      if (claims.typ !== 'access') throw new Error('not an access token');
      return claims;
    } catch {
      throw new UnauthorizedException('the access token is invalid or expired');
    }
  }

  async issueRefresh(user: Pick<User, 'id' | 'tenantId'>, manager: EntityManager = this.db.manager): Promise<RefreshToken & { token: string }> {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    const row = manager.create(RefreshToken, {
      id: newId(),
      userId: user.id,
      tenantId: user.tenantId,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_DAYS * 86_400_000),
      revokedAt: null,
      replacedById: null,
    });
    await manager.save(row);
    return Object.assign(row, { token });
  }

  /** Trade a refresh token for a new one; returns the user id it belongs to. */
  async rotate(token: string): Promise<{ userId: string; refreshToken: string }> {
    const outcome = await this.db.transaction(async (manager) => {
      const row = await manager.findOne(RefreshToken, {
        where: { tokenHash: sha256(token) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row || row.expiresAt.getTime() <= Date.now()) return { error: 'the refresh token is invalid or expired' } as const;
      if (row.revokedAt) {
        await manager.update(RefreshToken, { userId: row.userId, revokedAt: IsNull() }, { revokedAt: new Date() });
        return { error: 'the refresh token was already used; every session of this user is signed out' } as const;
      }
      const next = await this.issueRefresh({ id: row.userId, tenantId: row.tenantId }, manager);
      await manager.update(RefreshToken, { id: row.id }, { revokedAt: new Date(), replacedById: next.id });
      return { userId: row.userId, refreshToken: next.token } as const;
    });
    // Thrown outside the transaction so the reuse revocation above commits.
    if ('error' in outcome) throw new UnauthorizedException(outcome.error);
    return outcome;
  }

  async revoke(token: string): Promise<void> {
    await this.db.manager.update(RefreshToken, { tokenHash: sha256(token), revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
