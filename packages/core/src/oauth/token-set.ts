// An OAuth2 token set: what a token endpoint answers (RFC 6749 §5.1), as the rest of core holds it (secrets
// wrapped, expiry as a point in time), and as a store keeps it (one JSON text, encrypted by the store).

import * as z from 'zod/mini';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { Secret } from '../secrets/secret.ts';

/** The tokens of one connection. Tokens are `Secret`s: they print `[REDACTED]`. */
export interface OAuth2TokenSet {
  accessToken: Secret;
  /** As the server spelled it; always Bearer (RFC 6750), in any case. */
  tokenType: string;
  /** Epoch milliseconds at which the access token lapses; `null` when the server did not say (`expires_in`). */
  expiresAt: number | null;
  /** `null` when the server issued none; a refresh that returns none keeps the previous one (RFC 6749 §6). */
  refreshToken: Secret | null;
  /** The granted scope (space-separated), `null` when the server did not say. */
  scope: string | null;
  /** Epoch milliseconds at which the set was received. */
  obtainedAt: number;
}

const nonEmpty = z.string({ error: 'must be a string' }).check(z.minLength(1, 'must not be empty'));
// Some servers send the lifetime as a numeric string ("3600"); both mean seconds.
const lifetime = z.union(
  [
    z.number().check(z.nonnegative('must not be negative')),
    z.string().check(z.regex(/^\d{1,12}$/, 'must be a whole number of seconds')),
  ],
  { error: 'must be a number of seconds' },
);

/** A successful token response (RFC 6749 §5.1); other members (`id_token`…) are ignored. */
export const oauth2TokenResponseSchema = z.object({
  access_token: nonEmpty,
  token_type: nonEmpty.check(z.refine((type) => type.toLowerCase() === 'bearer', 'must be Bearer')),
  expires_in: z.optional(z.nullable(lifetime)),
  refresh_token: z.optional(z.nullable(z.string({ error: 'must be a string' }))),
  scope: z.optional(z.nullable(z.string({ error: 'must be a string' }))),
});

/** A token response as the server sent it, validated. */
export type OAuth2TokenResponse = z.output<typeof oauth2TokenResponseSchema>;

/**
 * The token set a validated response stands for, received at `now`. A refresh answer without a refresh token or
 * scope keeps `previous`'s (RFC 6749 §6: the server MAY issue a new refresh token; the scope defaults to the
 * original one).
 */
export function tokenSetFromResponse(
  response: OAuth2TokenResponse,
  now: number,
  previous?: OAuth2TokenSet,
): OAuth2TokenSet {
  const seconds = response.expires_in == null ? undefined : Number(response.expires_in);
  const refresh = response.refresh_token ? new Secret(response.refresh_token) : null;
  return {
    accessToken: new Secret(response.access_token),
    tokenType: response.token_type,
    expiresAt: seconds === undefined ? null : now + seconds * 1000,
    refreshToken: refresh ?? previous?.refreshToken ?? null,
    scope: response.scope ?? previous?.scope ?? null,
    obtainedAt: now,
  };
}

const epochMs = z.number().check(z.int('must be an integer'), z.nonnegative('must not be negative'));
const storedSchema = z.object({
  v: z.literal(1),
  accessToken: nonEmpty,
  tokenType: nonEmpty,
  expiresAt: z.nullable(epochMs),
  refreshToken: z.nullable(nonEmpty),
  scope: z.nullable(z.string()),
  obtainedAt: epochMs,
});

/**
 * The token set as one JSON text, for an `OAuth2TokenStore` to keep: it holds the tokens in plain text, so a
 * store must encrypt it at rest (the configuration store does).
 */
export function serializeOAuth2TokenSet(set: OAuth2TokenSet): string {
  return JSON.stringify({
    v: 1,
    accessToken: set.accessToken.reveal(),
    tokenType: set.tokenType,
    expiresAt: set.expiresAt === null ? null : Math.round(set.expiresAt),
    refreshToken: set.refreshToken?.reveal() ?? null,
    scope: set.scope,
    obtainedAt: Math.round(set.obtainedAt),
  });
}

/**
 * Reads a text written by {@link serializeOAuth2TokenSet}. Anything else is a `CONFIG_ERROR` (field `tokens`)
 * that says the connection must be authorized again, and never quotes the text.
 */
export function parseOAuth2TokenSet(text: unknown): ApiResult<OAuth2TokenSet> {
  let json: unknown;
  try {
    json = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const checked = storedSchema.safeParse(json);
  if (!checked.success) {
    return err(
      new IntegrationError(
        'CONFIG_ERROR',
        'The stored OAuth2 token set is not readable (not one this version wrote); authorize the connection again',
        { field: 'tokens', retryable: false },
      ),
    );
  }
  const stored = checked.data;
  return ok({
    accessToken: new Secret(stored.accessToken),
    tokenType: stored.tokenType,
    expiresAt: stored.expiresAt,
    refreshToken: stored.refreshToken === null ? null : new Secret(stored.refreshToken),
    scope: stored.scope,
    obtainedAt: stored.obtainedAt,
  });
}

/** True when `value` has the shape of an OAuth2TokenSet (tokens as Secrets), read without throwing (internal). */
export function isOAuth2TokenSet(value: unknown): value is OAuth2TokenSet {
  try {
    if (typeof value !== 'object' || value === null) return false;
    const set = value as Record<string, unknown>;
    const time = (t: unknown) => typeof t === 'number' && Number.isFinite(t);
    return (
      set.accessToken instanceof Secret &&
      !set.accessToken.isEmpty &&
      typeof set.tokenType === 'string' &&
      (set.expiresAt === null || time(set.expiresAt)) &&
      (set.refreshToken === null || set.refreshToken instanceof Secret) &&
      (set.scope === null || typeof set.scope === 'string') &&
      time(set.obtainedAt)
    );
  } catch {
    return false;
  }
}
