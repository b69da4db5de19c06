/** Latency summaries for benchmarks: percentiles over recorded milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
  return { count: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1] ?? NaN) };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Runs `worker` from `concurrency` loops until `durationMs` has passed; returns completions/s. */
export async function closedLoop(concurrency: number, durationMs: number, worker: () => Promise<void>): Promise<number> {
  const end = Date.now() + durationMs;
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        await worker();
        done++;
      }
    }),
  );
  return done / ((Date.now() - started) / 1000);
}

/** Starts `worker` at a fixed rate (open loop) for `durationMs`; resolves when all have finished. */
export async function openLoop(ratePerSec: number, durationMs: number, worker: () => Promise<void>): Promise<void> {
  const interval = 1000 / ratePerSec;
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; ; i++) {
    const due = started + i * interval;
    if (due - started >= durationMs) break;
    const wait = due - Date.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(worker());
  }
  await Promise.all(inFlight);
}
