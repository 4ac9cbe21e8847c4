import { randomUUID } from 'node:crypto';
import {
  type ApiResult,
  type FailureWindowStore,
  ok,
  validateCircuitKey,
  validateFailureWindowRecord,
} from '@patchbay/core';
import { type Connection, luaScript, openConnection } from './connection.ts';
import { type RedisStoreOptions, resolveRedisStoreOptions } from './options.ts';

// Redis refuses an expiry past the year 292 million, and a script failing after its ZADD would keep the failure
// but lose the answer; 31 000 years is "for good" all the same.
const MAX_TTL_MS = 1e15;

// Core's FailureWindowStore rule in Lua, so that dropping aged failures, counting, adding one and taking the latch
// are one atomic step for every process. KEYS[1]: a sorted set of failures, scored by the caller's epoch ms, each
// a random member (failures in the same millisecond count apart); while a crossing has been answered, also the
// latch member '!' at score +inf, where no failure time can be and ZREMRANGEBYSCORE up to a finite cutoff never
// reaches. One key holds both, so the script stays a one-key script (Redis Cluster routes it whole).
// ARGV: 'record' | 'read' | 'reset', the threshold, the window (ms), the caller's now, the key's expiry (whole ms),
// the new failure's member.
// Times cross as `%.17g` text, exact for a double, so the cutoff is the one JavaScript computes.
// Replies { failures, crossed (0 | 1) }.
const FAILURE_WINDOW_SCRIPT = luaScript(`
local key = KEYS[1]
local op = ARGV[1]
if op == 'reset' then
  redis.call('DEL', key)
  return { 0, 0 }
end
local threshold, windowMs, now = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local cutoff = string.format('%.17g', now - windowMs)
local latched = redis.call('ZSCORE', key, '!') ~= false
local latch = 0
if latched then latch = 1 end
if op == 'read' then
  return { redis.call('ZCOUNT', key, '(' .. cutoff, '+inf') - latch, 0 }
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', cutoff)
local failures = redis.call('ZCARD', key) - latch
-- Aged below the threshold: the next time it is reached is a new crossing.
if latched and failures < threshold then
  redis.call('ZREM', key, '!')
  latched = false
end
redis.call('ZADD', key, string.format('%.17g', now), ARGV[6])
failures = failures + 1
local crossed = 0
if failures >= threshold and not latched then
  redis.call('ZADD', key, '+inf', '!')
  crossed = 1
end
-- Every failure in it ages out within a window of this record (callers' clocks agree to milliseconds), and a key
-- with none left is the same as no key: Redis drops idle keys on its own.
redis.call('PEXPIRE', key, ARGV[5])
return { failures, crossed }
`);

/** A FailureWindowStore in Redis, and the way to close the connection it opened. */
export interface RedisFailureWindowStore extends FailureWindowStore {
  /** Closes the connection the store opened from `url` (a `client` you passed stays open); later calls fail. */
  close(): Promise<void>;
}

async function runScript(
  connection: Connection,
  operation: 'record' | 'read' | 'reset',
  key: string,
  args: readonly string[],
): Promise<ApiResult<{ failures: number; crossed: boolean }>> {
  return connection.run(`failureWindow.${operation}`, async (client) => {
    const reply = (await connection.script(client, FAILURE_WINDOW_SCRIPT, connection.key('failures', key), [
      operation,
      ...args,
    ])) as number[];
    return { failures: Number(reply[0]), crossed: reply[1] === 1 };
  });
}

/**
 * Core's `FailureWindowStore` in Redis, for `alertOnFailures({ store })` of `@patchbay/scheduler`: every process
 * using the same Redis, prefix and key counts one window of failures, and of all their records exactly one answers
 * `crossed` per crossing of the threshold. Each call is one Lua script over a sorted set of failure times (the
 * caller's clock) at `<prefix>failures:<key>`, which expires a window after its last record. Never throws or
 * rejects: bad arguments are a `VALIDATION_ERROR`, a Redis failure a typed error (`NETWORK_ERROR`, `TIMEOUT`, …).
 * @example
 * const alerts = alertOnFailures({ deliver, store: createRedisFailureWindowStore({ client: redis }) });
 * @throws IntegrationError `CONFIG_ERROR` for invalid options (the URL's value never echoed).
 */
export function createRedisFailureWindowStore(options: RedisStoreOptions): RedisFailureWindowStore {
  const connection = openConnection(resolveRedisStoreOptions(options, 'Redis failure window store options'));
  // The script's arguments after core's checks: the key, then threshold, window and now as exact text, and the
  // key's expiry as whole ms, capped (PEXPIRE refuses a window of 1e300 ms, after the script's writes).
  const scriptArgs = (key: unknown, policy: unknown, now: unknown): ApiResult<[string, string[]]> => {
    const checked = validateFailureWindowRecord(key, policy, now);
    if (!checked.success) return checked;
    const { threshold, windowMs } = checked.data.policy;
    const ttlMs = Math.min(Math.ceil(windowMs), MAX_TTL_MS);
    return ok([
      checked.data.key,
      [String(threshold), String(windowMs), String(checked.data.now), String(ttlMs)],
    ]);
  };
  return {
    async record(key, policy, now) {
      const checked = scriptArgs(key, policy, now);
      if (!checked.success) return checked;
      const [name, args] = checked.data;
      return runScript(connection, 'record', name, [...args, randomUUID()]);
    },
    async read(key, policy, now) {
      const checked = scriptArgs(key, policy, now);
      if (!checked.success) return checked;
      const counted = await runScript(connection, 'read', ...checked.data);
      return counted.success ? ok({ failures: counted.data.failures }) : counted;
    },
    async reset(key) {
      // A failure window's key follows a breaker key's rules (core checks both with one function).
      const checked = validateCircuitKey(key);
      if (!checked.success) return checked;
      const reset = await runScript(connection, 'reset', checked.data, []);
      return reset.success ? ok({ failures: 0 }) : reset;
    },
    close: () => connection.close(),
  };
}
