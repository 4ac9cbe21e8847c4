import {
  type ApiResult,
  type CircuitSnapshot,
  type CircuitStateStore,
  validateCircuitKey,
  validateCircuitRecord,
} from '@patchbay/core';
import { type Connection, luaScript, openConnection } from './connection.ts';
import { type RedisStoreOptions, resolveRedisStoreOptions } from './options.ts';

// core's applyCircuitRecord in Lua, so that reading the state, applying a record and writing it back is one atomic
// step for every process. KEYS[1]: a hash, f = failures, o = opened at (absent while closed); no hash: closed with
// no failures. ARGV: 'failure' | 'success' | 'read' | 'reset', the threshold, the cooldown (ms), the caller's now.
// Replies { failures, opened at } or { failures }, as text: Redis truncates Lua numbers to integers.
const CIRCUIT_SCRIPT = luaScript(`
local key = KEYS[1]
local op = ARGV[1]
local h = redis.call('HMGET', key, 'f', 'o')
local failures = tonumber(h[1]) or 0
local openedAt = nil
if h[2] then openedAt = tonumber(h[2]) end
local function reply()
  if openedAt then return { string.format('%.17g', failures), string.format('%.17g', openedAt) } end
  return { string.format('%.17g', failures) }
end
if op == 'read' then return reply() end
if op == 'reset' then
  redis.call('DEL', key)
  return { '0' }
end
local threshold, cooldown, now = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if openedAt then
  -- Within the cooldown, answers to calls sent before it opened change nothing.
  if now - openedAt < cooldown then return reply() end
  if op == 'failure' then openedAt = now else failures = 0; openedAt = nil end
elseif op == 'success' then
  failures = 0
else
  failures = failures + 1
  if failures >= threshold then openedAt = now end
end
redis.call('DEL', key)
if openedAt then
  redis.call('HSET', key, 'f', string.format('%.17g', failures), 'o', string.format('%.17g', openedAt))
elseif failures > 0 then
  redis.call('HSET', key, 'f', string.format('%.17g', failures))
end
return reply()
`);

/** A CircuitStateStore in Redis, and the way to close the connection it opened. */
export interface RedisCircuitStateStore extends CircuitStateStore {
  /** Closes the connection the store opened from `url` (a `client` you passed stays open); later calls fail. */
  close(): Promise<void>;
}

async function runScript(
  connection: Connection,
  operation: string,
  key: string,
  args: readonly string[],
): Promise<ApiResult<CircuitSnapshot>> {
  return connection.run(`circuit.${operation}`, async (client) => {
    const reply = (await connection.script(client, CIRCUIT_SCRIPT, connection.key('circuit', key), [
      operation,
      ...args,
    ])) as string[];
    const failures = Number(reply[0]);
    return reply.length > 1 ? { failures, openedAt: Number(reply[1]) } : { failures };
  });
}

/**
 * Core's `CircuitStateStore` in Redis, for `createCircuitBreaker({ store, key })`: every process using the same
 * Redis, prefix and breaker key shares one breaker (failures anywhere count toward the threshold, an open breaker
 * refuses everywhere). Each record is one Lua script applying core's `applyCircuitRecord` atomically, on the
 * caller's clock (cooldowns are minutes; clocks under NTP agree to milliseconds). Keys: `<prefix>circuit:<key>`,
 * deleted whenever the breaker is closed with no failures. Never throws or rejects: bad arguments are a
 * `VALIDATION_ERROR`, a Redis failure a typed error, and the breaker then decides on its own counts.
 * @example
 * const breaker = createCircuitBreaker({ store: createRedisCircuitStateStore({ client }), key: 'twenty:acme' });
 * @throws IntegrationError `CONFIG_ERROR` for invalid options (the URL's value never echoed).
 */
export function createRedisCircuitStateStore(options: RedisStoreOptions): RedisCircuitStateStore {
  const connection = openConnection(resolveRedisStoreOptions(options, 'Redis circuit state store options'));
  const record = async (operation: 'failure' | 'success', key: unknown, policy: unknown, now: unknown) => {
    const checked = validateCircuitRecord(key, policy, now);
    if (!checked.success) return checked;
    const { failureThreshold, cooldownMs } = checked.data.policy;
    return runScript(connection, operation, checked.data.key, [
      String(failureThreshold),
      String(cooldownMs),
      String(checked.data.now),
    ]);
  };
  return {
    recordFailure: (key, policy, now) => record('failure', key, policy, now),
    recordSuccess: (key, policy, now) => record('success', key, policy, now),
    async read(key) {
      const checked = validateCircuitKey(key);
      if (!checked.success) return checked;
      return runScript(connection, 'read', checked.data, []);
    },
    async reset(key) {
      const checked = validateCircuitKey(key);
      if (!checked.success) return checked;
      return runScript(connection, 'reset', checked.data, []);
    },
    close: () => connection.close(),
  };
}
