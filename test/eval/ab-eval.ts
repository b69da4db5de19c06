import { newId } from '@cs/contracts';
import type { RunningExperiment } from '@cs/persistence';
import { armOf } from '../../apps/agent/src/learning/experiment-arm';
import { compareToControl, type Proportion } from '../../apps/gateway/src/admin/experiments/arm-statistics';

/**
 * A/B tests (issue 18), simulated: conversations get their arm from the agent's own assignment
 * (`armOf`, a hash of experiment and conversation), simulated customers confirm a resolution with a
 * known probability per arm, and the console's own comparison (`compareToControl`) gives the
 * verdict. A known true difference must be found about as often as the test's power says; an A/A
 * test must be called a win no more often than the error rate (2.5% one-sided for "better" at a
 * two-sided 95% interval). Also reported: how much peeking (stopping at the first "better" seen at
 * any of several looks) inflates that rate, the reason a result is read once at the planned size.
 */
const RUNS = 2000;
const CONVERSATIONS = 2000;
const CONTROL_RATE = 0.3;
const TREATMENT_RATE = 0.36;
const LOOK_EVERY = 200;

export interface AbReport {
  runs: number;
  conversationsPerRun: number;
  control: number;
  treatment: number;
  /** Power of the two-proportion test at this size and difference, from the normal approximation. */
  expectedPower: number;
  /** Share of A/B runs whose verdict for the treatment is "better". */
  detected: number;
  /** Share of A/A runs called "better" (a false win) and "better" or "worse" (any false difference). */
  aaFalseWin: number;
  aaFalseDifference: number;
  /** Share of A/A runs called "better" at any of the looks every LOOK_EVERY conversations. */
  aaFalseWinWithPeeking: number;
  looks: number;
}

export function evaluateAb(log: (m: string) => void): AbReport {
  const random = mulberry32(18);
  const simulate = (rates: [number, number], look?: (arms: [Proportion, Proportion]) => void): [Proportion, Proportion] => {
    const experiment: RunningExperiment = { id: newId(), setting: 'handoffMessage', arms: [{ name: 'control', weight: 1, value: null }, { name: 'treatment', weight: 1, value: 'x' }] };
    const arms: [Proportion, Proportion] = [{ n: 0, k: 0 }, { n: 0, k: 0 }];
    for (let i = 1; i <= CONVERSATIONS; i++) {
      const a = armOf(experiment, newId()).name === 'control' ? 0 : 1;
      arms[a].n++;
      if (random() < rates[a]) arms[a].k++;
      if (look && i % LOOK_EVERY === 0) look(arms);
    }
    return arms;
  };
  let detected = 0;
  let falseWin = 0;
  let falseDifference = 0;
  let peekedWin = 0;
  for (let run = 0; run < RUNS; run++) {
    const [c, t] = simulate([CONTROL_RATE, TREATMENT_RATE]);
    if (compareToControl(t, c).verdict === 'better') detected++;
    let calledEarly = false;
    const [ac, at] = simulate([CONTROL_RATE, CONTROL_RATE], ([lc, lt]) => {
      if (compareToControl(lt, lc).verdict === 'better') calledEarly = true;
    });
    const verdict = compareToControl(at, ac).verdict;
    if (verdict === 'better') falseWin++;
    if (verdict === 'better' || verdict === 'worse') falseDifference++;
    if (calledEarly) peekedWin++;
    if ((run + 1) % 500 === 0) log(`ab: ${run + 1}/${RUNS} simulated experiments`);
  }
  const perArm = CONVERSATIONS / 2;
  const se = Math.sqrt((CONTROL_RATE * (1 - CONTROL_RATE) + TREATMENT_RATE * (1 - TREATMENT_RATE)) / perArm);
  const share = (n: number) => Math.round((1000 * n) / RUNS) / 1000;
  return {
    runs: RUNS,
    conversationsPerRun: CONVERSATIONS,
    control: CONTROL_RATE,
    treatment: TREATMENT_RATE,
    expectedPower: Math.round(1000 * normalCdf((TREATMENT_RATE - CONTROL_RATE) / se - 1.959963984540054)) / 1000,
    detected: share(detected),
    aaFalseWin: share(falseWin),
    aaFalseDifference: share(falseDifference),
    aaFalseWinWithPeeking: share(peekedWin),
    looks: Math.floor(CONVERSATIONS / LOOK_EVERY),
  };
}

export function abLines(r: AbReport): string[] {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return [
    `\nA/B tests (${r.runs} simulated experiments of ${r.conversationsPerRun} conversations, the agent's arm assignment and the console's comparison)`,
    `  true difference ${pct(r.control)} → ${pct(r.treatment)} automated resolution: found ${pct(r.detected)} of the time (expected power ${pct(r.expectedPower)})`,
    `  A/A: called a win ${pct(r.aaFalseWin)} (goal ≤ 2.5%), any difference ${pct(r.aaFalseDifference)} (goal ≤ 5%); with ${r.looks} looks and stopping at the first win ${pct(r.aaFalseWinWithPeeking)}`,
  ];
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Φ, by the Abramowitz-Stegun 7.1.26 erf approximation (error under 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
