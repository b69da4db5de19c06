import { createHmac } from 'crypto';
import { isValidSlackRequest } from '@slack/bolt';
import type { WebhookRequest } from '@cs/contracts';

/** Slack's replay window: a request signed more than five minutes away from now is refused. */
export const SIGNATURE_WINDOW_SEC = 5 * 60;

/**
 * Signature v0: HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the app's signing secret. Bolt's
 * own check does the comparison in constant time; it only refuses stale timestamps, so timestamps
 * from the future are refused here too (a clock-skewed or forged request is not kept for later).
 */
export function isSignedBySlack(req: WebhookRequest, signingSecret: string, nowMs = Date.now()): boolean {
  const signature = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (!signature || !signingSecret || !Number.isInteger(timestamp)) return false;
  if (Math.abs(Math.floor(nowMs / 1000) - timestamp) > SIGNATURE_WINDOW_SEC) return false;
  return isValidSlackRequest({
    signingSecret,
    body: rawBody(req),
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
    nowMilliseconds: nowMs,
  });
}

/** Signs a body exactly as Slack does (the fake Slack and the tests use it). */
export function slackSignature(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export function rawBody(req: WebhookRequest): string {
  return Buffer.from(req.bodyBase64, 'base64').toString('utf8');
}
