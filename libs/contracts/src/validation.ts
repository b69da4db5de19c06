import type { z } from 'zod';

/** A readable one-line summary of a zod failure, naming each field: `text: Required; contact.externalId: ...`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
}

export class ValidationFailed extends Error {
  constructor(readonly fields: { path: string; message: string }[]) {
    super(fields.map((f) => `${f.path}: ${f.message}`).join('; '));
    this.name = 'ValidationFailed';
  }

  static fromZod(error: z.ZodError): ValidationFailed {
    return new ValidationFailed(
      error.issues.map((i) => ({ path: i.path.length ? i.path.join('.') : '(body)', message: i.message })),
    );
  }
}

export function parseOrThrow<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationFailed.fromZod(result.error);
  return result.data;
}
