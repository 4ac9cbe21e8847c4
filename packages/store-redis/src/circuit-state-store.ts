import {
  type ApiResult,
  type CircuitProbeClaim,
  type CircuitSnapshot,
  type CircuitStateStore,
  validateCircuitKey,
  validateCircuitRecord,
  validateCircuitRelease,
} from '@patchbay/core';
import { type Connection, luaScript, openConnection } from './connection.ts';
import { type RedisStoreOptions, resolveRedisStoreOptions } from './options.ts';

// core's applyCircuitRecord, applyCircuitProbeClaim and applyCircuitProbeRelease in Lua, so that reading the state,
// applying a change and writing it back is one atomic step for every process. KEYS[1]: a hash, f = failures,
// o = opened at, p = when the half-open probe was claimed (o and p absent when not so); no hash: closed with no
// failures. ARGV: 'failure' | 'success' | 'claim' | 'release' | 'read' | 'reset', then the threshold, the cooldown
// (ms) and the caller's now ('release': the probe's claim time). Replies { failures, opened at, probe at,
// granted } as text ('' for absent): Redis truncates Lua numbers to integers.
const CIRCUIT_SCRIPT = luaScript(`
local key = KEYS[1]
local op = ARGV[1]
local h = redis.call('HMGET', key, 'f', 'o', 'p')
local failures = tonumber(h[1]) or 0
local openedAt = tonumber(h[2])
local probeAt = tonumber(h[3])
local granted = ''
local function num(n)
  if n then return string.format('%.17g', n) end
  return ''
end
local function reply() return { num(failures), num(openedAt), num(probeAt), granted } end
if op == 'read' then return reply() end
if op == 'reset' then
  redis.call('DEL', key)
  failures, openedAt, probeAt = 0, nil, nil
  return reply()
end
if op == 'release' then
  if openedAt and probeAt and probeAt == tonumber(ARGV[2]) then
    probeAt = nil
    redis.call('HDEL', key, 'p')
  end
  return reply()
end
local threshold, cooldown, now = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if op == 'claim' then
  if not openedAt then
    granted = '1'
  elseif now - openedAt < cooldown or (probeAt and now - probeAt < cooldown) then
    granted = '0'
  else
    granted = '1'
    probeAt = now
    redis.call('HSET', key, 'p', num(now))
  end
  return reply()
end
if openedAt then
  -- Within the cooldown, answers to calls sent before it opened change nothing.
  if now - openedAt < cooldown then return reply() end
  probeAt = nil
  if op == 'failure' then openedAt = now else failures = 0; openedAt = nil end
elseif op == 'success' then
  failures = 0
else
  failures = failures + 1
  if failures >= threshold then openedAt = now end
end
redis.call('DEL', key)
if openedAt then
  redis.call('HSET', key, 'f', num(failures), 'o', num(openedAt))
elseif failures > 0 then
  redis.call('HSET', key, 'f', num(failures))
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
): Promise<ApiResult<CircuitProbeClaim>> {
  return connection.run(`circuit.${operation}`, async (client) => {
    const reply = (await connection.script(client, CIRCUIT_SCRIPT, connection.key('circuit', key), [
      operation,
      ...args,
    ])) as string[];
    const snapshot: CircuitSnapshot = { failures: Number(reply[0]) };
    if (reply[1]) snapshot.openedAt = Number(reply[1]);
    if (reply[2]) snapshot.probeAt = Number(reply[2]);
    return { granted: reply[3] === '1', snapshot };
  });
}

const snapshotOf = (result: ApiResult<CircuitProbeClaim>): ApiResult<CircuitSnapshot> =>
  result.success ? { success: true, data: result.data.snapshot } : result;

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
  const apply = async (
    operation: 'failure' | 'success' | 'claim',
    key: unknown,
    policy: unknown,
    now: unknown,
  ) => {
    const checked = validateCircuitRecord(key, policy, now);
    if (!checked.success) return checked;
    const { failureThreshold, cooldownMs } = checked.data.policy;
    return runScript(connection, operation, checked.data.key, [
      String(failureThreshold),
      String(cooldownMs),
      String(checked.data.now),
    ]);
  };
  const keyed = async (operation: 'read' | 'reset', key: unknown) => {
    const checked = validateCircuitKey(key);
    if (!checked.success) return checked;
    return snapshotOf(await runScript(connection, operation, checked.data, []));
  };
  return {
    recordFailure: async (key, policy, now) => snapshotOf(await apply('failure', key, policy, now)),
    recordSuccess: async (key, policy, now) => snapshotOf(await apply('success', key, policy, now)),
    claimProbe: (key, policy, now) => apply('claim', key, policy, now),
    async releaseProbe(key, probeAt) {
      const checked = validateCircuitRelease(key, probeAt);
      if (!checked.success) return checked;
      const { key: name, probeAt: at } = checked.data;
      return snapshotOf(await runScript(connection, 'release', name, [String(at)]));
    },
    read: (key) => keyed('read', key),
    reset: (key) => keyed('reset', key),
    close: () => connection.close(),
  };
}
