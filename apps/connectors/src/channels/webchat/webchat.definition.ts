import { z } from 'zod';
import { CHANNEL_PROFILES, type ConnectorDefinition } from '@cs/contracts';

export const WEBCHAT_CONNECTOR_ID = 'webchat';
export const WEBCHAT_MAX_TEXT = CHANNEL_PROFILES.webchat.maxTextLength;

export const webchatSettingsSchema = z.object({
  widgetTitle: z
    .string()
    .min(1)
    .max(80)
    .default('Chat with us')
    .meta({ title: 'Widget title', description: 'Shown in the header of the chat window.' }),
  greeting: z
    .string()
    .max(500)
    .default('Hi! How can we help you today?')
    .meta({ title: 'Greeting', description: 'The first message a visitor sees before writing anything.' }),
  allowedOrigins: z
    .array(z.string().url())
    .default([])
    .meta({
      title: 'Allowed origins',
      description: 'Sites allowed to embed the widget (e.g. https://shop.example.com). Empty: any site.',
    }),
});
export type WebchatSettings = z.infer<typeof webchatSettingsSchema>;

export const webchatDefinition: ConnectorDefinition<typeof webchatSettingsSchema> = {
  id: WEBCHAT_CONNECTOR_ID,
  channel: 'webchat',
  displayName: 'Web chat',
  settings: webchatSettingsSchema,
  capabilities: { threads: true, attachments: false, maxTextLength: WEBCHAT_MAX_TEXT, typing: true, richText: true },
};
