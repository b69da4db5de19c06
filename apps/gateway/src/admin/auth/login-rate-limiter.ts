import { Injectable } from '@nestjs/common';

export const LOGIN_ATTEMPTS_PER_WINDOW = 5;
export const LOGIN_WINDOW_MS = 60_000;

/**
 * Sliding-window limit on login attempts per (email, IP), in memory. Per process on purpose: a
 * guesser spread over several gateways still gets only a few tries a minute on each, and the
 * bcrypt cost does the rest.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly attempts = new Map<string, number[]>();

  /** Records an attempt; returns how long to wait (ms) when over the limit, else 0. */
  hit(email: string, ip: string, now = Date.now()): number {
    const key = `${email.toLowerCase()}|${ip}`;
    const recent = (this.attempts.get(key) ?? []).filter((t) => now - t < LOGIN_WINDOW_MS);
    if (recent.length >= LOGIN_ATTEMPTS_PER_WINDOW) {
      this.attempts.set(key, recent);
      return LOGIN_WINDOW_MS - (now - recent[0]);
    }
    recent.push(now);
    this.attempts.set(key, recent);
    if (this.attempts.size > 10_000) this.sweep(now);
    return 0;
  }

  private sweep(now: number): void {
    for (const [key, times] of this.attempts) {
      if (times.every((t) => now - t >= LOGIN_WINDOW_MS)) this.attempts.delete(key);
    }
  }
}
