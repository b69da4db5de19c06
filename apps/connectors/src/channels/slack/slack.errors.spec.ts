import { webApi } from '@slack/bolt';
import { toConnectorError } from './slack.errors';

const platform = (error: string) => Object.assign(new Error(error), { code: webApi.ErrorCode.PlatformError, data: { ok: false, error } });

describe("Slack's errors, translated", () => {
  it('waits out a rate limit for as long as Slack says', () => {
    const err = toConnectorError(Object.assign(new Error('429'), { code: webApi.ErrorCode.RateLimitedError, retryAfter: 7 }));
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 7000 });
  });

  it('marks the install failed when the token is refused', () => {
    for (const code of ['invalid_auth', 'account_inactive', 'token_revoked']) {
      expect(toConnectorError(platform(code))).toMatchObject({ code: 'AUTH', message: expect.stringContaining(code) });
    }
  });

  it('fails the message with the reason when the bot is not in the channel', () => {
    expect(toConnectorError(platform('not_in_channel'))).toMatchObject({ code: 'PERMANENT', message: expect.stringContaining('not_in_channel') });
  });

  it('retries when Slack or the network has a moment', () => {
    expect(toConnectorError(platform('internal_error')).code).toBe('TEMPORARY');
    expect(toConnectorError(Object.assign(new Error('x'), { code: webApi.ErrorCode.HTTPError, statusCode: 503 })).code).toBe('TEMPORARY');
    expect(toConnectorError(Object.assign(new Error('x'), { code: webApi.ErrorCode.RequestError })).code).toBe('TEMPORARY');
  });
});
