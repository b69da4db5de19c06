import { z } from 'zod';
import { CHANNEL_PROFILES, type ConnectorDefinition } from '@cs/contracts';
import { E164, twilioAccountFields } from '../twilio/twilio-account';

export const TWILIO_VOICE_CONNECTOR_ID = 'twilio-voice';

export const twilioVoiceSettingsSchema = z.object({
  ...twilioAccountFields,
  phoneNumbers: z
    .array(z.string().regex(E164, 'a phone number in E.164 form, e.g. +14155550100'))
    .default([])
    .meta({ title: 'Phone numbers', description: 'The Twilio numbers customers call (E.164).' }),
  greeting: z
    .string()
    .min(1)
    .max(300)
    .default('Hello, thanks for calling. How can I help you today?')
    .meta({ title: 'Greeting', description: 'What a caller hears first.' }),
  transferNumber: z
    .string()
    .regex(E164, 'a phone number in E.164 form, e.g. +14155550100')
    .optional()
    .meta({ title: 'Transfer number', description: 'Where a call goes when the caller presses 0 or asks for a person (E.164).' }),
  endOfSpeechMs: z
    .number()
    .int()
    .min(200)
    .max(3000)
    .default(700)
    .meta({ title: 'End of speech (ms)', description: 'Silence after which the caller is taken to have finished speaking.' }),
  recordCalls: z
    .boolean()
    .default(false)
    .meta({ title: 'Record calls', description: 'Keep a recording of every call on its conversation. Off unless you turn it on (tell callers).' }),
  ttsVoice: z
    .string()
    .regex(/^[a-z0-9_+-]+$/i)
    .default('rms')
    .meta({ title: 'Offline voice', description: 'flite voice (kal16, rms, slt, awb) or, when flite is missing, an espeak-ng voice.' }),
});
export type TwilioVoiceSettings = z.infer<typeof twilioVoiceSettingsSchema>;

export const twilioVoiceDefinition: ConnectorDefinition<typeof twilioVoiceSettingsSchema> = {
  id: TWILIO_VOICE_CONNECTOR_ID,
  channel: 'voice',
  displayName: 'Phone (Twilio)',
  settings: twilioVoiceSettingsSchema,
  capabilities: { threads: true, attachments: false, maxTextLength: CHANNEL_PROFILES.voice.maxTextLength, typing: false, richText: false },
};
