import { z } from 'zod';
import { CHANNEL_PROFILES, type ConnectorDefinition } from '@cs/contracts';
import { E164, twilioAccountFields } from '../twilio/twilio-account';

export const TWILIO_WHATSAPP_CONNECTOR_ID = 'twilio-whatsapp';

/** How long after the customer's last message WhatsApp lets a business write freely. */
export const WHATSAPP_SESSION_HOURS = 24;

export const twilioWhatsAppSettingsSchema = z
  .object({
    ...twilioAccountFields,
    senders: z
      .array(z.string().regex(E164, 'a phone number in E.164 form, e.g. +14155550100 (without "whatsapp:")'))
      .default([])
      .meta({
        title: 'WhatsApp senders',
        description: 'The shop\'s WhatsApp-enabled Twilio numbers (E.164, e.g. +14155550100; "whatsapp:" is added for you). Replies go out from the number the customer wrote to.',
      }),
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'a Messaging Service SID starts with MG followed by 32 hex digits')
      .optional()
      .meta({ title: 'Messaging Service SID', description: 'Optional. Send through this Messaging Service (MG...) instead of a sender number.' }),
    templateContentSid: z
      .string()
      .regex(/^HX[0-9a-fA-F]{32}$/, 'a Content SID starts with HX followed by 32 hex digits')
      .optional()
      .meta({
        title: 'Template for replies after 24 hours (Content SID)',
        description:
          'An approved WhatsApp template (Content Template Builder, HX...) with one variable, {{1}}. More than 24 hours after the customer last wrote, WhatsApp accepts only templates: the reply is sent as this template with {{1}} set to its text. Without one, such a reply fails and the conversation says why.',
      }),
    optOutReply: z
      .string()
      .min(1)
      .max(300)
      .default('You will get no more messages from us here. Reply START to hear from us again.')
      .meta({ title: 'Opt-out confirmation', description: 'Sent once when a customer writes STOP (WhatsApp, unlike SMS carriers, confirms nothing itself).' }),
    optInReply: z
      .string()
      .min(1)
      .max(300)
      .default('Welcome back. Ask us anything here.')
      .meta({ title: 'Opt-in confirmation', description: 'Sent when a customer who had opted out writes START.' }),
  })
  .refine((s) => s.senders.length > 0 || !!s.messagingServiceSid, {
    message: 'give at least one sender number or a Messaging Service SID',
    path: ['senders'],
  });
export type TwilioWhatsAppSettings = z.infer<typeof twilioWhatsAppSettingsSchema>;

export const twilioWhatsAppDefinition: ConnectorDefinition<typeof twilioWhatsAppSettingsSchema> = {
  id: TWILIO_WHATSAPP_CONNECTOR_ID,
  channel: 'whatsapp',
  displayName: 'WhatsApp (Twilio)',
  settings: twilioWhatsAppSettingsSchema,
  capabilities: { threads: false, attachments: true, maxTextLength: CHANNEL_PROFILES.whatsapp.maxTextLength, typing: false, richText: false },
};
