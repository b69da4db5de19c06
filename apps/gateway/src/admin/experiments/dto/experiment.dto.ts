import { z } from 'zod';
import { EXPERIMENT_SETTINGS } from '@cs/persistence';
import { pageQuerySchema } from '../../common/cursor';

/** What each setting's arms may hold; null keeps the tenant's own setting (the control). */
const VALUES: Record<(typeof EXPERIMENT_SETTINGS)[number], z.ZodTypeAny> = {
  handoffMessage: z.string().trim().min(1).max(1000),
  brandVoice: z.string().trim().min(1).max(2000),
  // Never under 0.3: an arm may not make the agent answer on evidence the product would not call an answer.
  confidenceThreshold: z.number().min(0.3).max(0.95),
  llmProvider: z.enum(['extractive', 'openai-compatible']),
};

const arm = z.object({
  name: z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _'),
  weight: z.number().positive().max(100).default(1),
  value: z.union([z.string(), z.number()]).nullable(),
});

export const createExperimentSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    setting: z.enum(EXPERIMENT_SETTINGS),
    /** The first arm is the control the others are compared with. */
    arms: z.array(arm).min(2).max(5),
  })
  .superRefine((body, ctx) => {
    const names = body.arms.map((a) => a.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', path: ['arms', i, 'name'], message: 'arm names must differ' });
    });
    body.arms.forEach((a, i) => {
      if (a.value === null) return;
      const parsed = VALUES[body.setting].safeParse(a.value);
      if (!parsed.success) ctx.addIssue({ code: 'custom', path: ['arms', i, 'value'], message: `not a valid ${body.setting}: ${parsed.error.issues[0]?.message ?? ''}` });
    });
  });
export type CreateExperimentBody = z.infer<typeof createExperimentSchema>;

export const stopExperimentSchema = z.object({
  /** The arm whose value becomes the tenant's setting; omitted, the settings stay as they were. */
  promote: z.string().trim().min(1).max(40).optional(),
});
export type StopExperimentBody = z.infer<typeof stopExperimentSchema>;

export const listExperimentsSchema = pageQuerySchema;
export type ListExperimentsQuery = z.infer<typeof listExperimentsSchema>;
