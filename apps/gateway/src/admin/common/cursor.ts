import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

/** Every list of the console answers `{ items, nextCursor }`; pass `nextCursor` back as `?after=`. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const pageQuerySchema = z.object({
  after: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

/** Cursors are opaque to clients: base64url of the sort key of the last item returned. */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string, keys: readonly K[]): Record<K, string> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      if (keys.every((k) => typeof record[k] === 'string')) return record as Record<K, string>;
    }
  } catch {
    // fall through to the 400 below
  }
  throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'after: not a cursor from this list' });
}

/** Fetch `limit + 1` rows, return `limit` and a cursor built from the last one when more exist. */
export function pageOf<R, T>(rows: R[], limit: number, toItem: (row: R) => T, keyOf: (row: R) => Record<string, string>): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(toItem), nextCursor: more && kept.length ? encodeCursor(keyOf(kept[kept.length - 1])) : null };
}
