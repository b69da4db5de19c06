import { z } from 'zod';

/** Fields a connector flagged with `.meta({ secret: true })`: stored encrypted, never shown back. */
export function secretFieldNames(schema: z.ZodTypeAny): string[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodTypeAny>)
    .filter(([, field]) => field.meta()?.secret === true)
    .map(([name]) => name);
}

/** Splits validated settings into the plain part (the `settings` column) and the secret part. */
export function splitSecrets(
  schema: z.ZodTypeAny,
  values: Record<string, unknown>,
): { settings: Record<string, unknown>; secrets: Record<string, unknown> } {
  const secretNames = new Set(secretFieldNames(schema));
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) (secretNames.has(key) ? secrets : settings)[key] = value;
  return { settings, secrets };
}
