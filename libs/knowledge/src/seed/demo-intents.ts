import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { z } from 'zod';
import { parseOrThrow } from '@cs/contracts';

export const tenantIntentSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  kind: z.enum(['question', 'handoff']).default('question'),
  examples: z.array(z.string().min(1)).min(5),
});
export type TenantIntent = z.infer<typeof tenantIntentSchema>;

/** The demo tenant's own intents (intents.yaml beside this module, copied to dist/ by the build). */
export function loadDemoIntents(file = path.join(__dirname, 'intents.yaml')): TenantIntent[] {
  return parseOrThrow(z.array(tenantIntentSchema), parse(fs.readFileSync(file, 'utf8')));
}
