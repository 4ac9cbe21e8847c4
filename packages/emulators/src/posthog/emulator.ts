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
import { type ListenOptions, type StartedEmulator, startEmulator } from '../kit/start.ts';
import type { EmulatorHandler } from '../kit/types.ts';
import { withFaultsAndCounters } from '../kit/wrap.ts';
import type { CapturedEvent } from './capture.ts';
import type { CaptureErrorStyle } from './capture-errors.ts';
import { type CaptureV1Request, createCaptureRoutes } from './capture-routes.ts';
import { createPostHogEventStore } from './event-store.ts';
import { runPostHogQuery } from './query-engine.ts';
import { createQueryRoutes, type QueryRequestRecord, type QueryStats } from './query-routes.ts';
import { type AsyncCompletion, createQueryStatusRegistry } from './query-status.ts';
import { createConcurrencySlots, createQueryThrottle, type QueryRate } from './query-throttle.ts';

/** The project API key an emulator accepts unless given another. */
export const POSTHOG_EMULATOR_PROJECT_KEY = 'phc_emulator_project_key';

/** The personal API key the emulator's query API accepts unless given another. */
export const POSTHOG_EMULATOR_PERSONAL_KEY = 'phx_emulator_personal_key';

// The /api/environments/ alias's headers: deprecated since PR #60406 (2026-05-28) made /api/projects/ canonical;
// PostHog names no removal date, so the Sunset default is a year on. RFC 9745 / RFC 8594 formats.
const ENVIRONMENTS_DEPRECATION = `@${Date.UTC(2026, 4, 28) / 1000}`;
const ENVIRONMENTS_SUNSET = new Date(Date.UTC(2027, 4, 28)).toUTCString();

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
  /** The personal API key (`Authorization: Bearer …`) the query API accepts. Default {@link POSTHOG_EMULATOR_PERSONAL_KEY}. */
  personalApiKey?: string;
  /** The project id of `/api/projects/{id}/…` (another id answers 404 "Project not found."). Default 1. */
  projectId?: number;
  /**
   * Makes every query async (202 and a `query_status` to poll, whatever `refresh` says) and says when async queries
   * finish: `completeAfterPolls` (the Nth poll sees the result) and/or `completeAfterMs` (running time, by `now`).
   * Without it only `refresh: 'async' | 'lazy_async' | 'force_async'` queries are async, finishing on the first poll.
   */
  asyncQueries?: AsyncCompletion;
  /**
   * The query endpoint's rate limits per personal key (polls and DELETEs count): default 240 a minute and 2 400 an
   * hour (`APIQueriesBurstThrottle`, `APIQueriesSustainedThrottle`); some projects have `{ perHour: 120 }`. A rate
   * left out keeps its default; `false` turns both off.
   */
  queryRateLimits?: { perMinute?: number; perHour?: number } | false;
  /** Queries running at once per project (async ones until they finish, blocking ones while in flight). Default 3. */
  maxConcurrentQueries?: number;
  /** How long a query waits for a free concurrency slot before its 429. Default 30 000 (PostHog's 30 s). */
  concurrencyWaitMs?: number;
  /** How long a blocking query runs (holding its concurrency slot), in real ms. Default 0. */
  queryLatencyMs?: number;
  /** `Deprecation` and `Sunset` header values on `/api/environments/…` answers. Defaults: see the README. */
  environmentsAlias?: { deprecation?: string; sunset?: string };
  /** Clock in epoch ms: `receivedAt`, the queries' "now", throttle windows, async timing. Default `Date.now`. */
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
  /** The personal API key the query API accepts. */
  personalApiKey: string;
  /** The project id the query API serves. */
  projectId: number;
  /** Adds events to what queries read (and the events list) without capturing them, e.g. generated ones. */
  seedEvents(events: readonly CapturedEvent[]): void;
  /** How many events queries can read (captured and seeded; a uuid stored twice counts once). */
  eventCount(): number;
  /** Totals of the query endpoint: queries, async ones, polls, cancels, 429s of each limit, async queries running. */
  queryStats(): QueryStats;
  /** Every query posted past auth, project and throttles: the query, refresh, client id, name, async or not, status. */
  queryRequests(): QueryRequestRecord[];
  /**
   * Forgets every event (captured and seeded), query status and count, and empties counters, faults and the rate
   * limiters; `overQuota` goes back to its option.
   */
  reset(): void;
}

const OPTION_KEYS = [
  'projectKey',
  'maxBodyBytes',
  'maxEventBytes',
  'rateLimit',
  'captureErrors',
  'overQuota',
  'personalApiKey',
  'projectId',
  'asyncQueries',
  'queryRateLimits',
  'maxConcurrentQueries',
  'concurrencyWaitMs',
  'queryLatencyMs',
  'environmentsAlias',
  'now',
  'seed',
  'baseUrl',
] as const;

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

/**
 * Creates an emulated PostHog. Capture v0 (`/batch/`, `/i/v0/e/`, `/e/`, `/capture/`): gzip bodies, the project key
 * checked, a bad event refusing the whole request, 413 for an oversized event, an optional per-token 429, success as
 * `200 {"status":"Ok"}`. Capture v1 (`/i/v1/analytics/events`): Bearer project key, per-event results. The query
 * API (`/api/projects/{id}/query/`, personal key): captured events are queryable (HogQLQuery, TrendsQuery,
 * EventsQuery), blocking or async (202 and polls), throttled per key and limited to 3 running queries, as PostHog
 * does. Options of the wrong kind throw an EmulatorConfigError naming them.
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
  const query = readQueryOptions(read);
  const store = createPostHogEventStore();
  let seeded: CapturedEvent[] = [];
  const capture = createCaptureRoutes({
    projectKey,
    limits,
    limiter,
    errors: captureErrors,
    overQuota: read.overQuota ?? false,
    clock,
    newUuid: randomUUID,
    onAccepted: (events) => store.insert(events, { receivedAt: new Date(clock()) }),
  });
  const slots = createConcurrencySlots(query.maxConcurrentQueries);
  const registry = createQueryStatusRegistry({
    teamId: query.projectId,
    slots,
    completion: query.asyncQueries ?? { completeAfterPolls: 1 },
    queueWaitMs: query.concurrencyWaitMs,
    clock,
    newTaskId: randomUUID,
  });
  const api = createQueryRoutes({
    projectId: query.projectId,
    personalApiKey: query.personalApiKey,
    engine: { run: (body, at) => runPostHogQuery(store, body, { now: at, teamId: query.projectId }) },
    throttle: query.rates.length === 0 ? undefined : createQueryThrottle(query.rates, clock),
    slots,
    registry,
    asyncAll: query.asyncQueries,
    concurrencyWaitMs: query.concurrencyWaitMs,
    queryLatencyMs: query.queryLatencyMs,
    clock,
    newQueryId: () => uuid7Hex(clock()),
    listEvents: () => [...seeded, ...capture.events()],
    deprecation: query.deprecation,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });

  const service: EmulatorHandler = async (request) => {
    const answer = (await capture.handle(request)) ?? (await api.handle(request));
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
    personalApiKey: query.personalApiKey,
    projectId: query.projectId,
    seedEvents(events) {
      if (!Array.isArray(events)) throw new EmulatorConfigError('events', 'must be an array of events');
      const copies = events.map((event) => structuredClone(event));
      seeded.push(...copies);
      store.insert(copies, { receivedAt: new Date(clock()) });
    },
    eventCount: () => store.count(),
    queryStats: api.stats,
    queryRequests: api.queries,
    reset() {
      capture.reset();
      api.reset();
      store.clear();
      seeded = [];
      counters.reset();
      faults.clear();
    },
  };
}

// The query options read once and checked, with PostHog's defaults.
function readQueryOptions(read: Record<string, unknown>) {
  const personalApiKey =
    read.personalApiKey === undefined
      ? POSTHOG_EMULATOR_PERSONAL_KEY
      : stringOption(read.personalApiKey, 'personalApiKey', { nonEmpty: true });
  const projectId =
    read.projectId === undefined ? 1 : numberOption(read.projectId, 'projectId', { min: 1, integer: true });
  let asyncQueries: AsyncCompletion | undefined;
  if (read.asyncQueries !== undefined) {
    const raw = readOptionsObject(
      read.asyncQueries,
      ['completeAfterMs', 'completeAfterPolls'],
      'asyncQueries',
    );
    asyncQueries = {};
    if (raw.completeAfterMs !== undefined) {
      asyncQueries.completeAfterMs = numberOption(raw.completeAfterMs, 'asyncQueries.completeAfterMs', {
        min: 0,
      });
    }
    if (raw.completeAfterPolls !== undefined) {
      asyncQueries.completeAfterPolls = numberOption(
        raw.completeAfterPolls,
        'asyncQueries.completeAfterPolls',
        {
          min: 1,
          integer: true,
        },
      );
    }
    if (asyncQueries.completeAfterMs === undefined && asyncQueries.completeAfterPolls === undefined) {
      throw new EmulatorConfigError('asyncQueries', 'needs completeAfterMs or completeAfterPolls');
    }
  }
  const rates: QueryRate[] = [];
  if (read.queryRateLimits !== false) {
    const raw = readOptionsObject(read.queryRateLimits, ['perMinute', 'perHour'], 'queryRateLimits');
    const perMinute =
      raw.perMinute === undefined
        ? 240
        : numberOption(raw.perMinute, 'queryRateLimits.perMinute', { min: 1, integer: true });
    const perHour =
      raw.perHour === undefined
        ? 2400
        : numberOption(raw.perHour, 'queryRateLimits.perHour', { min: 1, integer: true });
    rates.push({ limit: perMinute, windowMs: 60_000 }, { limit: perHour, windowMs: 3_600_000 });
  }
  const count = (key: string, fallback: number, min: number) =>
    read[key] === undefined ? fallback : numberOption(read[key], key, { min, integer: true });
  const alias = readOptionsObject(read.environmentsAlias, ['deprecation', 'sunset'], 'environmentsAlias');
  return {
    personalApiKey,
    projectId,
    asyncQueries,
    rates,
    maxConcurrentQueries: count('maxConcurrentQueries', 3, 1),
    concurrencyWaitMs: count('concurrencyWaitMs', 30_000, 0),
    queryLatencyMs: count('queryLatencyMs', 0, 0),
    deprecation: {
      deprecation:
        alias.deprecation === undefined
          ? ENVIRONMENTS_DEPRECATION
          : stringOption(alias.deprecation, 'environmentsAlias.deprecation', { nonEmpty: true }),
      sunset:
        alias.sunset === undefined
          ? ENVIRONMENTS_SUNSET
          : stringOption(alias.sunset, 'environmentsAlias.sunset', { nonEmpty: true }),
    },
  };
}

// A query id as PostHog makes one (`uuid7().hex`): 48 bits of milliseconds, version 7, random bits.
function uuid7Hex(ms: number): string {
  const random = randomUUID().replace(/-/g, '');
  const time = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  const variant = ((Number.parseInt(random[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${time}7${random.slice(13, 16)}${variant}${random.slice(17, 32)}`;
}

/** A PostHog emulator served over HTTP on loopback: its `url` is the client's `host`. */
export type RunningPostHogEmulator = StartedEmulator<PostHogEmulator>;

/**
 * Starts a PostHog emulator on 127.0.0.1 (a free port unless `port` is given). Rejects with an
 * EmulatorConfigError naming the option for options of the wrong kind, or a port in use.
 * @example
 * const posthog = await startPostHogEmulator({ port: 0 });
 * await fetch(`${posthog.url}/batch/`, { method: 'POST', body: JSON.stringify({ api_key, batch }) });
 * await posthog.close();
 */
export async function startPostHogEmulator(
  options: PostHogEmulatorOptions & ListenOptions = {},
): Promise<RunningPostHogEmulator> {
  // No maxBodyBytes passed to the server: the emulator's own is a decompressed-size limit, answered PostHog's way.
  return startEmulator(options, createPostHogEmulator);
}
