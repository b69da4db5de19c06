/** Conversations per arm under which a comparison says "not enough data yet", whatever its interval. */
export const MIN_CONVERSATIONS_PER_ARM = 100;
/** Two-sided 95%. */
const Z = 1.959963984540054;

export interface Proportion {
  /** Conversations. */
  n: number;
  /** Of which resolved automatically (or whatever is counted). */
  k: number;
}

export type Verdict = 'not_enough_data' | 'no_difference' | 'better' | 'worse';

export interface Comparison {
  /** This arm's rate minus the control's. */
  difference: number | null;
  /** 95% confidence interval of the difference (normal approximation, unpooled). */
  interval: [number, number] | null;
  verdict: Verdict;
}

/**
 * An arm's rate against the control's: the difference with its 95% interval; `better` or `worse`
 * only when the interval leaves out 0 and both arms have MIN_CONVERSATIONS_PER_ARM conversations.
 * `npm run eval -- --only ab` measures how often this finds a known difference and how often it
 * calls an A/A test a win.
 */
export function compareToControl(arm: Proportion, control: Proportion): Comparison {
  if (!arm.n || !control.n) return { difference: null, interval: null, verdict: 'not_enough_data' };
  const p1 = arm.k / arm.n;
  const p0 = control.k / control.n;
  const difference = p1 - p0;
  const se = Math.sqrt((p1 * (1 - p1)) / arm.n + (p0 * (1 - p0)) / control.n);
  const interval: [number, number] = [round(difference - Z * se), round(difference + Z * se)];
  if (arm.n < MIN_CONVERSATIONS_PER_ARM || control.n < MIN_CONVERSATIONS_PER_ARM) return { difference: round(difference), interval, verdict: 'not_enough_data' };
  // Equal rates of 0 or 1 have no spread: no evidence of a difference.
  const verdict: Verdict = se === 0 || (interval[0] <= 0 && interval[1] >= 0) ? 'no_difference' : difference > 0 ? 'better' : 'worse';
  return { difference: round(difference), interval, verdict };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
