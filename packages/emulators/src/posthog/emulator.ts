import { randomUUID } from 'node:crypto';
import { type Counters, createCounters } from '../kit/counters.ts';
import { createFaults, type Faults } from '../kit/faults.ts';
import {
  EmulatorConfigError,
  functionOption,
  numberOption,
  readOptionsObject,
  stringOption,
} from '../kit/options.ts';
import { createWindowRateLimiter, type WindowRateLimiter } from '../kit/rate-limiter.ts';
import { serveEmulator } from '../kit/serve.ts';
import type { EmulatorHandler } from '../kit/types.ts';
import { withFaultsAndCounters } from '../kit/wrap.ts';
import type { CapturedEvent } from './capture.ts';
import type { CaptureErrorStyle } from './capture-errors.ts';
import { type CaptureV1Request, createCaptureRoutes } from './capture-routes.ts';

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
  /**
   * How capture v0 refuses: `'json'` (default) as the newest service, `{ status, code, error }` with 403 for a key
   * naming no project and 400 for two keys in one request; `'text'` as the older one, plain text, 401 for both.
   */
  captureErrors?: CaptureErrorStyle;
  /**
   * The project is over its billing quota: capture still answers success (v1: each event `drop`,
   * `billing_limit_exceeded`) and keeps nothing; see `droppedOverQuota()`. Default false.
   */
  overQuota?: boolean;
  /** Clock in epoch ms, for `receivedAt`. Default `Date.now`. */
  now?: () => number;
  /** Seed of the fault PRNG. */
  seed?: number;
  /** Where msw handlers intercept. Default `http://posthog.emulator.test`. */
  baseUrl?: string;
}

/** An emulated PostHog: one handler (faults and counters included) plus what it received. */
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
  /** Events answered with success but dropped because the project is over quota. */
  droppedOverQuota(): number;
  /** Puts the project over its quota (or back under it) from now on. */
  setOverQuota(overQuota: boolean): void;
  /** Every capture v1 request that got past its headers: request id, attempt, event count, status. */
  v1Requests(): CaptureV1Request[];
  /** Forgets every event, and empties counters, faults and the rate limiter; `overQuota` goes back to its option. */
  reset(): void;
}

const OPTION_KEYS = [
  'projectKey',
  'maxBodyBytes',
  'maxEventBytes',
  'rateLimit',
  'captureErrors',
  'overQuota',
  'now',
  'seed',
  'baseUrl',
] as const;

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

/**
 * Creates an emulated PostHog. Capture v0 (`/batch/`, `/i/v0/e/`, `/e/`, `/capture/`): gzip bodies, the project key
 * checked, a bad event refusing the whole request, 413 for an oversized event, an optional per-token 429, success as
 * `200 {"status":"Ok"}`. Capture v1 (`/i/v1/analytics/events`): Bearer project key, per-event results. Options of
 * the wrong kind throw an EmulatorConfigError naming them.
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
  const captureErrors = read.captureErrors ?? 'json';
  if (captureErrors !== 'json' && captureErrors !== 'text') {
    throw new EmulatorConfigError('captureErrors', "must be 'json' or 'text'");
  }
  if (read.overQuota !== undefined && typeof read.overQuota !== 'boolean') {
    throw new EmulatorConfigError('overQuota', 'must be a boolean');
  }
  const now = read.now === undefined ? () => Date.now() : functionOption<() => number>(read.now, 'now');
  const clock = () => {
    const at = now();
    if (typeof at !== 'number' || !Number.isFinite(at)) {
      throw new EmulatorConfigError('now', 'must return a finite number');
    }
    return at;
  };
  const baseUrl = (
    read.baseUrl === undefined ? 'http://posthog.emulator.test' : stringOption(read.baseUrl, 'baseUrl')
  ).replace(/\/+$/, '');
  const faults = createFaults(
    read.seed === undefined ? {} : { seed: numberOption(read.seed, 'seed', { min: -Number.MAX_VALUE }) },
  );
  const counters = createCounters();
  const capture = createCaptureRoutes({
    projectKey,
    limits,
    limiter,
    errors: captureErrors,
    overQuota: read.overQuota ?? false,
    clock,
    newUuid: randomUUID,
    onAccepted: () => {},
  });

  const service: EmulatorHandler = async (request) => {
    const answer = await capture.handle(request);
    if (answer) return answer;
    return text(404, 'Not Found');
  };

  return {
    handler: withFaultsAndCounters(service, { faults, counters }),
    projectKey,
    faults,
    counters,
    baseUrl,
    events: capture.events,
    eventsByUuid: capture.eventsByUuid,
    duplicateCount: capture.duplicateCount,
    droppedOverQuota: capture.droppedOverQuota,
    setOverQuota(value) {
      if (typeof value !== 'boolean') throw new EmulatorConfigError('overQuota', 'must be a boolean');
      capture.setOverQuota(value);
    },
    v1Requests: capture.v1Requests,
    reset() {
      capture.reset();
      counters.reset();
      faults.clear();
    },
  };
}

/** A PostHog emulator served over HTTP on loopback. */
export interface RunningPostHogEmulator {
  /** Base URL, e.g. `http://127.0.0.1:53211`: the client's `host`. */
  url: string;
  emulator: PostHogEmulator;
  close(): Promise<void>;
}

/**
 * Starts a PostHog emulator on 127.0.0.1 (a free port unless `port` is given). Rejects with an
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
