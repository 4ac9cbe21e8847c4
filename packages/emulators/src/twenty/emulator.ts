import { DEFAULT_MAX_BODY_BYTES } from '../kit/body.ts';
import { type Counters, createCounters } from '../kit/counters.ts';
import { createFaults, type Faults } from '../kit/faults.ts';
import {
  EmulatorConfigError,
  functionOption,
  MAX_TIMER_MS,
  numberOption,
  readOptionsObject,
  stringOption,
} from '../kit/options.ts';
import { createRandom } from '../kit/random.ts';
import { createWindowRateLimiter, type WindowRateLimiter } from '../kit/rate-limiter.ts';
import { type ListenOptions, type StartedEmulator, startEmulator } from '../kit/start.ts';
import type { EmulatorHandler } from '../kit/types.ts';
import { withFaultsAndCounters } from '../kit/wrap.ts';
import type { MetadataFormat } from './metadata.ts';
import { createTokenBucketLimiter } from './rate-limit.ts';
import { createTwentyHandler, twentyRouteKey } from './routes.ts';
import { stableUuid } from './schema.ts';
import { createTwentyStore, type TwentyStore } from './store.ts';

/** The API key an emulator accepts unless given another. */
export const TWENTY_EMULATOR_DEMO_API_KEY = 'twenty-emulator-demo-api-key';

/** Options of {@link createTwentyEmulator}. */
export interface TwentyEmulatorOptions {
  /** The Bearer token the workspace accepts. Default {@link TWENTY_EMULATOR_DEMO_API_KEY}. */
  apiKey?: string;
  /**
   * Per-API-key limit on record requests, or `false` for none. Default 100 per 60 s (Twenty's documented limit) as
   * a token bucket like Twenty's (a burst of `limit`, then `limit` per window); `algorithm: 'fixed-window'` counts
   * `limit` per window from the window's first request instead (the kit limiter).
   */
  rateLimit?: { limit: number; windowMs: number; algorithm?: 'token-bucket' | 'fixed-window' } | false;
  /** Most records a `POST /rest/batch/{object}` accepts. Default 60 (docs: "Batch size 60 records per call"). */
  batchLimit?: number;
  /** Seed of the fault PRNG, and of record ids (ids are random UUIDs without a seed). */
  seed?: number;
  /** Latency added to every request, in ms. Default 0. */
  latencyMs?: number;
  /** Where msw handlers intercept. Default `http://twenty.emulator.test`. */
  baseUrl?: string;
  /** Records per page without `limit`. Default 60 (twenty-shared `QUERY_DEFAULT_LIMIT_RECORDS`). */
  defaultLimit?: number;
  /** Largest `limit` honoured; bigger ones are clamped. Default 200 (twenty-shared `QUERY_MAX_RECORDS`). */
  maxLimit?: number;
  /** Shape of metadata answers: `current` (`{ data: [...] }`) or `legacy` (`{ data: { objects } }`). */
  metadataFormat?: MetadataFormat;
  /** Clock in epoch ms (timestamps and the rate-limit window). Default `Date.now`. */
  now?: () => number;
  /** Largest request body, in bytes; a larger one is a 413 `PayloadTooLargeException`. Default 100 MiB (Twenty's). */
  maxBodyBytes?: number;
}

/** An emulated Twenty workspace: one handler (faults and counters included) plus its state. */
export interface TwentyEmulator {
  /** Serve it with `serveEmulator` or msw; faults apply and every request is counted. */
  handler: EmulatorHandler;
  apiKey: string;
  store: TwentyStore;
  faults: Faults;
  counters: Counters;
  /** Undefined when the rate limit is off. */
  rateLimiter?: WindowRateLimiter;
  baseUrl: string;
  /** The largest request body it reads, in bytes. */
  maxBodyBytes: number;
  /** Empties the store, counters, faults and rate-limit windows. */
  reset(): void;
}

function seededUuid(random: () => number): () => string {
  return () => {
    const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256));
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}

type RateLimitOption = { limit: number; windowMs: number; algorithm?: 'token-bucket' | 'fixed-window' };

interface CheckedOptions {
  apiKey: string;
  rateLimit: RateLimitOption | undefined;
  batchLimit: number;
  seed?: number;
  latencyMs: number;
  baseUrl: string;
  defaultLimit: number;
  maxLimit: number;
  metadataFormat: MetadataFormat;
  now: () => number;
  maxBodyBytes: number;
}

const OPTION_KEYS = [
  'apiKey',
  'rateLimit',
  'batchLimit',
  'seed',
  'latencyMs',
  'baseUrl',
  'defaultLimit',
  'maxLimit',
  'metadataFormat',
  'now',
  'maxBodyBytes',
] as const;

// Every option read once and checked: an EmulatorConfigError naming the first that cannot work.
function readEmulatorOptions(options: unknown): CheckedOptions {
  const read = readOptionsObject(options, OPTION_KEYS, 'options');
  const apiKey =
    read.apiKey === undefined
      ? TWENTY_EMULATOR_DEMO_API_KEY
      : stringOption(read.apiKey, 'apiKey', { nonEmpty: true });
  if (/\s/.test(apiKey)) throw new EmulatorConfigError('apiKey', 'must not contain spaces');
  const positive = (key: 'batchLimit' | 'defaultLimit' | 'maxLimit', fallback: number) =>
    read[key] === undefined ? fallback : numberOption(read[key], key, { min: 1, integer: true });
  const baseUrl =
    read.baseUrl === undefined ? 'http://twenty.emulator.test' : stringOption(read.baseUrl, 'baseUrl');
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new EmulatorConfigError('baseUrl', 'must be an http(s) URL');
  }
  const metadataFormat = read.metadataFormat ?? 'current';
  if (metadataFormat !== 'current' && metadataFormat !== 'legacy') {
    throw new EmulatorConfigError('metadataFormat', "must be 'current' or 'legacy'");
  }
  const checked: CheckedOptions = {
    apiKey,
    rateLimit: readRateLimit(read.rateLimit),
    batchLimit: positive('batchLimit', 60),
    latencyMs:
      read.latencyMs === undefined
        ? 0
        : numberOption(read.latencyMs, 'latencyMs', { min: 0, max: MAX_TIMER_MS }),
    baseUrl: baseUrl.replace(/\/+$/, ''),
    defaultLimit: positive('defaultLimit', 60),
    maxLimit: positive('maxLimit', 200),
    metadataFormat,
    now: read.now === undefined ? () => Date.now() : functionOption<() => number>(read.now, 'now'),
    maxBodyBytes:
      read.maxBodyBytes === undefined
        ? DEFAULT_MAX_BODY_BYTES
        : numberOption(read.maxBodyBytes, 'maxBodyBytes', { min: 0, integer: true }),
  };
  if (read.seed !== undefined) {
    checked.seed = numberOption(read.seed, 'seed', { min: -Number.MAX_VALUE, max: Number.MAX_VALUE });
  }
  return checked;
}

function readRateLimit(value: unknown): RateLimitOption | undefined {
  if (value === false) return undefined;
  if (value === undefined) return { limit: 100, windowMs: 60_000 };
  const read = readOptionsObject(value, ['limit', 'windowMs', 'algorithm'], 'rateLimit');
  const limit = numberOption(read.limit, 'rateLimit.limit', { min: 1, integer: true });
  const windowMs = numberOption(read.windowMs, 'rateLimit.windowMs', { min: Number.MIN_VALUE });
  const algorithm = read.algorithm;
  if (algorithm !== undefined && algorithm !== 'token-bucket' && algorithm !== 'fixed-window') {
    throw new EmulatorConfigError('rateLimit.algorithm', "must be 'token-bucket' or 'fixed-window'");
  }
  return algorithm === undefined ? { limit, windowMs } : { limit, windowMs, algorithm };
}

/**
 * Creates an emulated Twenty workspace (people and companies, metadata API, rate limit, faults, counters).
 * Options of the wrong kind throw an EmulatorConfigError (a RangeError with `code: 'CONFIG_ERROR'` and the
 * `field`): a NaN or negative latency, a limit that is not a positive integer, a clock that is not a function.
 * @example
 * const twenty = createTwentyEmulator({ rateLimit: false });
 * const res = await twenty.handler(new Request(`${twenty.baseUrl}/rest/people`, {
 *   headers: { Authorization: `Bearer ${twenty.apiKey}` },
 * }));
 */
export function createTwentyEmulator(options: TwentyEmulatorOptions = {}): TwentyEmulator {
  const checked = readEmulatorOptions(options);
  const { apiKey, now, rateLimit, batchLimit, latencyMs } = checked;
  const store = createTwentyStore({
    now,
    newId: checked.seed === undefined ? undefined : seededUuid(createRandom(checked.seed ^ 0x5eed)),
  });
  const faults = createFaults(checked.seed === undefined ? {} : { seed: checked.seed });
  const counters = createCounters();
  const rateLimiter = rateLimit
    ? rateLimit.algorithm === 'fixed-window'
      ? createWindowRateLimiter({ limit: rateLimit.limit, windowMs: rateLimit.windowMs, now })
      : createTokenBucketLimiter({ limit: rateLimit.limit, windowMs: rateLimit.windowMs, now })
    : undefined;

  const inner = createTwentyHandler({
    store,
    apiKey,
    apiKeyId: stableUuid(`apiKey:${apiKey}`),
    apiKeyName: 'Emulator API key',
    bounds: { defaultLimit: checked.defaultLimit, maxLimit: checked.maxLimit },
    batchLimit,
    rateLimiter,
    rateLimit,
    metadataFormat: checked.metadataFormat,
    maxBodyBytes: checked.maxBodyBytes,
  });
  const delayed: EmulatorHandler =
    latencyMs > 0
      ? async (request) => {
          await new Promise((resolve) => setTimeout(resolve, latencyMs));
          return inner(request);
        }
      : inner;

  return {
    handler: withFaultsAndCounters(delayed, { faults, counters, routeKey: twentyRouteKey }),
    apiKey,
    store,
    faults,
    counters,
    rateLimiter,
    baseUrl: checked.baseUrl,
    maxBodyBytes: checked.maxBodyBytes,
    reset() {
      store.clear();
      counters.reset();
      faults.clear();
      rateLimiter?.reset();
    },
  };
}

/** A Twenty emulator served over HTTP on loopback; REST lives under `${url}/rest`. */
export interface RunningTwentyEmulator extends StartedEmulator<TwentyEmulator> {
  apiKey: string;
  store: TwentyStore;
  faults: Faults;
  counters: Counters;
}

/**
 * Starts a Twenty emulator on 127.0.0.1 (a free port unless `port` is given). Rejects with an EmulatorConfigError
 * naming the option for options of the wrong kind, and for a `port` that is in use or not allowed.
 * @example
 * const twenty = await startTwentyEmulator();
 * await fetch(`${twenty.url}/rest/people`, { headers: { Authorization: `Bearer ${twenty.apiKey}` } });
 * await twenty.close();
 */
export async function startTwentyEmulator(
  options: TwentyEmulatorOptions & ListenOptions = {},
): Promise<RunningTwentyEmulator> {
  const { url, emulator, close } = await startEmulator(options, createTwentyEmulator);
  const { apiKey, store, faults, counters } = emulator;
  return { url, apiKey, store, faults, counters, emulator, close };
}
