import type { ErrorMapper, ErrorMapping, FieldIssue, IntegrationError } from '@patchbay/core';
import * as z from 'zod/mini';

// HubSpot's error body (the SDK's `StandardError`: `{ status: 'error', message, correlationId, category,
// errors: [{ message, code, in, context }], context }`; a 429 adds `errorType: 'RATE_LIMIT'` and `policyName`).
// Read loosely: a proxy may answer anything, and a field of another type is simply not used.
const detailSchema = z.looseObject({
  message: z.optional(z.unknown()),
  code: z.optional(z.unknown()),
  in: z.optional(z.unknown()),
  name: z.optional(z.unknown()),
  context: z.optional(z.unknown()),
});
const hubspotErrorBody = z.looseObject({
  message: z.optional(z.unknown()),
  correlationId: z.optional(z.unknown()),
  category: z.optional(z.unknown()),
  errors: z.optional(z.array(z.unknown())),
  context: z.optional(z.unknown()),
  policyName: z.optional(z.unknown()),
});

/** The 429 policies HubSpot names: the rolling 10-second window, and the daily budget. */
export type HubSpotRateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY';

/** Options of {@link createHubSpotErrorMapper}. */
export interface HubSpotErrorMapperOptions {
  /** The clock, epoch ms, for when a daily budget resets. Default `Date.now`. */
  now?: () => number;
}

const DAY_MS = 86_400_000;
// A rolling window with no hint: its length, so the oldest request has surely left it.
const DEFAULT_WINDOW_MS = 10_000;
const SECONDLY_MS = 1_000;
const EXISTING_ID = /Existing ID:\s*(\d+)/i;
// HubSpot puts property validation into the message as JSON: "Property values were not valid: [{…name…}]".
const INVALID_PROPERTIES = /Property values were not valid:\s*(\[.*\])/s;

/**
 * The HubSpot error reader for `createHttpClient`'s `mapError`: the body's message and `correlationId`, a 409's
 * existing id kept in the message, a 400's property names as field issues, 401/403 (`MISSING_SCOPES`) as
 * `AUTH_ERROR`, and a 429 by policy: `TEN_SECONDLY_ROLLING` (or search's secondly limit) waits and retries, `DAILY`
 * is a final `RATE_LIMIT` whose `retryAfterMs` runs to the next UTC midnight (or a `Retry-After` when sent).
 * @example createHttpClient({ baseUrl, auth, mapError: createHubSpotErrorMapper() })
 */
export function createHubSpotErrorMapper(options: HubSpotErrorMapperOptions = {}): ErrorMapper {
  const now = options.now ?? (() => Date.now());
  return ({ status, headers, body }) => {
    const parsed = hubspotErrorBody.safeParse(body);
    const fields = parsed.success ? parsed.data : {};
    const mapping: ErrorMapping = {};
    const message = text(fields.message);
    if (message) mapping.message = message;
    const correlationId = text(fields.correlationId);
    if (correlationId) mapping.requestId = correlationId;
    const category = text(fields.category);
    if (status === 401) mapping.retryable = false;
    if (status === 403 || category === 'MISSING_SCOPES') {
      // Core has no separate "forbidden" code: a missing scope is an AUTH_ERROR that no retry fixes.
      mapping.code = 'AUTH_ERROR';
      mapping.retryable = false;
      // HubSpot lists them in the details (`errors[].context`); some answers repeat them at the top level.
      const scopes = [
        ...new Set([fields.context, ...(fields.errors ?? []).map(detailContext)].flatMap(requiredScopes)),
      ];
      if (scopes.length > 0)
        mapping.message = `${message ?? 'Missing scopes'} (requires ${scopes.join(', ')})`;
    }
    if (status === 409 || category === 'CONFLICT') mapping.code = 'CONFLICT';
    if (status === 400 && category !== 'CONFLICT') {
      const issues = propertyIssues(message, fields.errors);
      if (issues.length > 0) {
        mapping.issues = issues;
        mapping.field = issues[0]!.field;
      }
    }
    if (status === 429) Object.assign(mapping, rateLimitMapping(fields.policyName, message, headers, now()));
    return Object.keys(mapping).length > 0 ? mapping : undefined;
  };
}

/** The error mapper with the system clock. */
export const mapHubSpotError: ErrorMapper = /* @__PURE__ */ createHubSpotErrorMapper();

/**
 * The id of the record a `CONFLICT` collided with, from HubSpot's "Contact already exists. Existing ID: 123".
 * @example if (!result.success && result.error.code === 'CONFLICT') update(hubspotExistingId(result.error));
 */
export function hubspotExistingId(error: IntegrationError | { message: string }): string | undefined {
  return EXISTING_ID.exec(error.message)?.[1];
}

function rateLimitMapping(
  policyName: unknown,
  message: string | undefined,
  headers: Headers,
  at: number,
): ErrorMapping {
  const retryAfter = retryAfterHeaderMs(headers);
  if (policyName === 'DAILY') {
    // The daily budget resets at midnight in the account's time zone, which no response names: the next UTC
    // midnight is the estimate unless the server sent a wait. Retrying before then only burns calls.
    return { code: 'RATE_LIMIT', retryable: false, retryAfterMs: retryAfter ?? nextUtcMidnight(at) - at };
  }
  if (policyName === 'TEN_SECONDLY_ROLLING') {
    return { code: 'RATE_LIMIT', retryable: true, retryAfterMs: retryAfter ?? windowMs(headers) };
  }
  // Search answers its 5-per-second limit with "You have reached your secondly limit." (policy name uncertain).
  if (message && /secondly limit/i.test(message)) {
    return { code: 'RATE_LIMIT', retryable: true, retryAfterMs: retryAfter ?? SECONDLY_MS };
  }
  return retryAfter === undefined ? {} : { retryAfterMs: retryAfter };
}

/** Epoch ms of the first UTC midnight after `at`. */
export function nextUtcMidnight(at: number): number {
  return (Math.floor(at / DAY_MS) + 1) * DAY_MS;
}

function windowMs(headers: Headers): number {
  const interval = wholeNumber(headers.get('x-hubspot-ratelimit-interval-milliseconds'));
  return interval !== undefined && interval > 0 && interval <= 60_000 ? interval : DEFAULT_WINDOW_MS;
}

function retryAfterHeaderMs(headers: Headers): number | undefined {
  const seconds = headers.get('retry-after')?.trim();
  if (!seconds || !/^\d+(\.\d+)?$/.test(seconds)) return undefined;
  return Math.ceil(Number(seconds) * 1000);
}

function wholeNumber(value: string | null): number | undefined {
  const trimmed = value?.trim();
  return trimmed && /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function detailContext(detail: unknown): unknown {
  const parsed = detailSchema.safeParse(detail);
  return parsed.success ? parsed.data.context : undefined;
}

function requiredScopes(context: unknown): string[] {
  if (typeof context !== 'object' || context === null) return [];
  const scopes =
    (context as Record<string, unknown>).requiredGranularScopes ??
    (context as Record<string, unknown>).requiredScopes;
  return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string').slice(0, 20) : [];
}

// The property names a 400 blames: `errors[].context.propertyName`, `errors[].in` or `name`, and the JSON list
// in "Property values were not valid: […]".
function propertyIssues(message: string | undefined, errors: unknown[] | undefined): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: unknown, detail: unknown) => {
    if (typeof field !== 'string' || field === '' || issues.some((issue) => issue.field === field)) return;
    issues.push({ field, message: text(detail) ?? 'is not valid' });
  };
  for (const entry of (errors ?? []).slice(0, 100)) {
    const detail = detailSchema.safeParse(entry);
    if (!detail.success) continue;
    const { context, message: detailMessage } = detail.data;
    const names =
      typeof context === 'object' && context !== null
        ? (context as Record<string, unknown>).propertyName
        : undefined;
    if (Array.isArray(names)) for (const name of names) add(name, detailMessage);
    add(detail.data.in, detailMessage);
    add(detail.data.name, detailMessage);
  }
  const listed = message ? INVALID_PROPERTIES.exec(message)?.[1] : undefined;
  if (listed) {
    try {
      const items: unknown = JSON.parse(listed);
      if (Array.isArray(items)) {
        for (const item of items.slice(0, 100)) {
          if (typeof item === 'object' && item !== null) {
            const { name, message: itemMessage } = item as Record<string, unknown>;
            add(name, itemMessage);
          }
        }
      }
    } catch {
      // A truncated list names nothing reliably.
    }
  }
  return issues;
}
