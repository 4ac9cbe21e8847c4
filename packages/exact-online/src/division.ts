// Every Exact Online call but `current/Me` carries a division (`/api/v1/{division}/…`) and no query spans two. The
// client's division is the one given, or the user's current one, read once from `current/Me`.
import { type ApiResult, type HttpClient, ok } from '@patchbay/core';
import * as z from 'zod/mini';
import { ACCEPT_JSON } from './odata.ts';

// `current/Me` is a collection of one: `{ d: { results: [{ CurrentDivision }] } }` (a single entity `{ d: {…} }`
// is read too).
const meSchema = z.union([
  z.object({
    d: z.object({
      results: z.array(z.object({ CurrentDivision: z.int().check(z.positive()) })).check(z.minLength(1)),
    }),
  }),
  z.object({ d: z.object({ CurrentDivision: z.int().check(z.positive()) }) }),
]);

/** The user's current division, read from `current/Me?$select=CurrentDivision`. */
export async function readCurrentDivision(
  http: HttpClient,
  signal?: AbortSignal,
): Promise<ApiResult<number>> {
  const me = await http.get('/api/v1/current/Me', {
    schema: meSchema,
    headers: { ...ACCEPT_JSON },
    searchParams: { $select: 'CurrentDivision' },
    ...(signal ? { signal } : {}),
  });
  if (!me.success) return me;
  const { d } = me.data;
  return ok('results' in d ? (d.results[0]?.CurrentDivision ?? 0) : d.CurrentDivision);
}

/** A division number as Exact has them: a whole number from 1. */
export function isDivision(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= 2_147_483_647;
}
