import type { ErrorMapper, ErrorMapping } from '@patchbay/core';
import * as z from 'zod/mini';
import { nextUtcMidnight } from './token-budget.ts';

// Pipedrive's error body (v1 and v2 alike): `{ success: false, error, error_info, data, additional_data }`; some
// v2 answers add `code`. Read loosely: the edge and proxies answer other things, a field of another type is unused.
const pipedriveErrorBody = z.looseObject({
  success: z.optional(z.unknown()),
  error: z.optional(z.unknown()),
  error_info: z.optional(z.unknown()),
  data: z.optional(z.unknown()),
  code: z.optional(z.unknown()),
});

/** Options of {@link createPipedriveErrorMapper}. */
export interface PipedriveErrorMapperOptions {
  /** The clock, epoch ms, for when a daily budget resets. Default `Date.now`. */
  now?: () => number;
  /** Epoch ms of the next daily reset after `at`. Default the next UTC midnight. */
  nextReset?: (at: number) => number;
}

const WINDOW_MS = 2_000;
// The edge's block after repeated 429s lasts minutes, not the 2-second window.
const EDGE_BLOCK_MS = 60_000;

/**
 * The Pipedrive error reader for `createHttpClient`'s `mapError`: the body's `error` as the message, 401 as
 * `AUTH_ERROR`, a JSON 403 as a missing permission (`AUTH_ERROR`, final), an HTML 403 (the edge's block after
 * repeated 429s) as `RATE_LIMIT` that is not retried, and a 429 by budget: the burst window waits and retries, an
 * exhausted daily budget (`x-daily-ratelimit-token-remaining: 0`) is a final `RATE_LIMIT` until the next midnight.
 * @example createHttpClient({ baseUrl, auth, mapError: createPipedriveErrorMapper() })
 */
export function createPipedriveErrorMapper(options: PipedriveErrorMapperOptions = {}): ErrorMapper {
  const now = options.now ?? (() => Date.now());
  const nextReset = options.nextReset ?? nextUtcMidnight;
  return ({ status, headers, body }) => {
    const html = isHtml(headers, body);
    if (status === 403 && html) {
      return {
        code: 'RATE_LIMIT',
        message:
          'Blocked by Pipedrive after repeated 429s (an HTML 403 from its edge); slow down before retrying',
        retryable: false,
        retryAfterMs: EDGE_BLOCK_MS,
      };
    }
    const parsed = html ? undefined : pipedriveErrorBody.safeParse(body);
    const fields = parsed?.success ? parsed.data : {};
    const mapping: ErrorMapping = {};
    const message = text(fields.error);
    if (message) mapping.message = message;
    if (status === 401) {
      mapping.code = 'AUTH_ERROR';
      mapping.retryable = false;
    }
    if (status === 403) {
      mapping.code = 'AUTH_ERROR';
      mapping.retryable = false;
    }
    if (status === 429) {
      const daily = headers.get('x-daily-ratelimit-token-remaining')?.trim();
      if (daily === '0') {
        const at = now();
        return {
          ...mapping,
          code: 'RATE_LIMIT',
          message: `Pipedrive's daily token budget is spent; it resets at ${new Date(nextReset(at)).toISOString()}`,
          retryable: false,
          retryAfterMs: Math.max(0, nextReset(at) - at),
        };
      }
      mapping.code = 'RATE_LIMIT';
      mapping.retryable = true;
      if (headers.get('retry-after') === null) mapping.retryAfterMs = resetMs(headers) ?? WINDOW_MS;
    }
    return Object.keys(mapping).length > 0 ? mapping : undefined;
  };
}

/** The error mapper with the system clock. */
export const mapPipedriveError: ErrorMapper = /* @__PURE__ */ createPipedriveErrorMapper();

function isHtml(headers: Headers, body: unknown): boolean {
  const type = headers.get('content-type') ?? '';
  if (/text\/html/i.test(type)) return true;
  return typeof body === 'string' && /^\s*<(!doctype|html)/i.test(body);
}

function resetMs(headers: Headers): number | undefined {
  const value = headers.get('x-ratelimit-reset')?.trim();
  if (!value || !/^\d{1,6}(\.\d+)?$/.test(value)) return undefined;
  const ms = Math.ceil(Number(value) * 1000);
  return ms > 0 && ms <= 60_000 ? ms : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.slice(0, 300) : undefined;
}
