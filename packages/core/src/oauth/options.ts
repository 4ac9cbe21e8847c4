// The option rules the OAuth2 functions share, and one reader that turns whatever a caller passed into checked
// options or a typed error naming every bad field (never its value: these options carry secrets).

import * as z from 'zod/mini';
import { httpUrl } from '../config/config-schemas.ts';
import { readOwnFields, UNREADABLE } from '../input/caller-input.ts';
import { type FieldIssue, IntegrationError, issuesError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { Secret, toSecret } from '../secrets/secret.ts';
import { CODE_VERIFIER_PATTERN } from './pkce.ts';

/** An http(s) endpoint URL without a fragment (RFC 6749 §3.1, §3.2). */
export const endpointUrl = z.pipe(
  httpUrl,
  z.string().check(z.refine((url) => !url.includes('#'), 'must not contain a fragment (#)')),
);

/** An absolute redirect URI without a fragment (RFC 6749 §3.1.2); native apps may use their own scheme. */
export const redirectUri = z.string({ error: 'must be a string' }).check(
  z.refine((uri) => {
    try {
      return new URL(uri).protocol.length > 1 && !uri.includes('#') && !/\s/.test(uri);
    } catch {
      return false;
    }
  }, 'must be an absolute URI without a fragment or spaces'),
);

/** A client id: printable ASCII (RFC 6749 Appendix A.1), not empty. */
export const clientId = z
  .string({ error: 'must be a string' })
  .check(z.regex(/^[\x20-\x7e]+$/, 'must be non-empty printable ASCII'));

const isSecretText = (value: unknown): value is string | Secret =>
  (typeof value === 'string' && value.length > 0) || (value instanceof Secret && !value.isEmpty);

/** A non-empty string or Secret, as a Secret. */
export const secretText = z.pipe(
  z.custom<string | Secret>(isSecretText, { error: 'must be a non-empty string or Secret' }),
  z.transform((value: string | Secret) => toSecret(value)),
);

/** A PKCE code verifier (RFC 7636 §4.1), as a Secret. */
export const codeVerifier = z.pipe(
  z.custom<string | Secret>(
    (value) =>
      isSecretText(value) && CODE_VERIFIER_PATTERN.test(value instanceof Secret ? value.reveal() : value),
    { error: 'must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)' },
  ),
  z.transform((value: string | Secret) => toSecret(value)),
);

/** How the client authenticates to the token endpoint. */
export const clientAuth = z.optional(z.enum(['body', 'basic'], { error: "must be 'body' or 'basic'" }));

/** A `fetch` to send token requests with. */
export const fetchOption = z.optional(
  z.custom<typeof fetch>((value) => typeof value === 'function', { error: 'must be a function' }),
);

/** A clock in epoch milliseconds. */
export const clockOption = z.optional(
  z.custom<() => number>((value) => typeof value === 'function', { error: 'must be a function' }),
);

/** A duration in whole milliseconds from `min`, at most 2³¹−1 (what a timer can wait). */
export const durationMs = (min: number) =>
  z
    .number({ error: 'must be a number' })
    .check(
      z.int('must be an integer (milliseconds)'),
      z.gte(min, `must be at least ${min}`),
      z.lte(2_147_483_647, 'must be at most 2147483647'),
    );

/**
 * Reads `value` (a caller's options object: each own property once, so no getter or Proxy can throw past this)
 * and validates it with `schema`: the parsed options, or a `code` error (`Invalid <label>: <field>: …`) listing
 * every bad field.
 */
export function readOAuthOptions<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  label: string,
  code: 'VALIDATION_ERROR' | 'CONFIG_ERROR',
): ApiResult<z.output<S>> {
  const issues: FieldIssue[] = [];
  const copy = readOwnFields(value, '', issues);
  if (!copy || issues.length > 0) return err(issuesError(code, label, issues, { listed: issues.length }));
  let parsed: ReturnType<S['safeParse']>;
  try {
    parsed = schema.safeParse(copy) as ReturnType<S['safeParse']>;
  } catch {
    return err(issuesError(code, label, [{ field: '(root)', message: UNREADABLE }]));
  }
  if (parsed.success) return ok(parsed.data as z.output<S>);
  const found = parsed.error.issues.map((issue) => ({
    field: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return err(issuesError(code, label, found, { listed: found.length }));
}

/** The clock's time; a clock that throws or answers no finite number throws a `CONFIG_ERROR` (field `clock`). */
export function readClock(clock: () => number): number {
  let now: unknown;
  try {
    now = clock();
  } catch {
    now = undefined;
  }
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new IntegrationError(
      'CONFIG_ERROR',
      'Invalid OAuth2 options: clock: must return finite epoch milliseconds',
      {
        field: 'clock',
        retryable: false,
      },
    );
  }
  return now;
}
