export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the timeout error, so a failing test says what never happened. */
  what?: string;
}

/**
 * Polls `fn` until it returns something other than false, null or undefined without throwing, and
 * resolves with that value. On timeout it rejects with the last error `fn` threw, if any.
 * For assertions: `await waitFor(() => { expect(x).toBe(1); return true; })`.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<Exclude<T, false>>> {
  const { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== false && value !== null && value !== undefined) return value as NonNullable<Exclude<T, false>>;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  if (lastError instanceof Error) {
    lastError.message = `waitFor(${what}) timed out after ${timeoutMs} ms; last error: ${lastError.message}`;
    throw lastError;
  }
  throw new Error(`waitFor(${what}) timed out after ${timeoutMs} ms`);
}
