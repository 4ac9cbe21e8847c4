import { IntegrationError, optionsObject, parseOptions } from '@patchbay/core';
import type { Redis } from 'ioredis';
import * as z from 'zod/mini';

/** Where a Redis store keeps its keys: a URL it connects to itself, or an ioredis client of yours. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). Exactly one of `url` and `client`. */
  url?: string;
  /**
   * An ioredis client (a `Redis` instance) to share with the rest of the app; the store neither configures nor
   * closes it. Exactly one of `url` and `client`.
   */
  client?: Redis;
  /** Put before every key the store writes, e.g. `'myapp:'`. Default `'patchbay:'`. */
  prefix?: string;
}

/** The options after validation and defaults. */
export interface ResolvedRedisStoreOptions {
  url: string | undefined;
  client: Redis | undefined;
  prefix: string;
  /** The options as read once (a plain copy), for a store's own fields. */
  read: Record<string, unknown>;
}

const isFunction = (value: unknown): boolean => typeof value === 'function';
// What the stores call on a client: enough to tell an ioredis client from an options object or a node-redis one.
const CLIENT_METHODS = ['evalsha', 'eval', 'set', 'scan', 'quit'] as const;

const optionsSchema = z.object({
  // Never echo the value: it may carry a password.
  url: z.optional(z.string().check(z.regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL'))),
  client: z.optional(
    z.custom<Redis>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        CLIENT_METHODS.every((name) => isFunction((value as unknown as Record<string, unknown>)[name])),
      { error: 'must be an ioredis client (new Redis(…))' },
    ),
  ),
  prefix: z.optional(
    z.string({ error: 'must be a string' }).check(
      z.maxLength(256, 'must be at most 256 characters'),
      z.refine(
        (value) => value.isWellFormed() && !value.includes('\u0000'),
        'must be well-formed text without NUL',
      ),
    ),
  ),
});

/**
 * Validates the options (throws `CONFIG_ERROR` naming the bad field, never a URL's value) and applies defaults.
 * @example const { client, url, prefix } = resolveRedisStoreOptions({ url: 'redis://127.0.0.1:6379' }, 'Redis rate-limit store options');
 */
export function resolveRedisStoreOptions(
  options: RedisStoreOptions,
  label: string,
): ResolvedRedisStoreOptions {
  const read = optionsObject(options, { label }) as Record<string, unknown>;
  const parsed = parseOptions(optionsSchema, read, { label });
  if ((parsed.url === undefined) === (parsed.client === undefined)) {
    throw new IntegrationError('CONFIG_ERROR', `${label}: give exactly one of url and client`, {
      field: parsed.url === undefined ? 'url' : 'client',
      retryable: false,
    });
  }
  return { url: parsed.url, client: parsed.client, prefix: parsed.prefix ?? 'patchbay:', read };
}

/** The password of a Redis URL, raw and percent-decoded, for scrubbing it out of error messages. */
export function urlSecrets(url: string | undefined): string[] {
  if (url === undefined) return [];
  const match = /^[a-z]+:\/\/([^/@]*)@/i.exec(url);
  const userinfo = match?.[1];
  if (!userinfo) return [url];
  // `redis://:password@host` and `redis://user:password@host`; a lone `redis://password@host` is not a form
  // ioredis reads as a password, but scrub it too.
  const raw = userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : userinfo;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A malformed escape: the raw form is what a driver would show anyway.
  }
  return [...new Set([url, raw, decoded].filter((secret) => secret.length > 0))];
}
