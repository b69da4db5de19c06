import { z } from 'zod';
import { API_KEY_SCOPES } from '../../auth/credentials.service';

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1).max(100),
  /** `channel:api` for the API channel; `admin` / `agent` to use the console API with that role. */
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).default(['channel:api']),
});
export type CreateApiKeyBody = z.infer<typeof createApiKeySchema>;

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}
