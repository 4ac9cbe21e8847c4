import { type Counters, createCounters } from '../kit/counters.ts';
import { createFaults, type Faults } from '../kit/faults.ts';
import { createRandom } from '../kit/random.ts';
import { createWindowRateLimiter, type WindowRateLimiter } from '../kit/rate-limiter.ts';
import { serveEmulator } from '../kit/serve.ts';
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

/**
 * Creates an emulated Twenty workspace (people and companies, metadata API, rate limit, faults, counters).
 * @example
 * const twenty = createTwentyEmulator({ rateLimit: false });
 * const res = await twenty.handler(new Request(`${twenty.baseUrl}/rest/people`, {
 *   headers: { Authorization: `Bearer ${twenty.apiKey}` },
 * }));
 */
export function createTwentyEmulator(options: TwentyEmulatorOptions = {}): TwentyEmulator {
  const apiKey = options.apiKey ?? TWENTY_EMULATOR_DEMO_API_KEY;
  const now = options.now ?? (() => Date.now());
  const store = createTwentyStore({
    now,
    newId: options.seed === undefined ? undefined : seededUuid(createRandom(options.seed ^ 0x5eed)),
  });
  const faults = createFaults({ seed: options.seed });
  const counters = createCounters();
  const rateLimit =
    options.rateLimit === false ? undefined : (options.rateLimit ?? { limit: 100, windowMs: 60_000 });
  const rateLimiter = rateLimit
    ? rateLimit.algorithm === 'fixed-window'
      ? createWindowRateLimiter({ limit: rateLimit.limit, windowMs: rateLimit.windowMs, now })
      : createTokenBucketLimiter({ limit: rateLimit.limit, windowMs: rateLimit.windowMs, now })
    : undefined;
  const batchLimit = options.batchLimit ?? 60;
  if (!(Number.isInteger(batchLimit) && batchLimit > 0))
    throw new RangeError('batchLimit must be a positive integer');

  const inner = createTwentyHandler({
    store,
    apiKey,
    apiKeyId: stableUuid(`apiKey:${apiKey}`),
    apiKeyName: 'Emulator API key',
    bounds: { defaultLimit: options.defaultLimit ?? 60, maxLimit: options.maxLimit ?? 200 },
    batchLimit,
    rateLimiter,
    rateLimit,
    metadataFormat: options.metadataFormat ?? 'current',
  });
  const latencyMs = options.latencyMs ?? 0;
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
    baseUrl: (options.baseUrl ?? 'http://twenty.emulator.test').replace(/\/+$/, ''),
    reset() {
      store.clear();
      counters.reset();
      faults.clear();
      rateLimiter?.reset();
    },
  };
}

/** A Twenty emulator served over HTTP on loopback. */
export interface RunningTwentyEmulator {
  /** Base URL, e.g. `http://127.0.0.1:53211`; REST lives under `${url}/rest`. */
  url: string;
  apiKey: string;
  store: TwentyStore;
  faults: Faults;
  counters: Counters;
  emulator: TwentyEmulator;
  close(): Promise<void>;
}

/**
 * Starts a Twenty emulator on 127.0.0.1 (a free port unless `port` is given).
 * @example
 * const twenty = await startTwentyEmulator();
 * await fetch(`${twenty.url}/rest/people`, { headers: { Authorization: `Bearer ${twenty.apiKey}` } });
 * await twenty.close();
 */
export async function startTwentyEmulator(
  options: TwentyEmulatorOptions & { port?: number; host?: string } = {},
): Promise<RunningTwentyEmulator> {
  const emulator = createTwentyEmulator(options);
  const server = await serveEmulator(emulator.handler, { port: options.port, host: options.host });
  return {
    url: server.url,
    apiKey: emulator.apiKey,
    store: emulator.store,
    faults: emulator.faults,
    counters: emulator.counters,
    emulator,
    close: () => server.close(),
  };
}
