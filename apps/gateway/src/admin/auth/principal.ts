import { ForbiddenException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { UserRole } from '@cs/persistence';

/** Who is calling: a signed-in user (JWT) or a server holding an API key. */
export interface Principal {
  kind: 'user' | 'apiKey';
  id: string;
  /** Null only for the service operator, who belongs to no tenant. */
  tenantId: string | null;
  /** The role the caller acts with; an API key without a role scope has none and reaches no console route. */
  role: UserRole | null;
  scopes: string[];
  /** For authorName on replies and the audit log. */
  name: string;
}

export interface RequestWithPrincipal {
  principal?: Principal;
}

export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new Error('Caller used on a route without AdminAuthGuard');
  return principal;
});

/** The tenant every query of a tenant-scoped route is filtered by. */
export function tenantOf(principal: Principal): string {
  if (!principal.tenantId) throw new ForbiddenException('this route needs a tenant; the service operator has none');
  return principal.tenantId;
}
