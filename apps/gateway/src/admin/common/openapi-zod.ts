import { ApiBody, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** The OpenAPI schema of a zod schema (zod 4 emits JSON Schema), so docs and validation never disagree. */
export function openApiSchema(schema: z.ZodTypeAny): SchemaObject {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json as SchemaObject;
}

export function ApiZodBody(schema: z.ZodTypeAny): MethodDecorator {
  return ApiBody({ schema: openApiSchema(schema) });
}

/** One documented query parameter per key of a zod object. */
export function ApiZodQuery(schema: z.ZodObject): MethodDecorator {
  const decorators = Object.entries(schema.shape).map(([name, field]) =>
    ApiQuery({ name, required: false, schema: openApiSchema(field as z.ZodTypeAny) }),
  );
  return (target, key, descriptor) => {
    for (const decorate of decorators) decorate(target, key, descriptor);
  };
}

/** A documented response, its body described by the zod schema it is parsed with. */
export function ApiZodResponse(status: number, description: string, schema: z.ZodTypeAny): MethodDecorator {
  return ApiResponse({ status, description, schema: openApiSchema(schema) });
}
