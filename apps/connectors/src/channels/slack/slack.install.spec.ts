import { createHash } from 'crypto';
import { readTicket, slackInstallTicket } from './slack.install';

const key = createHash('sha256').update('install-ticket-spec-secret-key-0123456789').digest();
const tenantId = '0190f5c6-4444-7000-8000-000000000001';
const now = 1_764_000_000_000;

describe('Slack install tickets', () => {
  it("names the tenant the console signed it for, for fifteen minutes", () => {
    const ticket = slackInstallTicket(key, tenantId, now);
    expect(readTicket(key, ticket, now + 14 * 60_000)).toBe(tenantId);
    expect(readTicket(key, ticket, now + 16 * 60_000)).toBeNull();
  });

  it('refuses a ticket for another tenant, another key or a forged one', () => {
    const [, exp, mac] = slackInstallTicket(key, tenantId, now).split('.');
    expect(readTicket(key, `0190f5c6-4444-7000-8000-000000000002.${exp}.${mac}`, now)).toBeNull();
    expect(readTicket(createHash('sha256').update('another').digest(), slackInstallTicket(key, tenantId, now), now)).toBeNull();
    expect(readTicket(key, `${tenantId}.9999999999.forged`, now)).toBeNull();
    expect(readTicket(key, 'nonsense', now)).toBeNull();
  });
});
