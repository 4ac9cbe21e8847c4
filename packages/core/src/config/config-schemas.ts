import * as z from 'zod/mini';
import { Secret, toSecret } from '../secrets/secret.ts';
import { isSyncModeName, MAX_SYNC_MODE_LENGTH } from '../store/store-validation.ts';

// Each piece customizes only the message for a value that is present: for a missing one it returns
// undefined, so the library's generic message stays and resolveConfig can report the field as Required.
const whenPresent =
  (message: string) =>
  (issue: { input?: unknown }): string | undefined =>
    issue.input === undefined ? undefined : message;

const TRUTHY = ['true', '1', 'yes'];
const FALSY = ['false', '0', 'no'];

// The module's schemas are built in `/* @__PURE__ */` calls: a bundler drops an unused top-level call only when
// told it has no side effects, and the HTTP client imports this module (httpUrlSchema) without the others.
// The words are read by hand rather than with z.stringbool: that is a codec, and zod's codec machinery would be in
// every bundle holding this schema for an encoding direction nothing uses. Same words, same issue on a miss.

/**
 * A boolean from an env-style string: true/false, 1/0, yes/no (any case), or a real boolean.
 * @example z.object({ enabled: booleanFromEnv }).parse({ enabled: 'YES' }) // { enabled: true }
 */
export const booleanFromEnv = /* @__PURE__ */ (() =>
  z.union(
    [
      z.boolean(),
      z.pipe(
        z.string(),
        z.transform((value: string, ctx): boolean => {
          const word = value.toLowerCase();
          if (TRUTHY.includes(word)) return true;
          if (!FALSY.includes(word)) {
            // The issue z.stringbool raises, `expected` included (a field zod's issue type leaves out).
            const issue = {
              code: 'invalid_value' as const,
              expected: 'stringbool',
              values: [...TRUTHY, ...FALSY],
            };
            ctx.issues.push({ ...issue, input: value, continue: false });
          }
          return false;
        }),
      ),
    ],
    { error: whenPresent('must be one of true, false, 1, 0, yes, no') },
  ))();

// The URL parser percent-encodes inner spaces, so a pasted value with a space inside would reach another URL
// than the one shown.
const hasSpaceOrControl = (url: string): boolean => {
  if (/\s/.test(url)) return true;
  for (let i = 0; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
};

/**
 * The checks behind {@link httpUrl}, with the message of a value that is not an http(s) URL. Internal:
 * the HTTP client builds its `baseUrl` rule on it.
 */
export function httpUrlSchema(message: string) {
  return z.string({ error: whenPresent(message) }).check(
    // Explicit rather than relying on the URL check's own normalisation: the trimmed value is what is used.
    z.trim(),
    // The URL parser drops inner tabs and newlines: so does the value kept, so it is the one used.
    z.overwrite((url: string) => url.replace(/[\t\n\r]/g, '')),
    // One check with one issue, not a URL check that aborts: an aborting issue would also stop the refinements
    // of the object holding this field (apiKey "required when enabled"), hiding every other bad field.
    z.check((ctx) => {
      const reason = !isHttpUrl(ctx.value)
        ? message
        : hasSpaceOrControl(ctx.value)
          ? 'must not contain spaces or control characters'
          : undefined;
      if (reason) ctx.issues.push({ code: 'custom', message: reason, input: ctx.value });
    }),
  );
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * A string that parses as an http: or https: URL (localhost and IP hosts allowed, for self-hosted
 * instances); surrounding whitespace is trimmed, inner spaces and control characters are refused.
 * @example z.object({ baseUrl: httpUrl }).parse({ baseUrl: 'http://localhost:3000' })
 */
export const httpUrl = /* @__PURE__ */ httpUrlSchema('must be an http(s) URL');

const isNonEmptySecretInput = (value: unknown): value is string | Secret =>
  (typeof value === 'string' && value.length > 0) || (value instanceof Secret && !value.isEmpty);

/**
 * A non-empty string wrapped in a Secret (which prints as `[REDACTED]`); a non-empty Secret passes through.
 * @example z.object({ apiKey: secretString }).parse({ apiKey: env.CRM_API_KEY }).apiKey.reveal()
 */
export const secretString = /* @__PURE__ */ (() =>
  z.pipe(
    z.custom<string | Secret>(isNonEmptySecretInput, { error: whenPresent('must be a non-empty string') }),
    z.transform((value: string | Secret) => toSecret(value)),
  ))();

/**
 * A sync mode's name as core knows it: a non-empty string of at most 100 characters, without surrounding spaces.
 * Which modes exist is the connector's to say (`defineConnector`'s `modes`); core gives meaning only to
 * `'disabled'`.
 * @example z.object({ syncMode: syncModeName }).parse({ syncMode: 'platform' })
 */
export const syncModeName = /* @__PURE__ */ (() =>
  z.string({ error: whenPresent('must be a string') }).check(
    z.refine((value) => isSyncModeName(value), {
      message: `must be a non-empty string of at most ${MAX_SYNC_MODE_LENGTH} characters, without surrounding spaces`,
    }),
  ))();
