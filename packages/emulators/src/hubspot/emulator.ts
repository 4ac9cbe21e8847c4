// The HubSpot CRM emulator: one account (portal) behind a fetch-style handler, with the kit's faults and counters.
// Limits default to a private app on a Free/Starter account (100 per 10 s, 250 000 a day, search 5 per second).

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
import { type ListenOptions, type StartedEmulator, startEmulator } from '../kit/start.ts';
import type { EmulatorHandler } from '../kit/types.ts';
import { withFaultsAndCounters } from '../kit/wrap.ts';
import type { HubSpotAccount } from './account.ts';
import { createHubSpotAssociations, type HubSpotAssociations } from './associations.ts';
import { checkProperties } from './properties.ts';
import {
  createHubSpotRateLimiter,
  HUBSPOT_PLAN_LIMITS,
  type HubSpotLimits,
  type HubSpotPlan,
  type HubSpotRateLimiter,
} from './rate-limit.ts';
import { createHubSpotHandler, hubspotRouteKey } from './routes.ts';
import {
  type CustomObjectInput,
  createHubSpotSchema,
  type HubSpotSchema,
  type ObjectTypeDef,
} from './schema.ts';
import { createHubSpotStore, type HubSpotRecord, type HubSpotStore } from './store.ts';

/** The private-app token an emulator accepts unless given another. */
export const HUBSPOT_EMULATOR_TOKEN = 'pat-na1-emulator-0000-0000-0000-000000000000';

/** Options of {@link createHubSpotEmulator}. */
export interface HubSpotEmulatorOptions {
  /** The Bearer token accepted. Default {@link HUBSPOT_EMULATOR_TOKEN}. */
  token?: string;
  /**
   * More tokens to accept, e.g. OAuth access tokens of the OAuth2 emulator (`token => oauth.acceptsAccessToken(token)`);
   * answer `'expired'` for a 401 `EXPIRED_AUTHENTICATION`. The fixed `token` is accepted as well.
   */
  acceptToken?: (token: string) => boolean | 'expired';
  /** The portal (hub) id named in messages. Default 12345678. */
  portalId?: number;
  /** The account's plan, setting the 10-second and daily limits. Default `'free'` (100 per 10 s, 250 000 a day). */
  plan?: HubSpotPlan;
  /** Overrides of the plan's limits, or `false` for none (no rate-limit headers either). */
  rateLimit?: { max?: number; intervalMs?: number; daily?: number } | false;
  /** Search requests per second per token, or `false` for no search limit. Default 5. */
  searchPerSecond?: number | false;
  /** `'oauth'`: a public app's token (110 per 10 s unless `rateLimit` says otherwise, no daily headers). */
  authKind?: 'private-app' | 'oauth';
  /** Scopes the token holds; when given, calls needing another answer 403 `MISSING_SCOPES`. Default: every scope. */
  scopes?: string[];
  /** Custom object types (`2-12345`) to define at start. */
  customObjects?: CustomObjectInput[];
  /** Extra properties per type (`{ contacts: ['external_id'] }`). */
  properties?: Record<string, string[]>;
  /** Extra unique properties per type, usable as `idProperty` (`{ companies: ['external_id'] }`). */
  uniqueProperties?: Record<string, string[]>;
  /** How long a new record stays out of search results, in ms (search lags writes). Default 0. */
  searchLagMs?: number;
  /** Most inputs in a batch. Default 100. */
  batchLimit?: number;
  /** Most inputs in an associations batch read. Default 1 000. */
  associationReadLimit?: number;
  /** Seed of the fault PRNG and of correlation ids. */
  seed?: number;
  /** Latency added to every request, in ms. Default 0. */
  latencyMs?: number;
  /** Where msw handlers intercept. Default `http://hubspot.emulator.test`. */
  baseUrl?: string;
  /** Clock in epoch ms (timestamps and limits). Default `Date.now`. */
  now?: () => number;
  /** Largest request body read, in bytes. Default 100 MiB. */
  maxBodyBytes?: number;
  /** The first record id. Default 1001. */
  firstId?: number;
}

/** An emulated HubSpot account: one handler (faults and counters included) plus its state. */
export interface HubSpotEmulator {
  handler: EmulatorHandler;
  baseUrl: string;
  token: string;
  portalId: number;
  schema: HubSpotSchema;
  store: HubSpotStore;
  associations: HubSpotAssociations;
  faults: Faults;
  counters: Counters;
  rateLimiter: HubSpotRateLimiter;
  maxBodyBytes: number;
  /** Defines a custom object type (`2-12345`). */
  defineObjectType(input: CustomObjectInput): ObjectTypeDef;
  /** Adds a property to a type; `unique` makes it usable as `idProperty`. */
  defineProperty(type: string, name: string, options?: { unique?: boolean }): void;
  /** Writes records straight into the store (no request, no limit), checking their properties. */
  seedRecords(type: string, records: Record<string, string>[]): HubSpotRecord[];
  /** A live record by id. */
  getRecord(type: string, id: string): HubSpotRecord | undefined;
  /** Live records of a type. */
  count(type: string): number;
  /** The live (or archived) records of a type, in id order: what a sync contract compares its mappings with. */
  listRecords(type: string, options?: { archived?: boolean }): HubSpotRecord[];
  /** Empties records, associations, counters, faults and limiter windows (object types and properties stay). */
  reset(): void;
}

const OPTION_KEYS = [
  'token',
  'acceptToken',
  'portalId',
  'plan',
  'rateLimit',
  'searchPerSecond',
  'authKind',
  'scopes',
  'customObjects',
  'properties',
  'uniqueProperties',
  'searchLagMs',
  'batchLimit',
  'associationReadLimit',
  'seed',
  'latencyMs',
  'baseUrl',
  'now',
  'maxBodyBytes',
  'firstId',
] as const;

function readLimits(read: {
  plan?: unknown;
  rateLimit?: unknown;
  authKind?: unknown;
}): HubSpotLimits | undefined {
  const authKind = read.authKind === undefined ? 'private-app' : read.authKind;
  if (authKind !== 'private-app' && authKind !== 'oauth') {
    throw new EmulatorConfigError('authKind', "must be 'private-app' or 'oauth'");
  }
  const planName = read.plan === undefined ? 'free' : read.plan;
  if (typeof planName !== 'string' || !Object.hasOwn(HUBSPOT_PLAN_LIMITS, planName)) {
    throw new EmulatorConfigError('plan', `must be one of ${Object.keys(HUBSPOT_PLAN_LIMITS).join(', ')}`);
  }
  if (read.rateLimit === false) return undefined;
  const plan = HUBSPOT_PLAN_LIMITS[planName as HubSpotPlan];
  const own = readOptionsObject(read.rateLimit, ['max', 'intervalMs', 'daily'], 'rateLimit');
  const oauth = authKind === 'oauth';
  return {
    // Public OAuth apps: 110 per 10 s per installed account (usage guidelines).
    max:
      own.max === undefined
        ? oauth && read.plan === undefined
          ? 110
          : plan.max
        : numberOption(own.max, 'rateLimit.max', { min: 1, integer: true }),
    intervalMs:
      own.intervalMs === undefined
        ? 10_000
        : numberOption(own.intervalMs, 'rateLimit.intervalMs', { min: 1 }),
    daily:
      own.daily === undefined
        ? plan.daily
        : numberOption(own.daily, 'rateLimit.daily', { min: 1, integer: true }),
    oauth,
  };
}

function stringLists(value: unknown, field: string): Record<string, string[]> {
  if (value === undefined) return {};
  const out: Record<string, string[]> = {};
  let entries: [string, unknown][];
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new TypeError('not an object');
    entries = Object.entries(value);
  } catch {
    // Not an object, or a Proxy whose traps throw: refused by name either way.
    throw new EmulatorConfigError(field, 'must be an object of string arrays');
  }
  for (const [key, list] of entries) {
    let ok = false;
    try {
      ok = Array.isArray(list) && list.every((item) => typeof item === 'string');
    } catch {
      ok = false;
    }
    if (!ok) throw new EmulatorConfigError(`${field}.${key}`, 'must be an array of strings');
    out[key] = [...(list as string[])];
  }
  return out;
}

function uuidFrom(random: () => number): () => string {
  return () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  };
}

/**
 * Creates an emulated HubSpot account (contacts, companies, deals, tickets, custom objects; batches, search,
 * associations; limits; faults and counters). Options of the wrong kind throw an EmulatorConfigError naming them.
 * @example
 * const hubspot = createHubSpotEmulator({ rateLimit: false });
 * const res = await hubspot.handler(new Request(`${hubspot.baseUrl}/crm/objects/2026-03/contacts`, {
 *   headers: { Authorization: `Bearer ${hubspot.token}` },
 * }));
 */
export function createHubSpotEmulator(options: HubSpotEmulatorOptions = {}): HubSpotEmulator {
  const read = readOptionsObject(options, OPTION_KEYS, 'options');
  const token =
    read.token === undefined ? HUBSPOT_EMULATOR_TOKEN : stringOption(read.token, 'token', { nonEmpty: true });
  if (/\s/.test(token)) throw new EmulatorConfigError('token', 'must not contain spaces');
  const int = (key: 'portalId' | 'batchLimit' | 'associationReadLimit' | 'firstId', fallback: number) =>
    read[key] === undefined ? fallback : numberOption(read[key], key, { min: 1, integer: true });
  const portalId = int('portalId', 12_345_678);
  const baseUrl =
    read.baseUrl === undefined ? 'http://hubspot.emulator.test' : stringOption(read.baseUrl, 'baseUrl');
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new EmulatorConfigError('baseUrl', 'must be an http(s) URL');
  }
  const now = read.now === undefined ? () => Date.now() : functionOption<() => number>(read.now, 'now');
  const latencyMs =
    read.latencyMs === undefined
      ? 0
      : numberOption(read.latencyMs, 'latencyMs', { min: 0, max: MAX_TIMER_MS });
  const maxBodyBytes =
    read.maxBodyBytes === undefined
      ? DEFAULT_MAX_BODY_BYTES
      : numberOption(read.maxBodyBytes, 'maxBodyBytes', { min: 0, integer: true });
  const seed =
    read.seed === undefined
      ? undefined
      : numberOption(read.seed, 'seed', { min: -Number.MAX_VALUE, max: Number.MAX_VALUE });
  const searchPerSecond =
    read.searchPerSecond === false
      ? false
      : read.searchPerSecond === undefined
        ? 5
        : numberOption(read.searchPerSecond, 'searchPerSecond', { min: 1, integer: true });
  let scopes: Set<string> | undefined;
  if (read.scopes !== undefined) {
    let list: string[] | undefined;
    try {
      if (Array.isArray(read.scopes) && read.scopes.every((scope) => typeof scope === 'string'))
        list = [...read.scopes];
    } catch {
      list = undefined;
    }
    if (!list) throw new EmulatorConfigError('scopes', 'must be an array of strings');
    scopes = new Set(list);
  }
  const limits = readLimits(read);
  const acceptToken =
    read.acceptToken === undefined
      ? undefined
      : functionOption<(token: string) => boolean | 'expired'>(read.acceptToken, 'acceptToken');

  const schema = createHubSpotSchema();
  if (read.customObjects !== undefined) {
    let inputs: unknown[];
    try {
      if (!Array.isArray(read.customObjects)) throw new TypeError('not an array');
      inputs = [...read.customObjects];
    } catch {
      throw new EmulatorConfigError('customObjects', 'must be an array');
    }
    inputs.forEach((input, index) => {
      try {
        const item = readOptionsObject(
          input,
          ['objectTypeId', 'name', 'properties', 'uniqueProperties', 'defaultProperties'],
          `customObjects.${index}`,
        );
        const lists = stringLists(
          {
            properties: item.properties ?? [],
            uniqueProperties: item.uniqueProperties ?? [],
            defaultProperties: item.defaultProperties ?? [],
          },
          `customObjects.${index}`,
        );
        schema.defineObjectType({
          objectTypeId: stringOption(item.objectTypeId, `customObjects.${index}.objectTypeId`),
          name: stringOption(item.name, `customObjects.${index}.name`),
          properties: lists.properties,
          uniqueProperties: lists.uniqueProperties,
          ...(item.defaultProperties === undefined ? {} : { defaultProperties: lists.defaultProperties }),
        });
      } catch (error) {
        if (error instanceof EmulatorConfigError) throw error;
        throw new EmulatorConfigError(
          `customObjects.${index}`,
          error instanceof Error ? error.message : 'invalid',
        );
      }
    });
  }
  const define = (lists: Record<string, string[]>, field: string, unique: boolean) => {
    for (const [type, names] of Object.entries(lists)) {
      for (const name of names) {
        try {
          schema.defineProperty(type, name, { unique });
        } catch (error) {
          throw new EmulatorConfigError(
            `${field}.${type}`,
            error instanceof Error ? error.message : 'invalid',
          );
        }
      }
    }
  };
  define(stringLists(read.properties, 'properties'), 'properties', false);
  define(stringLists(read.uniqueProperties, 'uniqueProperties'), 'uniqueProperties', true);

  const store = createHubSpotStore({ now, firstId: int('firstId', 1001) });
  const associations = createHubSpotAssociations();
  const account: HubSpotAccount = {
    schema,
    store,
    associations,
    portalId,
    batchLimit: int('batchLimit', 100),
    associationReadLimit: int('associationReadLimit', 1000),
    searchLagMs:
      read.searchLagMs === undefined
        ? 0
        : numberOption(read.searchLagMs, 'searchLagMs', { min: 0, max: MAX_TIMER_MS }),
    now,
  };
  const rateLimiter = createHubSpotRateLimiter({ limits, searchPerSecond, now });
  const faults = createFaults(seed === undefined ? {} : { seed });
  const counters = createCounters();
  const correlationId =
    seed === undefined ? () => globalThis.crypto.randomUUID() : uuidFrom(createRandom(seed ^ 0xc0ffee));
  const inner = createHubSpotHandler({
    account,
    accepts: (candidate) => {
      if (candidate === token) return true;
      if (!acceptToken) return false;
      try {
        const verdict = acceptToken(candidate);
        return verdict === true || verdict === 'expired' ? verdict : false;
      } catch {
        // A check that fails refuses the token, as an auth service that errors would.
        return false;
      }
    },
    // Limits belong to the app and account: an OAuth app's tokens rotate on refresh but share one budget.
    limitKey: (candidate) => (limits?.oauth ? `portal:${portalId}` : candidate),
    scopes,
    limiter: rateLimiter,
    maxBodyBytes,
    correlationId,
  });
  const delayed: EmulatorHandler =
    latencyMs > 0
      ? async (request) => {
          await new Promise((resolve) => setTimeout(resolve, latencyMs));
          return inner(request);
        }
      : inner;

  return {
    handler: withFaultsAndCounters(delayed, { faults, counters, routeKey: hubspotRouteKey }),
    baseUrl: baseUrl.replace(/\/+$/, ''),
    token,
    portalId,
    schema,
    store,
    associations,
    faults,
    counters,
    rateLimiter,
    maxBodyBytes,
    defineObjectType: (input) => schema.defineObjectType(input),
    defineProperty: (type, name, propertyOptions) => schema.defineProperty(type, name, propertyOptions),
    seedRecords(type, records) {
      const def = schema.resolve(type);
      return records.map((properties) => {
        const checked = checkProperties(def, properties, portalId);
        if (!checked.ok) throw new EmulatorConfigError('records', checked.error.message);
        return store.create(def, checked.properties);
      });
    },
    getRecord: (type, id) => store.get(schema.resolve(type), id),
    count: (type) => store.count(schema.resolve(type)),
    listRecords: (type, listOptions) => store.list(schema.resolve(type), listOptions),
    reset() {
      store.clear();
      associations.clear();
      counters.reset();
      faults.clear();
      rateLimiter.reset();
    },
  };
}

/** A HubSpot emulator served over HTTP on loopback; the CRM lives under `${url}/crm`. */
export interface RunningHubSpotEmulator extends StartedEmulator<HubSpotEmulator> {
  token: string;
}

/**
 * Starts a HubSpot emulator on 127.0.0.1 (a free port unless `port` is given). Rejects with an EmulatorConfigError
 * naming the option for options of the wrong kind, and for a `port` in use.
 * @example
 * const hubspot = await startHubSpotEmulator();
 * await fetch(`${hubspot.url}/crm/v3/objects/contacts`, { headers: { Authorization: `Bearer ${hubspot.token}` } });
 * await hubspot.close();
 */
export async function startHubSpotEmulator(
  options: HubSpotEmulatorOptions & ListenOptions = {},
): Promise<RunningHubSpotEmulator> {
  const { url, emulator, close } = await startEmulator(options, createHubSpotEmulator);
  return { url, token: emulator.token, emulator, close };
}
