import { createHash } from 'node:crypto';
import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';
import { Redis } from 'ioredis';
import { closedError, toRedisError } from './errors.ts';
import { type ResolvedRedisStoreOptions, urlSecrets } from './options.ts';

/** A Lua script and its SHA-1, sent by hash (EVALSHA) once Redis has it. */
export interface LuaScript {
  source: string;
  sha: string;
}

/** A script ready to run by hash. */
export const luaScript = (source: string): LuaScript => ({
  source,
  sha: createHash('sha1').update(source).digest('hex'),
});

/** What every store of this package runs on: a client, the key prefix, typed errors and closing. */
export interface Connection {
  /** `<prefix><kind>:<name>`; a name that is not well-formed text gets an encoding no text key can equal. */
  key(kind: string, name: string): string | Buffer;
  /** Runs a command; whatever ioredis throws comes back as a typed error, the URL's password scrubbed. */
  run<T>(operation: string, command: (client: Redis) => Promise<T>): Promise<ApiResult<T>>;
  /** Runs a one-key script by hash, loading it when Redis does not have it (first use, restart, failover). */
  script(client: Redis, script: LuaScript, key: string | Buffer, args: readonly string[]): Promise<unknown>;
  /** Closes the connection the store opened itself; a client you passed stays open. */
  close(): Promise<void>;
}

// A store's own connection fails fast: a rate limiter or a breaker waiting half a minute for Redis holds every
// call behind it. A caller's client keeps its own settings.
const OWN_CLIENT_OPTIONS = {
  lazyConnect: true,
  maxRetriesPerRequest: 1,
  connectTimeout: 5_000,
  commandTimeout: 5_000,
} as const;

/**
 * Opens (lazily: the first command connects) the store's connection, or wraps the caller's client.
 * @throws IntegrationError `CONFIG_ERROR` naming `url` when ioredis cannot read it.
 */
export function openConnection(options: ResolvedRedisStoreOptions): Connection {
  const secrets = urlSecrets(options.url);
  const owned = options.client === undefined;
  let client: Redis;
  if (options.client) client = options.client;
  else {
    try {
      client = new Redis(options.url ?? '', OWN_CLIENT_OPTIONS);
    } catch {
      throw new IntegrationError('CONFIG_ERROR', 'Redis store options: url could not be read', {
        field: 'url',
        retryable: false,
      });
    }
    // Connection errors reach each call as its rejection; without a listener ioredis would also print them.
    client.on('error', () => {});
  }
  let closed = false;

  return {
    key(kind, name) {
      const head = `${options.prefix}${kind}:`;
      if (name.isWellFormed()) return `${head}${name}`;
      // UTF-8 never holds 0xFF, so this key cannot collide with any text key, and each UTF-16 unit is kept.
      return Buffer.concat([Buffer.from(head), Buffer.from([0xff]), Buffer.from(name, 'utf16le')]);
    },
    async run(operation, command) {
      if (closed) return err(closedError(operation));
      try {
        return ok(await command(client));
      } catch (error) {
        return err(closed ? closedError(operation) : toRedisError(error, operation, secrets));
      }
    },
    async script(on, lua, key, args) {
      try {
        return await on.evalsha(lua.sha, 1, key, ...args);
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
        return on.eval(lua.source, 1, key, ...args);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (!owned) return;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
