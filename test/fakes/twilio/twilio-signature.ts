import { createHmac } from 'crypto';

/**
 * X-Twilio-Signature as Twilio computes it, written from Twilio's documentation rather than taken
 * from the SDK, so the connector's check (which uses the SDK) is tested against an independent
 * implementation: HMAC-SHA1, keyed with the Auth Token, over the full URL Twilio called followed by
 * every POST parameter name and value, sorted by name, concatenated without separators; base64.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}
