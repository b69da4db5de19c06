import { LOGIN_ATTEMPTS_PER_WINDOW, LOGIN_WINDOW_MS, LoginRateLimiter } from './login-rate-limiter';

describe('the login rate limit', () => {
  it('allows five attempts a minute per email and address, then says how long to wait', () => {
    const limiter = new LoginRateLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_WINDOW; i++) expect(limiter.hit('Ann@shop.test', '10.0.0.1', t0 + i * 1000)).toBe(0);
    expect(limiter.hit('ann@shop.test', '10.0.0.1', t0 + 10_000)).toBe(LOGIN_WINDOW_MS - 10_000);
    expect(limiter.hit('ann@shop.test', '10.0.0.2', t0 + 10_000)).toBe(0);
    expect(limiter.hit('bob@shop.test', '10.0.0.1', t0 + 10_000)).toBe(0);
  });

  it('lets the same person try again once the oldest attempt is a minute old', () => {
    const limiter = new LoginRateLimiter();
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_WINDOW; i++) limiter.hit('ann@shop.test', 'ip', i);
    expect(limiter.hit('ann@shop.test', 'ip', LOGIN_WINDOW_MS - 1)).toBeGreaterThan(0);
    expect(limiter.hit('ann@shop.test', 'ip', LOGIN_WINDOW_MS)).toBe(0);
  });
});
