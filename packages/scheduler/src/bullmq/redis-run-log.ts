// The run log on Redis: runs under way in a hash (one entry per job, `<kind>:<jobId>`), finished runs at the head
// of two capped lists (all kinds, and the run's kind). Each change is one Lua script, so a run is never in both
// or neither. A run whose process died stays in the hash until its job runs again (the next start moves it to the
// lists as it was, `running`, which reads as `interrupted`) or a reader finds its job no longer active.
import type { Redis } from 'ioredis';
import type { JobRun } from '../scheduler.ts';

// KEYS: running hash, all-runs list, kind's list. ARGV: field, run JSON, list size.
const START = `
local previous = redis.call('HGET', KEYS[1], ARGV[1])
if previous then
  redis.call('LPUSH', KEYS[2], previous)
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
  redis.call('LPUSH', KEYS[3], previous)
  redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

// KEYS as START. ARGV: field, finished run JSON, list size, the JSON the run started with (removed from the
// hash only when still that run's: a run that outlived its lock must not remove the run that took over).
const FINISH = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[4] then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('LPUSH', KEYS[2], ARGV[2])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
redis.call('LPUSH', KEYS[3], ARGV[2])
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)
return 1`;

// KEYS as START. ARGV: field, list size, the JSON found running: moved to the lists as it is (it reads as
// interrupted), unless another run of the job took its place meanwhile.
const SETTLE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current ~= ARGV[3] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('LPUSH', KEYS[2], current)
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
redis.call('LPUSH', KEYS[3], current)
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[2]) - 1)
return 1`;

/** The run log of one scheduler prefix. */
export interface RedisRunLog {
  /** Records a run's start; resolves the JSON to give `finish`. */
  start(run: JobRun): Promise<string>;
  finish(run: JobRun, started: string): Promise<void>;
  /** Runs under way (or left by a dead process), of one kind or all, with the JSON each is stored as. */
  running(name: string | null): Promise<{ run: JobRun; stored: string }[]>;
  /** Moves a run left by a dead process to the finished runs (as interrupted). */
  settle(run: JobRun, stored: string): Promise<void>;
  /** The newest finished runs, of one kind or all. */
  finished(name: string | null, limit: number): Promise<JobRun[]>;
}

/** The run log under `<prefix>:@runs…` (`@` is in no kind name, so no BullMQ key of a kind can be one of these). */
export function createRedisRunLog(client: Redis, prefix: string, size: number): RedisRunLog {
  const running = `${prefix}:@running`;
  const all = `${prefix}:@runs`;
  const ofKind = (name: string) => `${prefix}:@runs:${name}`;
  const field = (run: JobRun) => `${run.name}:${run.jobId}`;
  const parse = (text: string): JobRun | undefined => {
    try {
      return JSON.parse(text) as JobRun;
    } catch {
      return undefined;
    }
  };

  return {
    async start(run) {
      const json = JSON.stringify(run);
      await client.eval(START, 3, running, all, ofKind(run.name), field(run), json, String(size));
      return json;
    },
    async finish(run, started) {
      await client.eval(
        FINISH,
        3,
        running,
        all,
        ofKind(run.name),
        field(run),
        JSON.stringify(run),
        String(size),
        started,
      );
    },
    async running(name) {
      const entries = await client.hvals(running);
      return entries.flatMap((stored) => {
        const run = parse(stored);
        return run && (name === null || run.name === name) ? [{ run, stored }] : [];
      });
    },
    async settle(run, stored) {
      await client.eval(SETTLE, 3, running, all, ofKind(run.name), field(run), String(size), stored);
    },
    async finished(name, limit) {
      const entries = await client.lrange(name === null ? all : ofKind(name), 0, limit - 1);
      return entries.flatMap((text) => {
        const run = parse(text);
        if (!run) return [];
        return [run.outcome === 'running' ? { ...run, outcome: 'interrupted' as const } : run];
      });
    },
  };
}
