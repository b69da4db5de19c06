import { z } from 'zod';

const settings = z.record(z.string(), z.unknown());
const publicKey = z.string().trim().min(3).max(200);

export const createChannelAccountSchema = z.object({
  connectorId: z.string().min(1).max(60),
  name: z.string().trim().min(1).max(200),
  /** Validated against the connector's settings schema (GET /api/v1/connectors); secret fields are encrypted. */
  settings: settings.default({}),
  /**
   * How inbound traffic finds the account: a widget key (generated when omitted), a Slack team id (always
   * `settings.teamId`, set for you).
   */
  publicKey: publicKey.optional(),
});
export type CreateChannelAccountBody = z.infer<typeof createChannelAccountSchema>;

export const updateChannelAccountSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  /** Merged over the stored settings: omit a secret to keep it. */
  settings: settings.optional(),
  publicKey: publicKey.nullable().optional(),
  status: z.enum(['active', 'disabled']).optional(),
});
export type UpdateChannelAccountBody = z.infer<typeof updateChannelAccountSchema>;

/** The connectors app's answer to `connectors.settings.prepare`. */
export type PrepareSettingsReply =
  | { ok: true; settings: Record<string, unknown>; secretsEncrypted: string | null; publicKey?: string }
  | { ok: false; status: number; error: string };

export interface ChannelAccountView {
  id: string;
  connectorId: string;
  name: string;
  settings: Record<string, unknown>;
  /** Names of the secret fields that are set; their values are never returned. */
  secretFields: string[];
  publicKey: string | null;
  status: string;
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}
