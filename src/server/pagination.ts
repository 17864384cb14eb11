import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';

/** `?limit=` (default 50, at most 500) and `?cursor=`, as every list takes them. */
export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, schema: T): z.infer<T> | null {
  if (cursor === undefined) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw new DomainError('invalid', 'invalid_cursor', 'query.cursor: is not a cursor this list gave out', [
    { path: 'query.cursor', message: 'is not a cursor this list gave out' },
  ]);
}

export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

/** Takes one row more than asked to know whether there is a next page. */
export function page<R>(rows: R[], limit: number, keyOf: (row: R) => readonly (string | number)[]) {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  const last = data[data.length - 1];
  return { data, nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}
