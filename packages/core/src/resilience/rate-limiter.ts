import * as z from 'zod/mini';
import { isHeaderName } from '../http/header-syntax.ts';
import { parseResetMs, parseRetryAfterValue, type ResetUnit } from '../http/retry-after.ts';
import { parseOptions } from '../input/options.ts';
import { IntegrationError } from '../result/errors.ts';
import { createMemoryRateLimitStore, type RateLimitBucket, type RateLimitStore } from './rate-limit-store.ts';
import { sleep } from './sleep.ts';

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Tokens granted per `intervalMs`, e.g. 100. */
  limit: number;
  /** The interval `limit` applies to, e.g. 60_000. */
  intervalMs: number;
  /** Bucket capacity: how many calls may go out at once after a quiet spell. Default `limit`. */
  burst?: number;
  /** The bucket's name in the store; share it to share the budget. Default `'default'`. */
  key?: string;
  /** Where the bucket lives. Default: a fresh in-memory store. */
  store?: RateLimitStore;
  /** Clock in epoch ms, advancing in real ms. Default `Date.now`. */
  now?: () => number;
  /** Longest an acquire may wait; past it, it rejects with a `RATE_LIMIT` error. Default: no limit. */
  maxWaitMs?: number;
  /**
   * Longest the server's feedback (`Retry-After`, a reset with nothing remaining) may block the limiter.
   * A longer hint (`Retry-After: 999999`) is not applied as a block: calls keep going out at the local pace
   * and the server answers for itself, so a recovered server is reached. Default 60 000.
   */
  maxBlockMs?: number;
  /**
   * Which response headers report the server's budget, for servers with their own names. Default: the
   * generic `X-RateLimit-Remaining`/`-Reset` and `RateLimit-Remaining`/`-Reset`.
   * @example { windows: [{ remaining: 'x-ratelimit-minutely-remaining', reset: 'x-ratelimit-minutely-reset' }] }
   */
  feedback?: RateLimitFeedback;
}

/** Where a server reports its rate-limit budget: see {@link RateLimiterOptions.feedback}. */
export interface RateLimitFeedback {
  /**
   * Each window the server counts (per 2 s, per minute, per day…): the header of its remaining count and of
   * when it resets. The lowest remaining binds; an exhausted window blocks until its own reset.
   */
  windows?: readonly {
    readonly remaining: string;
    readonly reset?: string;
    readonly resetUnit?: ResetUnit;
  }[];
  /** How long a 429 naming no wait (no `Retry-After`, no reset) blocks, e.g. the server's window. Default none. */
  throttleBlockMs?: number;
}

/**
 * A fair token-bucket rate limiter that also obeys the server's rate-limit headers.
 * @example
 * await limiter.acquire(signal);
 * const response = await fetch(url, { signal });
 * limiter.observe(response);
 */
export interface RateLimiter {
  /**
   * Resolves when a token is granted; callers are served strictly in FIFO order. Rejects with `signal.reason`
   * if the signal aborts while waiting (and leaves the queue), and with a `RATE_LIMIT` error (`retryAfterMs`
   * when known) at once when the wait would exceed `maxWaitMs` (the limiter's, or this call's if shorter).
   */
  acquire(signal?: AbortSignal, options?: { maxWaitMs?: number }): Promise<void>;
  /**
   * Adapts to a server response: `X-RateLimit-Remaining` (or the `feedback` headers) lowers the local tokens;
   * with 0 remaining, the reset blocks until then; `Retry-After` on 429/503 blocks until then; a block longer
   * than `maxBlockMs` (the limiter's, or this call's if shorter) is not applied. Never throws.
   */
  observe(response: { status: number; headers: Headers }, options?: { maxBlockMs?: number }): void;
  /** Snapshot for metrics: whole tokens available now, waiters queued, and any block (epoch ms). */
  state(): Promise<{ tokens: number; queued: number; blockedUntil?: number }>;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  deadline?: number;
  maxWaitMs?: number;
  cleanup: () => void;
}

const isFunction = (value: unknown): boolean => typeof value === 'function';
const positive = z
  .number({ error: 'must be a finite number > 0' })
  .check(z.positive('must be a finite number > 0'));

const nonNegative = z
  .number({ error: 'must be a finite number ≥ 0' })
  .check(z.minimum(0, 'must be a finite number ≥ 0'));
const headerName = z
  .string({ error: 'must be a header name' })
  .check(z.refine(isHeaderName, 'must be a valid header name'));

const rateLimiterOptionsSchema = z.object({
  limit: positive,
  intervalMs: positive,
  burst: z.optional(
    z.number({ error: 'must be a finite number ≥ 1' }).check(z.minimum(1, 'must be a finite number ≥ 1')),
  ),
  key: z.optional(z.string({ error: 'must be a string' })),
  store: z.optional(
    z.custom<RateLimitStore>(
      (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        ['take', 'update', 'peek'].every((name) => isFunction((value as Record<string, unknown>)[name])),
      { error: 'must be a RateLimitStore (take, update and peek functions)' },
    ),
  ),
  now: z.optional(z.custom<() => number>(isFunction, { error: 'must be a function' })),
  // Infinity is "no limit", as leaving it out is.
  maxWaitMs: z.optional(
    z.custom<number>((value) => typeof value === 'number' && value >= 0, { error: 'must be a number ≥ 0' }),
  ),
  maxBlockMs: z.optional(nonNegative),
  feedback: z.optional(
    z.object({
      windows: z.optional(
        z
          .array(
            z.object({
              remaining: headerName,
              reset: z.optional(headerName),
              resetUnit: z.optional(
                z.enum(['auto', 'epoch-ms', 'epoch-s', 'delta-s', 'delta-ms'], {
                  error: "must be 'auto', 'epoch-ms', 'epoch-s', 'delta-s' or 'delta-ms'",
                }),
              ),
            }),
            { error: 'must be an array of { remaining, reset?, resetUnit? }' },
          )
          .check(z.minLength(1, 'must name at least one window')),
      ),
      throttleBlockMs: z.optional(nonNegative),
    }),
  ),
});

// Today's generic names: the de-facto X- pair and the IETF draft's.
const DEFAULT_WINDOWS: NonNullable<RateLimitFeedback['windows']> = [
  { remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset' },
  { remaining: 'ratelimit-remaining', reset: 'ratelimit-reset' },
];

const DEFAULT_MAX_BLOCK_MS = 60_000;

// A per-call bound: only a number ≥ 0 narrows the limiter's own (anything else is ignored, not an error,
// since these are hints from the client on the hot path).
const narrower = (own: number | undefined, call: unknown): number | undefined =>
  typeof call === 'number' && call >= 0 ? Math.min(own ?? Number.POSITIVE_INFINITY, call) : own;

// setTimeout overflows past 2^31 - 1 ms and fires at once; longer waits are slept in slices.
const MAX_TIMER_MS = 2_147_483_647;
const EPSILON = 1e-9;

/**
 * Creates a rate limiter over a token bucket kept in `store`.
 * @example const limiter = createRateLimiter({ limit: 100, intervalMs: 60_000 });
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const parsed = parseOptions(rateLimiterOptionsSchema, options, { label: 'rate limiter options' });
  const { limit, intervalMs, maxWaitMs } = parsed;
  const maxBlockMs = parsed.maxBlockMs ?? DEFAULT_MAX_BLOCK_MS;
  const burst = parsed.burst ?? limit;
  const key = parsed.key ?? 'default';
  const store = parsed.store ?? createMemoryRateLimitStore();
  const now = parsed.now ?? (() => Date.now());
  const windows = parsed.feedback?.windows ?? DEFAULT_WINDOWS;
  const throttleBlockMs = parsed.feedback?.throttleBlockMs;
  const bucket: RateLimitBucket = { capacity: burst, refillPerMs: limit / intervalMs };

  const queue: Waiter[] = [];
  let pumping = false;
  // Cuts the pump's sleep short once the queue empties, so no timer outlives the last waiter.
  let wake: AbortController | undefined;

  const leave = (waiter: Waiter): boolean => {
    const index = queue.indexOf(waiter);
    if (index === -1) return false;
    queue.splice(index, 1);
    waiter.cleanup();
    if (queue.length === 0) wake?.abort();
    return true;
  };

  const tooLong = (boundMs: number | undefined, retryAfterMs?: number): IntegrationError =>
    new IntegrationError('RATE_LIMIT', `Rate limit: no token within maxWaitMs (${boundMs} ms)`, {
      retryable: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });

  // One loop serves the queue: only the head asks the store, the others wait their turn, so the order is FIFO
  // and the store sees one poll per wait, not one per waiter.
  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length > 0) {
        const head = queue[0]!;
        let waitMs: number;
        try {
          waitMs = await store.take(key, bucket, now(), 1);
        } catch (error) {
          if (leave(head)) head.reject(error);
          continue;
        }
        if (waitMs <= 0) {
          // If the head left while the store answered, the token goes to the next in line, not to waste.
          const next = queue[0];
          if (next && leave(next)) next.resolve();
          continue;
        }
        if (queue[0] !== head) continue;
        if (head.deadline !== undefined && now() + waitMs > head.deadline) {
          // Fail now rather than sleep only to fail at the deadline.
          if (leave(head)) head.reject(tooLong(head.maxWaitMs, waitMs));
          continue;
        }
        wake = new AbortController();
        try {
          await sleep(Number.isFinite(waitMs) ? Math.min(waitMs, MAX_TIMER_MS) : MAX_TIMER_MS, {
            signal: wake.signal,
          });
        } catch {
          // Woken early: the loop re-checks the queue.
        }
        wake = undefined;
      }
    } finally {
      pumping = false;
    }
  };

  return {
    acquire(signal?: AbortSignal, options?: { maxWaitMs?: number }): Promise<void> {
      if (signal !== undefined && !(signal instanceof AbortSignal)) {
        return Promise.reject(
          new IntegrationError('VALIDATION_ERROR', 'signal: must be an AbortSignal', {
            field: 'signal',
            retryable: false,
          }),
        );
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      const waitBound = narrower(maxWaitMs, options?.maxWaitMs);
      return new Promise<void>((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const waiter: Waiter = {
          resolve,
          reject,
          cleanup: () => {
            signal?.removeEventListener('abort', onAbort);
            if (timer !== undefined) clearTimeout(timer);
          },
        };
        const onAbort = (): void => {
          if (leave(waiter)) reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        if (waitBound !== undefined) {
          waiter.deadline = now() + waitBound;
          waiter.maxWaitMs = waitBound;
          // Waiters behind the head may never see the store before their deadline; this timer catches them.
          if (waitBound <= MAX_TIMER_MS) {
            timer = setTimeout(() => {
              if (leave(waiter)) reject(tooLong(waitBound));
            }, waitBound);
          }
        }
        queue.push(waiter);
        void pump();
      });
    },

    observe(response: { status: number; headers: Headers }, options?: { maxBlockMs?: number }): void {
      // Feedback is a hint: a response of the wrong shape, or a store that fails to record it, must not fail
      // the call being observed.
      try {
        const t = now();
        const { status, headers } = response;
        if (!(headers instanceof Headers)) return;
        const throttled = status === 429 || status === 503;
        let remaining: number | undefined;
        const resets: { exhausted: number[]; any: number[] } = { exhausted: [], any: [] };
        for (const window of windows) {
          const left = parseRemaining(headers.get(window.remaining));
          const reset = window.reset && parseResetMs(headers.get(window.reset), t, window.resetUnit);
          if (typeof reset === 'number') resets.any.push(reset);
          if (left === undefined) continue;
          remaining = Math.min(remaining ?? left, left);
          if (left === 0 && typeof reset === 'number') resets.exhausted.push(reset);
        }
        // A 429 says the budget is spent even when the server sends no Remaining header.
        if (status === 429) remaining = 0;
        // A 503's reset header describes the rate window, not the outage: only its Retry-After blocks.
        const blocks = remaining === 0 || (throttled && headers.has('retry-after'));
        // Retry-After wins; else the exhausted windows' resets (not a daily reset while only the minute is
        // spent); else any reset named; else, on a 429, the configured throttle block.
        const waitMs = blocks
          ? (parseRetryAfterValue(headers.get('retry-after'), t) ??
            latest(resets.exhausted) ??
            latest(resets.any) ??
            (status === 429 ? throttleBlockMs : undefined))
          : undefined;
        const blockBound = narrower(maxBlockMs, options?.maxBlockMs) ?? maxBlockMs;
        const feedback: { remaining?: number; blockedUntil?: number } = {};
        if (remaining !== undefined) feedback.remaining = remaining;
        // A longer hint is the caller's to honour (the client returns it as RATE_LIMIT): holding every call
        // for days would also hold them from a server that has recovered.
        if (waitMs !== undefined && waitMs > 0 && waitMs <= blockBound) feedback.blockedUntil = t + waitMs;
        if (feedback.remaining === undefined && feedback.blockedUntil === undefined) return;
        Promise.resolve(store.update(key, feedback, t)).catch(() => {});
      } catch {
        // Ignored, for the same reason.
      }
    },

    async state() {
      const snapshot = await store.peek(key, bucket, now());
      const tokens = Math.floor(snapshot.tokens + EPSILON);
      return snapshot.blockedUntil === undefined
        ? { tokens, queued: queue.length }
        : { tokens, queued: queue.length, blockedUntil: snapshot.blockedUntil };
    },
  };
}

// Several policies may answer at once ("100, 40"): the smallest budget is the binding one. Only whole numbers
// count: "-1", "NaN", "0.5" or "1e3" say nothing reliable about the budget.
function parseRemaining(text: string | null): number | undefined {
  if (!text) return undefined;
  let lowest: number | undefined;
  for (const part of text.split(',')) {
    const item = part.trim();
    if (!/^\d+$/.test(item)) continue;
    const value = Number(item);
    lowest = lowest === undefined ? value : Math.min(lowest, value);
  }
  return lowest;
}

const latest = (waits: number[]): number | undefined => (waits.length > 0 ? Math.max(...waits) : undefined);
