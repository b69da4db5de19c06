import { z } from 'zod';
import { CHANNEL_PROFILES, type ConnectorDefinition } from '@cs/contracts';
import { E164, twilioAccountFields } from '../twilio/twilio-account';

export const TWILIO_SMS_CONNECTOR_ID = 'twilio-sms';

export const twilioSmsSettingsSchema = z
  .object({
    ...twilioAccountFields,
    phoneNumbers: z
      .array(z.string().regex(E164, 'a phone number in E.164 form, e.g. +14155550100'))
      .default([])
      .meta({
        title: 'Phone numbers',
        description: 'The Twilio numbers customers text (E.164). Replies go out from the number the customer wrote to.',
      }),
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'a Messaging Service SID starts with MG followed by 32 hex digits')
      .optional()
      .meta({ title: 'Messaging Service SID', description: 'Optional. Send through this Messaging Service instead of a number (MG...).' }),
    helpText: z
      .string()
      .min(1)
      .max(300)
      .default('Customer support by text. Reply with your question. Reply STOP to opt out.')
      .meta({ title: 'Help text', description: 'The answer to HELP, as carriers require.' }),
    maxSegments: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(3)
      .meta({ title: 'Longest answer (segments)', description: 'Answers are cut to this many SMS segments (160 plain characters, 70 with emoji or accents outside GSM).' }),
  })
  .refine((s) => s.phoneNumbers.length > 0 || !!s.messagingServiceSid, {
    message: 'give at least one phone number or a Messaging Service SID',
    path: ['phoneNumbers'],
  });
export type TwilioSmsSettings = z.infer<typeof twilioSmsSettingsSchema>;

export const twilioSmsDefinition: ConnectorDefinition<typeof twilioSmsSettingsSchema> = {
  id: TWILIO_SMS_CONNECTOR_ID,
  channel: 'sms',
  displayName: 'SMS (Twilio)',
  settings: twilioSmsSettingsSchema,
  capabilities: { threads: false, attachments: true, maxTextLength: CHANNEL_PROFILES.sms.maxTextLength, typing: false, richText: false },
};
