import { randomUUID } from 'node:crypto';
import { type Counters, createCounters } from '../kit/counters.ts';
import { createFaults, type Faults } from '../kit/faults.ts';
import { numberOption, readOptionsObject, stringOption } from '../kit/options.ts';
import { createWindowRateLimiter, type WindowRateLimiter } from '../kit/rate-limiter.ts';
import { serveEmulator } from '../kit/serve.ts';
import type { EmulatorHandler } from '../kit/types.ts';
import { withFaultsAndCounters } from '../kit/wrap.ts';
import { type CapturedEvent, decodeCaptureBody, POSTHOG_CAPTURE_PATHS, parseCapture } from './capture.ts';

/** The project API key an emulator accepts unless given another. */
export const POSTHOG_EMULATOR_PROJECT_KEY = 'phc_emulator_project_key';

/** Options of {@link createPostHogEmulator}. */
export interface PostHogEmulatorOptions {
  /** The project API key capture accepts. Default {@link POSTHOG_EMULATOR_PROJECT_KEY}. */
  projectKey?: string;
  /** Largest (decompressed) body in bytes. Default 20 MB (wire notes: "Whole body under 20 MB"). */
  maxBodyBytes?: number;
  /** Largest event in bytes. Default 1 MB (wire notes: "each event under about 1 MB (413 EventTooBig)"). */
  maxEventBytes?: number;
  /**
   * A per-token limit answering 429 past it (wire notes: "the service can answer 429 (a per-token limiter),
   * though the docs say capture is not rate-limited"). Default none.
   */
  rateLimit?: { limit: number; windowMs: number };
  /** Seed of the fault PRNG. */
  seed?: number;
  /** Where msw handlers intercept. Default `http://posthog.emulator.test`. */
  baseUrl?: string;
}

/** An emulated PostHog capture service: one handler (faults and counters included) plus the events it kept. */
export interface PostHogEmulator {
  handler: EmulatorHandler;
  projectKey: string;
  faults: Faults;
  counters: Counters;
  baseUrl: string;
  /** Every accepted event in arrival order; a uuid sent twice is there twice. */
  events(): CapturedEvent[];
  /** The accepted events with this uuid (more than one when a client resent it). */
  eventsByUuid(uuid: string): CapturedEvent[];
  /** How many accepted events repeated a uuid already kept (a retried batch counts each of its events). */
  duplicateCount(): number;
  /** Forgets every event, and empties counters, faults and the rate limiter. */
  reset(): void;
}

const OPTION_KEYS = ['projectKey', 'maxBodyBytes', 'maxEventBytes', 'rateLimit', 'seed', 'baseUrl'] as const;
const PATHS: ReadonlySet<string> = new Set(POSTHOG_CAPTURE_PATHS);

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } });

/**
 * Creates an emulated PostHog capture service (`/batch/`, `/i/v0/e/`, `/e/`, `/capture/`): gzip bodies, the
 * project key checked, a bad event refusing the whole request, 413 for an oversized event, an optional per-token
 * 429, and success as `200 {"status":"Ok"}`. Options of the wrong kind throw an EmulatorConfigError naming them.
 * @example
 * const posthog = createPostHogEmulator();
 * await posthog.handler(new Request(`${posthog.baseUrl}/batch/`, { method: 'POST', body }));
 * posthog.events();
 */
export function createPostHogEmulator(options: PostHogEmulatorOptions = {}): PostHogEmulator {
  const read = readOptionsObject(options, OPTION_KEYS, 'options');
  const projectKey =
    read.projectKey === undefined
      ? POSTHOG_EMULATOR_PROJECT_KEY
      : stringOption(read.projectKey, 'projectKey', { nonEmpty: true });
  const limits = {
    maxBodyBytes:
      read.maxBodyBytes === undefined
        ? 20 * 1024 * 1024
        : numberOption(read.maxBodyBytes, 'maxBodyBytes', { min: 1, integer: true }),
    maxEventBytes:
      read.maxEventBytes === undefined
        ? 1024 * 1024
        : numberOption(read.maxEventBytes, 'maxEventBytes', { min: 1, integer: true }),
  };
  let limiter: WindowRateLimiter | undefined;
  if (read.rateLimit !== undefined) {
    const rate = readOptionsObject(read.rateLimit, ['limit', 'windowMs'], 'rateLimit');
    limiter = createWindowRateLimiter({
      limit: numberOption(rate.limit, 'rateLimit.limit', { min: 1, integer: true }),
      windowMs: numberOption(rate.windowMs, 'rateLimit.windowMs', { min: 1 }),
    });
  }
  const baseUrl = (
    read.baseUrl === undefined ? 'http://posthog.emulator.test' : stringOption(read.baseUrl, 'baseUrl')
  ).replace(/\/+$/, '');
  const faults = createFaults(
    read.seed === undefined ? {} : { seed: numberOption(read.seed, 'seed', { min: -Number.MAX_VALUE }) },
  );
  const counters = createCounters();
  let stored: CapturedEvent[] = [];
  let duplicates = 0;
  let seen = new Set<string>();

  const capture: EmulatorHandler = async (request) => {
    const url = new URL(request.url);
    if (!PATHS.has(url.pathname)) return text(404, 'Not Found');
    if (request.method !== 'POST') return text(405, 'Method Not Allowed');
    const decoded = decodeCaptureBody(
      new Uint8Array(await request.arrayBuffer()),
      {
        contentEncoding: request.headers.get('content-encoding'),
        compression: url.searchParams.get('compression'),
      },
      limits.maxBodyBytes,
    );
    if (typeof decoded !== 'string') return text(decoded.status, decoded.message);
    const parsed = parseCapture(decoded, url.pathname, limits, randomUUID);
    if (!Array.isArray(parsed)) return text(parsed.status, parsed.message);
    // api.rs: TokenValidationError ("API key is not valid") answers 401.
    if (parsed[0]?.token !== projectKey) return text(401, 'API key is not valid');
    if (limiter) {
      const decision = limiter.take(projectKey);
      if (!decision.allowed) {
        return text(429, 'Rate limited', { 'Retry-After': String(decision.retryAfterSeconds) });
      }
    }
    for (const event of parsed) {
      if (seen.has(event.uuid)) duplicates += 1;
      seen.add(event.uuid);
      stored.push(event);
    }
    // Wire notes: success is `200 {"status":"Ok"}` (older servers `{"status":1}`).
    return Response.json({ status: 'Ok' });
  };

  return {
    handler: withFaultsAndCounters(capture, { faults, counters }),
    projectKey,
    faults,
    counters,
    baseUrl,
    events: () => stored.map((event) => structuredClone(event)),
    eventsByUuid: (uuid) => stored.filter((event) => event.uuid === uuid).map((e) => structuredClone(e)),
    duplicateCount: () => duplicates,
    reset() {
      stored = [];
      seen = new Set();
      duplicates = 0;
      counters.reset();
      faults.clear();
      limiter?.reset();
    },
  };
}

/** A PostHog capture emulator served over HTTP on loopback. */
export interface RunningPostHogEmulator {
  /** Base URL, e.g. `http://127.0.0.1:53211`: the client's `host`. */
  url: string;
  emulator: PostHogEmulator;
  close(): Promise<void>;
}

/**
 * Starts a PostHog capture emulator on 127.0.0.1 (a free port unless `port` is given). Rejects with an
 * EmulatorConfigError naming the option for options of the wrong kind, or a port in use.
 * @example
 * const posthog = await startPostHogEmulator({ port: 0 });
 * await fetch(`${posthog.url}/batch/`, { method: 'POST', body: JSON.stringify({ api_key, batch }) });
 * await posthog.close();
 */
export async function startPostHogEmulator(
  options: PostHogEmulatorOptions & { port?: number; host?: string } = {},
): Promise<RunningPostHogEmulator> {
  const read = readOptionsObject(options, [...OPTION_KEYS, 'port', 'host'], 'options');
  const { port, host, ...rest } = read;
  const emulator = createPostHogEmulator(rest as PostHogEmulatorOptions);
  const server = await serveEmulator(emulator.handler, {
    port: port as number | undefined,
    host: host as string | undefined,
  });
  return { url: server.url, emulator, close: () => server.close() };
}
