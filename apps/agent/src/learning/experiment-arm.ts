import { createHash } from 'crypto';
import { EXPERIMENT_SETTINGS, type ExperimentArm, type RunningExperiment, type TenantSettings } from '@cs/persistence';

/** What the trace records of a conversation's arm. */
export interface ExperimentAssignment {
  id: string;
  setting: string;
  arm: string;
}

/**
 * The arm of a conversation: a hash of the experiment and the conversation picks it by the arms'
 * weights, so every message of a conversation gets the same arm, on any agent process, without
 * storing anything; a new experiment reshuffles.
 */
export function armOf(experiment: RunningExperiment, conversationId: string): ExperimentArm {
  const digest = createHash('sha256').update(`${experiment.id}:${conversationId}`).digest();
  const u = digest.readUInt32BE(0) / 2 ** 32;
  const total = experiment.arms.reduce((n, a) => n + a.weight, 0);
  let at = 0;
  for (const arm of experiment.arms) {
    at += arm.weight / total;
    if (u < at) return arm;
  }
  return experiment.arms[experiment.arms.length - 1];
}

/** The tenant's running experiment, when its settings hold a well-formed one. */
function runningExperiment(settings: TenantSettings): RunningExperiment | undefined {
  const e = settings.experiment as Partial<RunningExperiment> | undefined;
  if (!e || typeof e.id !== 'string' || !EXPERIMENT_SETTINGS.includes(e.setting as never) || !Array.isArray(e.arms) || !e.arms.length) return undefined;
  return e as RunningExperiment;
}

/** The settings this conversation's turn runs with, and its arm (undefined when no experiment runs). */
export function applyExperiment(settings: TenantSettings, conversationId: string): { settings: TenantSettings; assignment?: ExperimentAssignment } {
  const experiment = runningExperiment(settings);
  if (!experiment) return { settings };
  const arm = armOf(experiment, conversationId);
  const assignment = { id: experiment.id, setting: experiment.setting, arm: arm.name };
  return { settings: arm.value === null ? settings : { ...settings, [experiment.setting]: arm.value }, assignment };
}
