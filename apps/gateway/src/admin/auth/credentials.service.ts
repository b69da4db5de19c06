import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ApiKey, User, type UserRole } from '@cs/persistence';
import type { Principal } from './principal';
import { sha256, TokenService } from './token.service';

/** Scopes an API key may carry. `admin`/`agent` let a server act on the console with that role. */
export const API_KEY_SCOPES = ['admin', 'agent', 'channel:api'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;
// Avoids a write per request while still telling the owner which keys are in use.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Turns an `Authorization: Bearer ...` header into a Principal, or a 401. */
@Injectable()
export class CredentialsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly tokens: TokenService,
  ) {}

  async authenticate(header: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw new UnauthorizedException('send Authorization: Bearer <access token or API key>');
    const credential = match[1];
    return JWT_SHAPE.test(credential) ? this.fromAccessToken(credential) : this.fromApiKey(credential);
  }

  private async fromAccessToken(token: string): Promise<Principal> {
    const claims = await this.tokens.verifyAccess(token);
    // Checked on every request so that disabling a user takes effect before the token expires.
    const user = await this.db.manager.findOne(User, { where: { id: claims.sub } });
    if (!user || user.disabledAt) throw new UnauthorizedException('this user no longer exists or is disabled');
    return { kind: 'user', id: user.id, tenantId: user.tenantId, role: user.role, scopes: [], name: user.name ?? user.email };
  }

  private async fromApiKey(key: string): Promise<Principal> {
    const row = await this.db.manager.findOne(ApiKey, { where: { keyHash: sha256(key), revokedAt: IsNull() } });
    if (!row) throw new UnauthorizedException('the API key is invalid or revoked');
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.db.manager.update(ApiKey, { id: row.id }, { lastUsedAt: new Date() });
    }
    return { kind: 'apiKey', id: row.id, tenantId: row.tenantId, role: roleOfScopes(row.scopes), scopes: row.scopes, name: `API key ${row.name}` };
  }
}

export function roleOfScopes(scopes: string[]): UserRole | null {
  if (scopes.includes('admin')) return 'admin';
  if (scopes.includes('agent')) return 'agent';
  return null;
}
