import type { WebhookRequest } from '@cs/contracts';
import { isSignedBySlack, slackSignature } from './slack.signature';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const now = 1_764_000_000_000;
const body = '{"type":"event_callback","event":{"type":"message","text":"héllo"}}';

function request(raw: string, headers: Record<string, string>): WebhookRequest {
  return { method: 'POST', url: 'https://support.example.com/hooks/slack/events', path: '/hooks/slack/events', query: {}, headers, bodyBase64: Buffer.from(raw).toString('base64'), receivedAt: new Date(now).toISOString() };
}
const signed = (raw: string, ts: number, key = secret) =>
  request(raw, { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(key, ts, raw) });

describe('Slack request signatures (v0)', () => {
  const ts = now / 1000;

  it('accepts a request signed with the signing secret', () => {
    expect(isSignedBySlack(signed(body, ts), secret, now)).toBe(true);
  });

  it('refuses a changed body, another secret, or no signature', () => {
    const tampered = { ...signed(body, ts), bodyBase64: Buffer.from(body.replace('héllo', 'hello')).toString('base64') };
    expect(isSignedBySlack(tampered, secret, now)).toBe(false);
    expect(isSignedBySlack(signed(body, ts, 'another-secret-entirely'), secret, now)).toBe(false);
    expect(isSignedBySlack(request(body, {}), secret, now)).toBe(false);
  });

  it('refuses a replay older than five minutes, and a timestamp from the future', () => {
    expect(isSignedBySlack(signed(body, ts - 299), secret, now)).toBe(true);
    expect(isSignedBySlack(signed(body, ts - 301), secret, now)).toBe(false);
    expect(isSignedBySlack(signed(body, ts + 301), secret, now)).toBe(false);
  });
});
