import { z } from 'zod';
import { pageQuerySchema } from '../../common/cursor';
import { PLACEHOLDERS, placeholdersIn } from '../placeholders';

const body = z
  .string()
  .trim()
  .min(1)
  .max(4000)
  .refine((text) => placeholdersIn(text).every((name) => (PLACEHOLDERS as readonly string[]).includes(name)), {
    message: `unknown placeholder; use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')} (a fallback after a bar: {{contact.name|there}})`,
  });

export const cannedResponseSchema = z.object({
  shortcut: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes').max(60),
  title: z.string().trim().min(1).max(200),
  body,
});
export type CannedResponseBody = z.infer<typeof cannedResponseSchema>;

export const updateCannedResponseSchema = cannedResponseSchema.partial();
export type UpdateCannedResponseBody = z.infer<typeof updateCannedResponseSchema>;

export const listCannedResponsesSchema = pageQuerySchema.extend({
  /** Words in the shortcut or title. */
  q: z.string().trim().min(1).max(200).optional(),
});
export type ListCannedResponsesQuery = z.infer<typeof listCannedResponsesSchema>;
