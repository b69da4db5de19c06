import twilio from 'twilio';
import type { ChannelAccountRef, WebhookRequest, WebhookResponse } from '@cs/contracts';

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

/** `verify` of every Twilio connector: signed with the Auth Token of the account the URL names. */
export function isSignedForAccount(req: WebhookRequest, account: ChannelAccountRef | null): boolean {
  const authToken = account?.settings.authToken;
  return typeof authToken === 'string' && isSignedByTwilio(req, authToken);
}

/** What a messaging webhook answers: nothing to say now (the reply goes out through the REST API)... */
export const EMPTY_TWIML: WebhookResponse = { status: 200, headers: { 'content-type': 'text/xml' }, body: '<Response/>' };

/** ...or one message back to the sender at once (HELP, an opt-out confirmation). */
export function twimlMessage(text: string): WebhookResponse {
  const response = new twilio.twiml.MessagingResponse();
  response.message(text);
  return { ...EMPTY_TWIML, body: response.toString() };
}
