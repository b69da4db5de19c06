import { z } from 'zod';
import { CHANNEL_PROFILES, type ConnectorDefinition } from '@cs/contracts';

export const API_CONNECTOR_ID = 'api';
export const API_MAX_TEXT = CHANNEL_PROFILES.api.maxTextLength;

export const apiSettingsSchema = z.object({
  replyWebhookUrl: z
    .string()
    .url()
    .optional()
    .meta({
      title: 'Reply webhook URL',
      description: 'Optional. Where your backend wants replies pushed; without it, poll the conversation or use ?wait=.',
    }),
});
export type ApiSettings = z.infer<typeof apiSettingsSchema>;

export const apiDefinition: ConnectorDefinition<typeof apiSettingsSchema> = {
  id: API_CONNECTOR_ID,
  channel: 'api',
  displayName: 'API',
  settings: apiSettingsSchema,
  capabilities: { threads: true, attachments: false, maxTextLength: API_MAX_TEXT, typing: false, richText: true },
};
