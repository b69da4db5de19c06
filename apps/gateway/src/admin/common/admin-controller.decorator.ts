import { Controller, UseGuards, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminAuthGuard } from '../auth/admin-auth.guard';

/** Every console controller: under /api/v1, behind the auth guard, documented in OpenAPI. */
export function AdminController(path: string, tag: string): ClassDecorator {
  return applyDecorators(Controller(`api/v1/${path}`), UseGuards(AdminAuthGuard), ApiTags(tag), ApiBearerAuth());
}
