import { ConnectorError } from '@cs/contracts';
import { MAX_RETRY_SLEEP_MS, decideOnSendError, sendGuard } from './send-policy';

const outgoing = { direction: 'out' as const, private: false, externalMessageId: null, deliveryState: 'pending' as const };

describe('the send guard', () => {
  it('sends an outgoing public message that has no vendor id yet', () => {
    expect(sendGuard(outgoing)).toBeNull();
  });

  it('never sends a private note, an inbound message or a message that is gone', () => {
    expect(sendGuard({ ...outgoing, private: true })).toBe('private');
    expect(sendGuard({ ...outgoing, direction: 'in' })).toBe('not-outgoing');
    expect(sendGuard(null)).toBe('missing');
  });

  it('never sends a message twice', () => {
    expect(sendGuard({ ...outgoing, externalMessageId: 'SM123' })).toBe('already-sent');
    expect(sendGuard({ ...outgoing, deliveryState: 'sent' })).toBe('already-sent');
    expect(sendGuard({ ...outgoing, deliveryState: 'delivered' })).toBe('already-sent');
  });
});

describe('the send error policy', () => {
  it('retries a temporary failure, and gives up with the reason on the last attempt', () => {
    const err = new ConnectorError('TEMPORARY', 'vendor returned 503');
    expect(decideOnSendError(err, 1, 5, 'e1')).toEqual({ action: 'retry', sleepMs: 0, code: 'TEMPORARY' });
    expect(decideOnSendError(err, 5, 5, 'e1')).toEqual({
      action: 'fail',
      code: 'TEMPORARY',
      reason: 'gave up after 5 attempts: vendor returned 503',
      failAccount: false,
    });
  });

  it("waits out a vendor's rate limit, but never longer than a consumer slot can be held", () => {
    expect(decideOnSendError(new ConnectorError('RATE_LIMITED', 'slow down', 1500), 1, 5, 'e')).toMatchObject({ action: 'retry', sleepMs: 1500 });
    expect(decideOnSendError(new ConnectorError('RATE_LIMITED', 'slow down', 600_000), 1, 5, 'e')).toMatchObject({ sleepMs: MAX_RETRY_SLEEP_MS });
  });

  it('marks the channel failed on bad credentials', () => {
    expect(decideOnSendError(new ConnectorError('AUTH', 'token revoked'), 1, 5, 'e')).toEqual({
      action: 'fail',
      code: 'AUTH',
      reason: 'token revoked',
      failAccount: true,
    });
  });

  it.each(['INVALID_RECIPIENT', 'PERMANENT', 'NOT_SUPPORTED'] as const)('fails the message at once on %s', (code) => {
    expect(decideOnSendError(new ConnectorError(code, 'no'), 1, 5, 'e')).toEqual({ action: 'fail', code, reason: 'no', failAccount: false });
  });

  it('keeps the text of an unexpected error out of the message, pointing to the log instead', () => {
    const raw = new Error('ECONNRESET at vendor-sdk/internal.js:42 secret=abc');
    expect(decideOnSendError(raw, 1, 3, 'err-7')).toEqual({ action: 'retry', sleepMs: 0, code: 'INTERNAL' });
    const last = decideOnSendError(raw, 3, 3, 'err-7');
    expect(last).toEqual({ action: 'fail', code: 'INTERNAL', reason: 'unexpected error while sending (error id err-7)', failAccount: false });
  });
});
