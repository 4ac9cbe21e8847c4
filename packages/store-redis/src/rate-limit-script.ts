import { luaScript } from './connection.ts';

// The token bucket of @patchbay/core's memory store (rate-limit-store.ts), step for step, in one Lua script so
// that reading, refilling and taking are one atomic step for every process. Lua numbers are IEEE doubles like
// JavaScript's, and each operation is the memory store's in the same order, so the answers are the same to the
// bit; numbers cross the wire as `%.17g` text (exact for a double) because Redis would truncate a Lua number
// reply to an integer.
//
// KEYS[1]: the bucket, a hash: t = tokens ('inf' before any take knew the capacity), u = updated at,
//          b = blocked until (absent: no block), c / r = the last bucket seen (capacity, refill per ms).
// ARGV[1]: 'take' | 'update' | 'peek'
// ARGV[2]: the clock: 'redis' (Redis's TIME; the caller's times are translated) or 'caller' (ARGV[3] as is)
// ARGV[3]: the caller's now (epoch ms)
// take:   ARGV[4] capacity, ARGV[5] refill per ms, ARGV[6] cost → the wait in ms ('0': granted)
// update: ARGV[4] remaining or '', ARGV[5] blocked until (caller's epoch ms) or '' → ''
// peek:   ARGV[4] capacity, ARGV[5] refill per ms → { tokens, blocked until (caller's epoch ms) or nothing }
//
// Expiry: a bucket whose tokens are full and whose block is over is the same as no bucket (a new one starts
// full), so the key lives until then, plus a second; a bucket whose capacity is not known yet (feedback before any
// take) lives a day.
const SOURCE = `
local EPSILON = 1e-9
local MARGIN_MS = 1000
local UNSIZED_TTL_MS = 86400000
local MAX_TTL_MS = 1e15

local function num(s)
  if s == 'inf' then return math.huge end
  if s == '-inf' then return -math.huge end
  return tonumber(s)
end
local function str(x)
  if x == math.huge then return 'inf' end
  if x == -math.huge then return '-inf' end
  return string.format('%.17g', x)
end

local key = KEYS[1]
local op = ARGV[1]
local cnow = num(ARGV[3])
local now = cnow
local redisClock = ARGV[2] == 'redis'
if redisClock then
  if redis.replicate_commands then redis.replicate_commands() end
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end

local e = nil
local h = redis.call('HMGET', key, 't', 'u', 'b', 'c', 'r')
if h[2] then
  e = { t = num(h[1]), u = tonumber(h[2]) }
  if h[3] then e.b = num(h[3]) end
  if h[4] then e.c = tonumber(h[4]); e.r = tonumber(h[5]) end
end

local function refill(cap, rate)
  if cap then
    local elapsed = math.max(0, now - e.u)
    e.t = math.min(cap, e.t + elapsed * rate)
    e.c = cap
    e.r = rate
  end
  e.u = math.max(e.u, now)
  if e.b and e.b <= now then e.b = nil end
end

local function save()
  redis.call('DEL', key)
  if e.b then
    redis.call('HSET', key, 't', str(e.t), 'u', str(e.u), 'b', str(e.b))
  else
    redis.call('HSET', key, 't', str(e.t), 'u', str(e.u))
  end
  local ttl = UNSIZED_TTL_MS
  if e.c then
    ttl = 0
    if e.t < e.c then ttl = (e.c - e.t) / e.r end
  end
  if e.b then ttl = math.max(ttl, e.b - now) end
  if e.c then redis.call('HSET', key, 'c', str(e.c), 'r', str(e.r)) end
  if ttl < MAX_TTL_MS then
    redis.call('PEXPIRE', key, string.format('%d', math.ceil(ttl) + MARGIN_MS))
  end
end

if op == 'take' then
  local cap, rate, cost = num(ARGV[4]), num(ARGV[5]), num(ARGV[6])
  if not e then e = { t = cap, u = now } end
  refill(cap, rate)
  local blockWait = 0
  if e.b then blockWait = e.b - now end
  local missing = cost - e.t
  if blockWait <= 0 and missing <= EPSILON then
    e.t = math.max(0, e.t - cost)
    save()
    return '0'
  end
  local tokenWait = 0
  if missing > EPSILON then tokenWait = missing / rate end
  save()
  return str(math.max(1, math.ceil(math.max(blockWait, tokenWait))))
end

if op == 'update' then
  local remaining = nil
  local blocked = nil
  if ARGV[4] ~= '' then remaining = num(ARGV[4]) end
  if ARGV[5] ~= '' then
    blocked = num(ARGV[5])
    -- A block is a duration from the caller's now, whichever clock keeps the bucket.
    if redisClock then blocked = now + (blocked - cnow) end
  end
  if not e then
    if remaining == nil and blocked == nil then return '' end
    local start = math.huge
    if remaining ~= nil then start = remaining end
    e = { t = start, u = now }
  end
  refill(e.c, e.r)
  if remaining ~= nil and remaining >= 0 then e.t = math.min(e.t, remaining) end
  if blocked ~= nil and blocked > now then e.b = math.max(e.b or 0, blocked) end
  save()
  return ''
end

if op == 'peek' then
  local cap, rate = num(ARGV[4]), num(ARGV[5])
  if not e then return { str(cap) } end
  refill(cap, rate)
  save()
  if e.b then
    local blockedUntil = e.b
    if redisClock then blockedUntil = e.b - now + cnow end
    return { str(e.t), str(blockedUntil) }
  end
  return { str(e.t) }
end

return redis.error_reply('ERR unknown rate-limit operation')
`;

/** The bucket script (see the comment above its source). */
export const RATE_LIMIT_SCRIPT = luaScript(SOURCE);

/** A number as the script reads it: `%.17g`-exact decimal, or `inf` / `-inf`. */
export function toLuaNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}

/** A number the script wrote. */
export function fromLuaNumber(text: unknown): number {
  if (text === 'inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}
