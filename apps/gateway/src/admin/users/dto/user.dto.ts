import { z } from 'zod';

const password = z.string().min(10, 'at least 10 characters').max(200);

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password,
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(['owner', 'admin', 'agent']).default('agent'),
});
export type CreateUserBody = z.infer<typeof createUserSchema>;

export const updateUserSchema = z.object({
  name: z.string().trim().min(1).max(200).nullable().optional(),
  role: z.enum(['owner', 'admin', 'agent']).optional(),
  /** true signs the user out everywhere and refuses their sign-ins; false lets them back. */
  disabled: z.boolean().optional(),
});
export type UpdateUserBody = z.infer<typeof updateUserSchema>;

export const changePasswordSchema = z.object({ currentPassword: z.string().min(1).max(200), newPassword: password });
export type ChangePasswordBody = z.infer<typeof changePasswordSchema>;

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  role: string;
  tenantId: string | null;
  disabled: boolean;
  createdAt: Date;
}

/** A teammate as everyone on the team sees them (assignees). */
export interface TeamMember {
  id: string;
  name: string | null;
  email: string;
  role: string;
}
