import { z } from 'zod';
import { ConnectorError, type ChannelAccountRef } from '@cs/contracts';

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

/** An account's settings as its connector's schema reads them; unusable settings are an `AUTH` error naming each field. */
export function twilioSettingsOf<S extends z.ZodTypeAny>(schema: S, account: ChannelAccountRef, channelName: string): z.infer<S> {
  const parsed = schema.safeParse(account.settings);
  if (!parsed.success) {
    throw new ConnectorError('AUTH', `the ${channelName} channel is not configured: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
