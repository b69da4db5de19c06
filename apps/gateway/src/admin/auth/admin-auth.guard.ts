import { ForbiddenException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { UserRole } from '@cs/persistence';
import { CredentialsService } from './credentials.service';
import type { RequestWithPrincipal } from './principal';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/** Authenticates (401) then authorizes by @Roles (403). Routes with neither @Roles nor @Public are refused. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    private readonly credentials: CredentialsService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = ctx.switchToHttp().getRequest<RequestWithPrincipal & { headers: Record<string, string | undefined> }>();
    const principal = await this.credentials.authenticate(request.headers.authorization);
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!principal.role || !roles.includes(principal.role)) {
      throw new ForbiddenException(`this action needs one of the roles: ${roles.join(', ') || '(none)'}`);
    }
    return true;
  }
}
