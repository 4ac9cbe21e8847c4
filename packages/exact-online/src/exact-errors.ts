// Exact Online's error bodies are OData v2 JSON, `{ error: { code, message: { lang, value } } }`, often with a
// `Reason` header naming the cause. Core reads neither (its `error.message` must be text), and takes Exact's
// rate-limit resets (epoch milliseconds) for epoch seconds: this mapper reads both.
import type { ErrorMapper, ErrorMapping } from '@patchbay/core';
import * as z from 'zod/mini';

// Read loosely: gateways answer other things, and a field of another type is simply unused.
const exactErrorBody = z.looseObject({
  error: z.optional(
    z.looseObject({
      code: z.optional(z.unknown()),
      message: z.optional(z.unknown()),
    }),
  ),
});

/** Options of {@link createExactErrorMapper}. */
export interface ExactErrorMapperOptions {
  /** The clock, epoch ms, for how long until a rate-limit window resets. Default `Date.now`. */
  now?: () => number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MAX_TEXT = 300;

/**
 * The Exact Online error reader for `createHttpClient`'s `mapError`: the message from `error.message.value` with
 * the `Reason` header after it; a 429 by the window that is spent: the minutely one waits until its reset
 * (`X-RateLimit-Minutely-Reset`, epoch ms) and is retried, the daily one (`X-RateLimit-Remaining: 0`) is a final
 * `RATE_LIMIT` saying when it resets.
 * @example createHttpClient({ baseUrl, auth, mapError: createExactErrorMapper() })
 */
export function createExactErrorMapper(options: ExactErrorMapperOptions = {}): ErrorMapper {
  const now = options.now ?? (() => Date.now());
  return ({ status, headers, body }) => {
    const mapping: ErrorMapping = {};
    const message = messageOf(body);
    const reason = text(headers.get('reason'));
    if (message !== undefined || reason !== undefined) {
      mapping.message = [message, reason === undefined ? undefined : `(Reason: ${reason})`]
        .filter(Boolean)
        .join(' ');
    }
    if (status === 429) {
      const at = now();
      const daily = headers.get('x-ratelimit-remaining')?.trim() === '0';
      const minutely = headers.get('x-ratelimit-minutely-remaining')?.trim() === '0';
      if (daily && !minutely) {
        const reset = epochMs(headers.get('x-ratelimit-reset'), at, DAY_MS);
        return {
          ...mapping,
          code: 'RATE_LIMIT',
          message: `Exact Online's daily limit for this division is spent${reset === undefined ? '' : `; it resets at ${new Date(reset).toISOString()}`}${message ? ` (${message})` : ''}`,
          retryable: false,
          ...(reset === undefined ? {} : { retryAfterMs: Math.max(0, reset - at) }),
        };
      }
      const reset = epochMs(headers.get('x-ratelimit-minutely-reset'), at, MINUTE_MS);
      mapping.code = 'RATE_LIMIT';
      mapping.retryable = true;
      if (headers.get('retry-after') === null) {
        mapping.retryAfterMs = reset === undefined ? MINUTE_MS : Math.max(0, reset - at);
      }
    }
    return Object.keys(mapping).length > 0 ? mapping : undefined;
  };
}

/** The error mapper with the system clock. */
export const mapExactError: ErrorMapper = /* @__PURE__ */ createExactErrorMapper();

// `error.message.value` (OData v2), or `error.message` when a gateway sends it as text.
function messageOf(body: unknown): string | undefined {
  const parsed = exactErrorBody.safeParse(body);
  if (!parsed.success || parsed.data.error === undefined) return undefined;
  const { message, code } = parsed.data.error;
  const value =
    typeof message === 'object' && message !== null ? (message as { value?: unknown }).value : message;
  const said = text(value);
  const codeText = text(code);
  if (said === undefined) return codeText;
  return codeText === undefined ? said : `${said} [${codeText}]`;
}

// An epoch-ms reset header within `horizon` of now (a value in seconds, or far off, is not believed).
function epochMs(value: string | null, now: number, horizon: number): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed || !/^\d{1,16}$/.test(trimmed)) return undefined;
  const at = Number(trimmed);
  return at >= now - MINUTE_MS && at <= now + horizon + MINUTE_MS ? Math.max(at, now) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, MAX_TEXT) : undefined;
}
