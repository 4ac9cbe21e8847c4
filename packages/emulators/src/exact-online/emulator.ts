// The Exact Online emulator: one app (client id, secret, webhook secret), one user, and the divisions the user can
// reach, behind a fetch-style handler with the kit's faults and counters. Limits are Exact's (60 a minute and 5 000 a
// day per division, 10 errors per key, division and endpoint an hour, 200 token calls a day); see limits.ts and
// oauth.ts for the sources. The clock (`now`, plus `advanceTime`) drives tokens, limits and dates alike, so tests can
// run a day in a moment.

import { DEFAULT_MAX_BODY_BYTES } from '../kit/body.ts';
import { type Counters, createCounters } from '../kit/counters.ts';
import { createFaults, type Faults } from '../kit/faults.ts';
import {
  EmulatorConfigError,
  functionOption,
  numberOption,
  readOptionsObject,
  stringOption,
} from '../kit/options.ts';
import { createRandom } from '../kit/random.ts';
import { type ListenOptions, type StartedEmulator, startEmulator } from '../kit/start.ts';
import type { EmulatorHandler } from '../kit/types.ts';
import { withFaultsAndCounters } from '../kit/wrap.ts';
import { EXACT_ENTITIES } from './entities.ts';
import { ExactError } from './errors.ts';
import { createExactLimits, type ExactLimits } from './limits.ts';
import { createExactTokenService, type ExactTokenStats, type ExactTokens } from './oauth.ts';
import { createExactHandler, type ExactUser, exactOnlineRouteKey } from './routes.ts';
import { createExactStore, type DeletedEntry, type ExactRecord, type ExactStore } from './store.ts';
import { exactDate, guidFrom } from './values.ts';
import { createExactWebhooks, type ExactWebhookDelivery, type ExactWebhooks } from './webhooks.ts';

/** The client id an emulator accepts unless given another (Exact's client ids are GUIDs). */
export const EXACT_EMULATOR_CLIENT_ID = '0e1a7e55-0000-4000-a000-00000000e0e0';
/** The client secret an emulator accepts unless given another. */
export const EXACT_EMULATOR_CLIENT_SECRET = 'emulator-exact-secret';
/** The webhook secret deliveries are signed with unless given another. */
export const EXACT_EMULATOR_WEBHOOK_SECRET = 'emulator-exact-webhook-secret';

/** Options of {@link createExactOnlineEmulator}. */
export interface ExactOnlineEmulatorOptions {
  /** Default {@link EXACT_EMULATOR_CLIENT_ID}. */
  clientId?: string;
  /** Default {@link EXACT_EMULATOR_CLIENT_SECRET}. */
  clientSecret?: string;
  /** The registered redirect URI; default any absolute URI. */
  redirectUri?: string;
  /** Default {@link EXACT_EMULATOR_WEBHOOK_SECRET}. */
  webhookSecret?: string;
  /** Division codes the user can reach; the first is `CurrentDivision`. Default `[1234567]`. */
  divisions?: number[];
  /** More access tokens to accept as Bearer (they act for the app). */
  acceptToken?: (token: string) => boolean;
  /** `false`: no call limits, no error budget and no limit headers (token rules stay). */
  rateLimit?: false;
  /** Default 60. */
  minutelyLimit?: number;
  /** Default 5 000. */
  dailyLimit?: number;
  /** Default 10. */
  errorsPerHour?: number;
  /** Default 200. */
  tokenCallsPerDay?: number;
  /** Refuse REST and bulk lists without `$filter` where a sync endpoint exists, as Exact does. Default true. */
  mandatoryFiltering?: boolean;
  /** `'fetch'` also POSTs webhook deliveries to their CallbackURL. Default `'record'`. */
  deliverWebhooks?: 'record' | 'fetch';
  /** The fetch used for deliveries. Default the global one. */
  fetch?: typeof fetch;
  /** The first row version (`Timestamp`) handed out in each division. Default 1 000 000. */
  firstTimestamp?: number;
  /** Seed of the fault PRNG and GUIDs. Default 1. */
  seed?: number;
  /** Where msw handlers intercept, and the host of `__next` and `__metadata` URLs. Default `https://start.exactonline.test`. */
  baseUrl?: string;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Largest request body read, in bytes. Default 100 MiB. */
  maxBodyBytes?: number;
}

/** An emulated Exact Online app, user and divisions. */
export interface ExactOnlineEmulator {
  handler: EmulatorHandler;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  /** The user's current division. */
  division: number;
  faults: Faults;
  counters: Counters;
  store: ExactStore;
  webhooks: ExactWebhooks;
  /** Undefined with `rateLimit: false`. */
  limits: ExactLimits | undefined;
  maxBodyBytes: number;
  /** Tokens of a new grant without the browser round trip (not counted as a token call). */
  issueTokens(): ExactTokens;
  /** Token endpoint calls, refreshes, 'Old refresh token used.' and too-early answers, daily-cap refusals. */
  tokenStats(): ExactTokenStats;
  /** Revokes a token's grant, as a user disconnecting the app. */
  revokeToken(token: string): boolean;
  /** Writes records straight into the store: no request, no limit, no webhook. Fast for 50 000. */
  seed(path: string, records: readonly Record<string, unknown>[], division?: number): ExactRecord[];
  /** Creates a record as a user in Exact would (checked; webhooks fire). */
  createRecord(path: string, values: Record<string, unknown>, division?: number): ExactRecord;
  /** Changes a record as a user would (webhooks fire); undefined when absent. */
  updateRecord(
    path: string,
    key: string,
    values: Record<string, unknown>,
    division?: number,
  ): ExactRecord | undefined;
  /** Deletes a record as a user would: recorded for `sync/Deleted`, webhooks fire. False when absent. */
  deleteRecord(path: string, key: string, division?: number): boolean;
  /** Live records of an entity, in Timestamp order. */
  list(path: string, division?: number): ExactRecord[];
  get(path: string, key: string, division?: number): ExactRecord | undefined;
  deleted(division?: number): readonly DeletedEntry[];
  webhookDeliveries(): ExactWebhookDelivery[];
  /** Moves the emulator's clock forward. */
  advanceTime(ms: number): void;
  /** Calls left today in a division (Infinity without limits). */
  dailyRemaining(division?: number): number;
  /** Empties records, webhooks, tokens, counters, faults and limits. */
  reset(): void;
}

const OPTION_KEYS = [
  'clientId',
  'clientSecret',
  'redirectUri',
  'webhookSecret',
  'divisions',
  'acceptToken',
  'rateLimit',
  'minutelyLimit',
  'dailyLimit',
  'errorsPerHour',
  'tokenCallsPerDay',
  'mandatoryFiltering',
  'deliverWebhooks',
  'fetch',
  'firstTimestamp',
  'seed',
  'baseUrl',
  'now',
  'maxBodyBytes',
] as const;

function readDivisions(value: unknown): number[] {
  if (value === undefined) return [1234567];
  let list: unknown[];
  try {
    if (!Array.isArray(value)) throw new TypeError('not an array');
    list = [...value];
  } catch {
    throw new EmulatorConfigError('divisions', 'must be an array of division codes');
  }
  if (list.length === 0) throw new EmulatorConfigError('divisions', 'must name at least one division');
  const codes = list.map((code, index) =>
    numberOption(code, `divisions.${index}`, { min: 1, max: 999_999_999, integer: true }),
  );
  if (new Set(codes).size !== codes.length)
    throw new EmulatorConfigError('divisions', 'must not repeat a code');
  return codes;
}

/**
 * Creates an emulated Exact Online. Options of the wrong kind throw an EmulatorConfigError naming them.
 * @example
 * const exact = createExactOnlineEmulator({ divisions: [101, 202] });
 * const { access_token } = exact.issueTokens();
 * await exact.handler(new Request(`${exact.baseUrl}/api/v1/current/Me`, {
 *   headers: { Authorization: `Bearer ${access_token}`, Accept: 'application/json' },
 * }));
 */
export function createExactOnlineEmulator(options: ExactOnlineEmulatorOptions = {}): ExactOnlineEmulator {
  const read = readOptionsObject(options, OPTION_KEYS, 'options');
  const str = (key: 'clientId' | 'clientSecret' | 'webhookSecret', fallback: string) =>
    read[key] === undefined ? fallback : stringOption(read[key], key, { nonEmpty: true });
  const clientId = str('clientId', EXACT_EMULATOR_CLIENT_ID);
  const clientSecret = str('clientSecret', EXACT_EMULATOR_CLIENT_SECRET);
  const webhookSecret = str('webhookSecret', EXACT_EMULATOR_WEBHOOK_SECRET);
  const redirectUri =
    read.redirectUri === undefined ? undefined : stringOption(read.redirectUri, 'redirectUri');
  if (redirectUri !== undefined && !URL.canParse(redirectUri)) {
    throw new EmulatorConfigError('redirectUri', 'must be an absolute URI');
  }
  const divisions = readDivisions(read.divisions);
  const acceptToken =
    read.acceptToken === undefined
      ? undefined
      : functionOption<(token: string) => boolean>(read.acceptToken, 'acceptToken');
  if (read.rateLimit !== undefined && read.rateLimit !== false) {
    throw new EmulatorConfigError('rateLimit', 'must be false or left out');
  }
  const int = (key: (typeof OPTION_KEYS)[number], fallback: number) =>
    read[key] === undefined ? fallback : numberOption(read[key], key, { min: 1, integer: true });
  const minutely = int('minutelyLimit', 60);
  const daily = int('dailyLimit', 5_000);
  const errorsPerHour = int('errorsPerHour', 10);
  const tokenCallsPerDay = int('tokenCallsPerDay', 200);
  const firstTimestamp = int('firstTimestamp', 1_000_000);
  if (read.mandatoryFiltering !== undefined && typeof read.mandatoryFiltering !== 'boolean') {
    throw new EmulatorConfigError('mandatoryFiltering', 'must be a boolean');
  }
  const mandatoryFiltering = read.mandatoryFiltering !== false;
  const deliver = read.deliverWebhooks === undefined ? 'record' : read.deliverWebhooks;
  if (deliver !== 'record' && deliver !== 'fetch') {
    throw new EmulatorConfigError('deliverWebhooks', "must be 'record' or 'fetch'");
  }
  const fetchFn = read.fetch === undefined ? undefined : functionOption<typeof fetch>(read.fetch, 'fetch');
  const seedValue =
    read.seed === undefined
      ? 1
      : numberOption(read.seed, 'seed', { min: -Number.MAX_VALUE, max: Number.MAX_VALUE });
  const baseUrlText =
    read.baseUrl === undefined ? 'https://start.exactonline.test' : stringOption(read.baseUrl, 'baseUrl');
  if (!URL.canParse(baseUrlText) || !/^https?:$/.test(new URL(baseUrlText).protocol)) {
    throw new EmulatorConfigError('baseUrl', 'must be an http(s) URL');
  }
  const baseUrl = baseUrlText.replace(/\/+$/, '');
  const realNow = read.now === undefined ? () => Date.now() : functionOption<() => number>(read.now, 'now');
  const maxBodyBytes =
    read.maxBodyBytes === undefined
      ? DEFAULT_MAX_BODY_BYTES
      : numberOption(read.maxBodyBytes, 'maxBodyBytes', { min: 0, integer: true });

  let offsetMs = 0;
  const now = () => realNow() + offsetMs;
  const random = createRandom(seedValue ^ 0xe8ac7);
  const user: ExactUser = {
    UserID: guidFrom(random),
    FullName: 'Emulator User',
    Email: 'user@exactonline.test',
    UserName: 'user@exactonline.test',
    CurrentDivision: divisions[0]!,
  };
  const webhooks = createExactWebhooks({
    clientId,
    secret: webhookSecret,
    userId: user.UserID,
    userName: user.FullName,
    baseUrl,
    now,
    random,
    deliver,
    ...(fetchFn ? { fetch: fetchFn } : {}),
  });
  let muted = false;
  const store = createExactStore({
    divisions,
    userId: user.UserID,
    now,
    random,
    firstTimestamp,
    onChange: (change) => {
      if (!muted) webhooks.announce(change);
    },
  });
  const tokens = createExactTokenService({ now, tokenCallsPerDay });
  const limits =
    read.rateLimit === false ? undefined : createExactLimits({ now, minutely, daily, errorsPerHour });
  const created = exactDate(Date.UTC(2020, 0, 1));
  const customer = guidFrom(random);
  const faults = createFaults({ seed: seedValue });
  const counters = createCounters();
  const inner = createExactHandler({
    store,
    tokens,
    webhooks,
    limits,
    app: { clientId, clientSecret, redirectUri },
    user,
    divisionInfo: (code) => ({
      Code: code,
      Description: `Division ${code}`,
      HID: code,
      Hid: code,
      Country: 'NL',
      Currency: 'EUR',
      Customer: customer,
      CustomerCode: '                 1',
      CustomerName: 'Emulator BV',
      Main: code === divisions[0],
      IsMainDivision: code === divisions[0],
      BlockingStatus: 0,
      Created: created,
      Modified: created,
    }),
    baseUrl,
    maxBodyBytes,
    mandatoryFiltering,
    now,
    acceptToken: (token) => {
      try {
        return acceptToken?.(token) === true ? clientId : undefined;
      } catch {
        // A check that fails refuses the token, as an auth service that errors would.
        return undefined;
      }
    },
  });
  const configError = (error: unknown, field: string) => {
    if (error instanceof EmulatorConfigError) return error;
    return new EmulatorConfigError(field, error instanceof ExactError ? error.message : 'could not be read');
  };
  const divisionOf = (division: number | undefined) => {
    const d = division ?? divisions[0]!;
    if (!store.hasDivision(d))
      throw new EmulatorConfigError('division', 'is not one of the emulator’s divisions');
    return d;
  };
  const entityPath = (path: string) => {
    if (!EXACT_ENTITIES.has(path)) {
      throw new EmulatorConfigError('path', `must be one of ${[...EXACT_ENTITIES.keys()].join(', ')}`);
    }
    return path;
  };

  return {
    handler: withFaultsAndCounters(inner, { faults, counters, routeKey: exactOnlineRouteKey }),
    baseUrl,
    clientId,
    clientSecret,
    webhookSecret,
    division: divisions[0]!,
    faults,
    counters,
    store,
    webhooks,
    limits,
    maxBodyBytes,
    issueTokens: () => tokens.issue(clientId),
    tokenStats: () => tokens.stats(),
    revokeToken: (token) => tokens.revoke(token),
    seed(path, records, division) {
      const d = divisionOf(division);
      muted = true;
      try {
        return store.seed(d, entityPath(path), records);
      } catch (error) {
        throw configError(error, 'records');
      } finally {
        muted = false;
      }
    },
    createRecord(path, values, division) {
      try {
        return store.create(divisionOf(division), entityPath(path), values);
      } catch (error) {
        throw configError(error, 'values');
      }
    },
    updateRecord(path, key, values, division) {
      try {
        return store.update(divisionOf(division), entityPath(path), key, values);
      } catch (error) {
        throw configError(error, 'values');
      }
    },
    deleteRecord: (path, key, division) => store.remove(divisionOf(division), entityPath(path), key),
    list: (path, division) => store.all(divisionOf(division), entityPath(path)),
    get: (path, key, division) => store.get(divisionOf(division), entityPath(path), key),
    deleted: (division) => store.deleted(divisionOf(division)),
    webhookDeliveries: () => webhooks.deliveries(),
    advanceTime(ms) {
      offsetMs += numberOption(ms, 'ms', { min: 0 });
    },
    dailyRemaining: (division) => limits?.dailyRemaining(divisionOf(division)) ?? Number.POSITIVE_INFINITY,
    reset() {
      store.clear();
      webhooks.clear();
      tokens.clear();
      counters.reset();
      faults.clear();
      limits?.reset();
    },
  };
}

/** An Exact Online emulator served over HTTP on loopback. */
export type RunningExactOnlineEmulator = StartedEmulator<ExactOnlineEmulator>;

/**
 * Starts an Exact Online emulator on 127.0.0.1 (a free port unless `port` is given); its `__next` and `__metadata`
 * URLs use the served URL unless `baseUrl` is given. Rejects with an EmulatorConfigError naming the option for
 * options of the wrong kind, and for a `port` in use.
 * @example
 * const exact = await startExactOnlineEmulator();
 * const { access_token } = exact.emulator.issueTokens();
 * await fetch(`${exact.url}/api/v1/current/Me`, { headers: { Authorization: `Bearer ${access_token}`, Accept: 'application/json' } });
 * await exact.close();
 */
export async function startExactOnlineEmulator(
  options: ExactOnlineEmulatorOptions & ListenOptions = {},
): Promise<RunningExactOnlineEmulator> {
  // The served URL is known only once listening: a handler that reads the emulator late serves the one made for it.
  let target: ExactOnlineEmulator | undefined;
  const started = await startEmulator(options, (given) => {
    const placeholder = createExactOnlineEmulator(given);
    target = placeholder;
    return {
      handler: (request: Request) => target!.handler(request),
      maxBodyBytes: placeholder.maxBodyBytes,
    };
  });
  const read = readOptionsObject(options, ['baseUrl'], 'options');
  if (read.baseUrl === undefined) target = createExactOnlineEmulator({ ...options, baseUrl: started.url });
  return { url: started.url, emulator: target!, close: started.close };
}
