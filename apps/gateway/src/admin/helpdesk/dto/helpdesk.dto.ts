import { z } from 'zod';
import { AVAILABILITIES } from '@cs/persistence';

export const teamSchema = z.object({
  name: z.string().trim().min(1).max(100),
  /** The tenant's hand-offs are assigned round-robin among this team's available members (one team at a time). */
  receivesHandoffs: z.boolean().default(false),
  /** Active staff of the tenant; the whole list (PATCH replaces it). */
  memberIds: z.array(z.uuid()).max(200).default([]),
});
export type TeamBody = z.infer<typeof teamSchema>;

export const updateTeamSchema = z.object({
  name: z.string().trim().min(1).max(100),
  receivesHandoffs: z.boolean(),
  memberIds: z.array(z.uuid()).max(200),
}).partial();
export type UpdateTeamBody = z.infer<typeof updateTeamSchema>;

/** The caller's own: availability for the round-robin, and how they want to be told. */
export const preferencesSchema = z.object({
  availability: z.enum(AVAILABILITIES),
  /** A browser notification in the open console. */
  browser: z.boolean(),
  /** A sound in the open console. */
  sound: z.boolean(),
  /** An email (hand-offs to them or their team, customers writing into their conversations). */
  email: z.boolean(),
}).partial();
export type PreferencesBody = z.infer<typeof preferencesSchema>;

export interface PreferencesView {
  availability: (typeof AVAILABILITIES)[number];
  browser: boolean;
  sound: boolean;
  email: boolean;
}
