import { SetMetadata } from '@nestjs/common';
import type { UserRole } from '@cs/persistence';

export const ROLES_KEY = 'cs:admin:roles';
export const PUBLIC_KEY = 'cs:admin:public';

/** Who may call a route. A console route without @Roles or @Public is refused to everyone (deny by default). */
export const Roles = (...roles: UserRole[]) => SetMetadata(ROLES_KEY, roles);

/** Reachable without credentials (login, refresh): the route-matrix test lists these explicitly. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Everyone who works a tenant's inbox. */
export const STAFF: UserRole[] = ['owner', 'admin', 'agent'];
/** Those who configure a tenant. */
export const MANAGERS: UserRole[] = ['owner', 'admin'];
