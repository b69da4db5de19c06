import { CanActivate, ExecutionContext, Injectable, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeyService } from './api-key.service';

type ApiRequest = Request & { apiTenantId?: string };

/**
 * `Authorization: Bearer <api key>` → the key's tenant, or 401. Any live key of the tenant may use
 * the API channel: the console scopes (admin, agent) already reach the tenant's conversations.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeyService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ApiRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) throw new UnauthorizedException('Authorization: Bearer <api key> is required');
    const key = await this.keys.resolve(match[1]);
    if (!key) throw new UnauthorizedException('The API key is unknown or revoked');
    req.apiTenantId = key.tenantId;
    return true;
  }
}

/** The tenant the guard resolved from the API key. */
export const ApiTenantId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const tenantId = context.switchToHttp().getRequest<ApiRequest>().apiTenantId;
  if (!tenantId) throw new UnauthorizedException('The API key is unknown or revoked');
  return tenantId;
});
