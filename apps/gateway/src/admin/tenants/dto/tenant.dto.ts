import { z } from 'zod';
import { pageQuerySchema } from '../../common/cursor';

export const createTenantSchema = z.object({
  name: z.string().trim().min(1).max(200),
  slug: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes').min(2).max(60),
  /** The tenant's first owner, who then invites the rest of the team. */
  owner: z.object({
    email: z.string().trim().toLowerCase().email().max(320),
    password: z.string().min(10, 'at least 10 characters').max(200),
    name: z.string().trim().min(1).max(200).optional(),
  }),
});
export type CreateTenantBody = z.infer<typeof createTenantSchema>;

export const updateTenantSchema = z.object({ name: z.string().trim().min(1).max(200) });
export type UpdateTenantBody = z.infer<typeof updateTenantSchema>;

export const listTenantsSchema = pageQuerySchema;
