import twilio from 'twilio';
import type { WebhookRequest } from '@cs/contracts';

/** Twilio posts `application/x-www-form-urlencoded`; the signature is computed over these params. */
export function formParams(req: WebhookRequest): Record<string, string> {
  const body = Buffer.from(req.bodyBase64, 'base64').toString('utf8');
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body)) params[key] = value;
  return params;
}

/**
 * Twilio's signature covers the URL it called — PUBLIC_URL + path + query as the gateway forwards
 * it, never one rebuilt from a proxy's Host header — and the sorted POST params.
 */
export function isSignedByTwilio(req: WebhookRequest, authToken: string): boolean {
  const signature = req.headers['x-twilio-signature'];
  if (!signature || !authToken) return false;
  return twilio.validateRequest(authToken, signature, req.url, formParams(req));
}
