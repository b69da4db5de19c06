import { z } from 'zod';
import { uuidv7 } from 'uuidv7';

export const SCHEMA_VERSION = 1;

/** Every message on the bus travels in this envelope (ARCHITECTURE.md, "Messages on the bus"). */
export const envelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  occurredAt: z.string().min(1),
  tenantId: z.string().min(1),
  conversationId: z.string().min(1).optional(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).optional(),
  data: z.unknown(),
});

export interface Envelope<T = unknown> {
  id: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  tenantId: string;
  conversationId?: string;
  correlationId: string;
  causationId?: string;
  data: T;
}

export function newId(): string {
  return uuidv7();
}

export function makeEnvelope<T>(
  type: string,
  tenantId: string,
  data: T,
  opts: { conversationId?: string; correlationId?: string; causationId?: string; id?: string } = {},
): Envelope<T> {
  const id = opts.id ?? newId();
  return {
    id,
    type,
    schemaVersion: SCHEMA_VERSION,
    occurredAt: new Date().toISOString(),
    tenantId,
    conversationId: opts.conversationId,
    correlationId: opts.correlationId ?? id,
    causationId: opts.causationId,
    data,
  };
}
