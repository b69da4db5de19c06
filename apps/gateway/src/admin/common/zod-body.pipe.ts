import { PipeTransform } from '@nestjs/common';
import { ValidationFailed, parseOrThrow } from '@cs/contracts';
import { z } from 'zod';

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

/**
 * A PATCH body: validated like ZodPipe, then refused with a 400 when it names no field to change
 * (`{}`, only unknown keys, or no JSON body at all): an empty update is a client mistake, and
 * TypeORM would fail on it (UpdateValuesMissingError) as a 500.
 */
export class ZodPatchPipe<S extends z.ZodObject> extends ZodPipe<S> {
  private readonly fields: string[];

  constructor(schema: S) {
    super(schema);
    this.fields = Object.keys(schema.shape);
  }

  override transform(value: unknown): z.infer<S> {
    const parsed = super.transform(value) as Record<string, unknown>;
    if (Object.values(parsed).every((v) => v === undefined)) {
      throw new ValidationFailed([{ path: '(body)', message: `nothing to update: give at least one of ${this.fields.join(', ')}` }]);
    }
    return parsed as z.infer<S>;
  }
}
