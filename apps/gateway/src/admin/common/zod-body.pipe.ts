import { PipeTransform } from '@nestjs/common';
import { parseOrThrow } from '@cs/contracts';
import type { z } from 'zod';

/**
 * Validates a body or query against a zod schema. A failure is ValidationFailed, which the gateway's
 * error filter turns into a 400 naming each bad field; unknown keys are dropped, never stored.
 */
export class ZodPipe<S extends z.ZodTypeAny> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    return parseOrThrow(this.schema, value ?? {});
  }
}
