import { z } from 'zod';
import { pageQuerySchema } from '../../common/cursor';

export const listContactsSchema = pageQuerySchema.extend({
  /** Part of a name, email, phone number or channel address. */
  q: z.string().trim().min(1).max(200).optional(),
});
export type ListContactsQuery = z.infer<typeof listContactsSchema>;

export const updateContactSchema = z.object({
  name: z.string().trim().min(1).max(200).nullable(),
  email: z.string().trim().toLowerCase().email().max(320).nullable(),
  phone: z.string().trim().min(3).max(40).nullable(),
  company: z.string().trim().min(1).max(200).nullable(),
}).partial();
export type UpdateContactBody = z.infer<typeof updateContactSchema>;

export const mergeContactSchema = z.object({
  /** The duplicate: its identities and conversations move to the contact in the path, then it is deleted. */
  contactId: z.uuid(),
});
export type MergeContactBody = z.infer<typeof mergeContactSchema>;
