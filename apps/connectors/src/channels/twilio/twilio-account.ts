import { z } from 'zod';

/** The settings every Twilio connector reads from the app's env (connectors or embedded). */
export interface TwilioEnv {
  PUBLIC_URL?: string;
  TWILIO_API_BASE_URL?: string;
}

/** A phone number in E.164 form. */
export const E164 = /^\+[1-9]\d{6,14}$/;

/** The Twilio account fields every Twilio connector (texts and calls) asks for. */
export const twilioAccountFields = {
  accountSid: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID starts with AC followed by 32 hex digits')
    .meta({ title: 'Account SID', description: 'From the Twilio console dashboard (AC...).' }),
  authToken: z
    .string()
    .min(16)
    .meta({ title: 'Auth Token', description: 'Signs the webhooks Twilio sends and authenticates our API calls.', secret: true }),
};
