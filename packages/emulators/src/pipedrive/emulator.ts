// The Pipedrive emulator: one company behind a fetch-style handler, with the kit's faults and counters. Limits
// default to a Lite plan with one seat (30 000 tokens a day, 20 requests per 2 s); see limits.ts for the sources.

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
import { PipedriveError } from './errors.ts';
import {
  createFieldRegistry,
  type FieldInput,
  type FieldRegistry,
  type PipedriveEntity,
  type PipedriveField,
} from './fields.ts';
import {
  createPipedriveLimits,
  dailyBudget,
  PIPEDRIVE_PLANS,
  type PipedriveLimits,
  type PipedrivePlan,
} from './limits.ts';
import { type PipedriveRecord, rfc3339 } from './records.ts';
import { createPipedriveHandler, pipedriveRouteKey } from './routes.ts';
import { createPipedriveStore, type PipedriveStore, type V1Record } from './store.ts';
import { createWebhookRegistry, type WebhookDelivery, type WebhookRegistry } from './webhooks.ts';

/** The API token an emulator accepts unless given another. */
export const PIPEDRIVE_EMULATOR_TOKEN = 'emulator0000000000000000000000000000pipe';

/** Options of {@link createPipedriveEmulator}. */
export interface PipedriveEmulatorOptions {
  /** The API token accepted (`x-api-token`, Bearer, or v1 `?api_token=`). Default {@link PIPEDRIVE_EMULATOR_TOKEN}. */
  apiToken?: string;
  /** An OAuth access token accepted as Bearer; OAuth tokens get 4× the plan's burst limit. */
  oauthToken?: string;
  /** More OAuth access tokens to accept as Bearer (e.g. the OAuth2 emulator's). */
  acceptToken?: (token: string) => boolean;
  /** The company's plan. Default `'lite'`. */
  plan?: PipedrivePlan;
  /** Seats, multiplying the daily budget. Default 1. */
  seats?: number;
  /** The daily token budget, overriding plan × seats. */
  dailyTokens?: number;
  /** Requests per 2 s per token, overriding the plan's. */
  burst?: number;
  /** Search requests per 2 s per token. Default 10. */
  searchBurst?: number;
  /** Consecutive 429s after which the edge answers a 403 HTML page. Default 10. */
  edgeBlockAfter?: number;
  /** `false`: no limits and no limit headers. */
  rateLimit?: false;
  /** `'fetch'` also POSTs webhook deliveries to their `subscription_url`. Default `'record'`. */
  deliverWebhooks?: 'record' | 'fetch';
  /** The fetch used for deliveries. Default the global one. */
  fetch?: typeof fetch;
  /** Custom fields defined at start, per entity. */
  customFields?: Partial<Record<PipedriveEntity, FieldInput[]>>;
  /** Default 1. */
  companyId?: number;
  /** The token's user. Default 1. */
  userId?: number;
  /** Seed of the fault PRNG, field keys and UUIDs. Default 1. */
  seed?: number;
  /** Where msw handlers intercept. Default `https://emulator.pipedrive.test`. */
  baseUrl?: string;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Largest request body read, in bytes. Default 100 MiB. */
  maxBodyBytes?: number;
}

/** A change made "in the app" by a user, announced with `change_source: 'app'`. */
export type AppChange =
  | { action: 'create'; values: Record<string, unknown> }
  | { action: 'change'; id: number; values: Record<string, unknown> }
  | { action: 'delete'; id: number }
  /** A merge: Pipedrive announces it as a delete of the merged record and a change of the one kept (wire notes). */
  | { action: 'merge'; id: number; intoId: number };

/** An emulated Pipedrive company: one handler (faults and counters included) plus its state. */
export interface PipedriveEmulator {
  handler: EmulatorHandler;
  baseUrl: string;
  apiToken: string;
  faults: Faults;
  counters: Counters;
  store: PipedriveStore;
  fields: FieldRegistry;
  webhooks: WebhookRegistry;
  /** Undefined with `rateLimit: false`. */
  limits: PipedriveLimits | undefined;
  maxBodyBytes: number;
  /** Defines a custom field; answers it with its 40-hex `field_code`. */
  defineField(entity: PipedriveEntity, input: FieldInput): PipedriveField;
  /** Writes records straight into the store (no request, no limit, no webhook), checking their values. */
  seed(entity: PipedriveEntity, records: Record<string, unknown>[]): PipedriveRecord[];
  /** Live records of an entity, in id order. */
  list(entity: PipedriveEntity): PipedriveRecord[];
  get(entity: PipedriveEntity, id: number): PipedriveRecord | undefined;
  notes(): V1Record[];
  leads(): V1Record[];
  /** A change made by a user in the app (webhooks say `change_source: 'app'`); answers the record, if any. */
  appChange(entity: PipedriveEntity, change: AppChange): PipedriveRecord | undefined;
  /** Every webhook delivery so far, oldest first. */
  webhookDeliveries(): WebhookDelivery[];
  /** Moves the clock to the next midnight (UTC), when the daily budget comes back. */
  advanceToNextDay(): void;
  /** Tokens left today. */
  dailyTokensRemaining(): number;
  /** Empties records, webhooks, counters, faults and limits (field definitions stay). */
  reset(): void;
}

const OPTION_KEYS = [
  'apiToken',
  'oauthToken',
  'acceptToken',
  'plan',
  'seats',
  'dailyTokens',
  'burst',
  'searchBurst',
  'edgeBlockAfter',
  'rateLimit',
  'deliverWebhooks',
  'fetch',
  'customFields',
  'companyId',
  'userId',
  'seed',
  'baseUrl',
  'now',
  'maxBodyBytes',
] as const;

const DAY_MS = 86_400_000;

function hexFrom(random: () => number, length: number): string {
  return Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
}

/**
 * Creates an emulated Pipedrive company. Options of the wrong kind throw an EmulatorConfigError naming them.
 * @example
 * const pipedrive = createPipedriveEmulator({ plan: 'growth', seats: 3 });
 * const res = await pipedrive.handler(new Request(`${pipedrive.baseUrl}/api/v2/persons`, {
 *   headers: { 'x-api-token': pipedrive.apiToken },
 * }));
 */
export function createPipedriveEmulator(options: PipedriveEmulatorOptions = {}): PipedriveEmulator {
  const read = readOptionsObject(options, OPTION_KEYS, 'options');
  const apiToken =
    read.apiToken === undefined
      ? PIPEDRIVE_EMULATOR_TOKEN
      : stringOption(read.apiToken, 'apiToken', { nonEmpty: true });
  if (/\s/.test(apiToken)) throw new EmulatorConfigError('apiToken', 'must not contain spaces');
  const oauthToken =
    read.oauthToken === undefined
      ? undefined
      : stringOption(read.oauthToken, 'oauthToken', { nonEmpty: true });
  const acceptToken =
    read.acceptToken === undefined
      ? undefined
      : functionOption<(token: string) => boolean>(read.acceptToken, 'acceptToken');
  const plan = read.plan === undefined ? 'lite' : read.plan;
  if (typeof plan !== 'string' || !Object.hasOwn(PIPEDRIVE_PLANS, plan)) {
    throw new EmulatorConfigError('plan', `must be one of ${Object.keys(PIPEDRIVE_PLANS).join(', ')}`);
  }
  const int = (key: (typeof OPTION_KEYS)[number], fallback: number) =>
    read[key] === undefined ? fallback : numberOption(read[key], key, { min: 1, integer: true });
  const seats = int('seats', 1);
  const dailyTokens = int('dailyTokens', dailyBudget(plan as PipedrivePlan, seats));
  const burst = int('burst', PIPEDRIVE_PLANS[plan as PipedrivePlan].burst);
  const searchBurst = int('searchBurst', 10);
  const edgeBlockAfter = int('edgeBlockAfter', 10);
  const companyId = int('companyId', 1);
  const userId = int('userId', 1);
  if (read.rateLimit !== undefined && read.rateLimit !== false) {
    throw new EmulatorConfigError('rateLimit', 'must be false or left out');
  }
  const deliver = read.deliverWebhooks === undefined ? 'record' : read.deliverWebhooks;
  if (deliver !== 'record' && deliver !== 'fetch')
    throw new EmulatorConfigError('deliverWebhooks', "must be 'record' or 'fetch'");
  const fetchFn = read.fetch === undefined ? undefined : functionOption<typeof fetch>(read.fetch, 'fetch');
  const seedValue =
    read.seed === undefined
      ? 1
      : numberOption(read.seed, 'seed', { min: -Number.MAX_VALUE, max: Number.MAX_VALUE });
  const baseUrl =
    read.baseUrl === undefined ? 'https://emulator.pipedrive.test' : stringOption(read.baseUrl, 'baseUrl');
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new EmulatorConfigError('baseUrl', 'must be an http(s) URL');
  }
  const realNow = read.now === undefined ? () => Date.now() : functionOption<() => number>(read.now, 'now');
  const maxBodyBytes =
    read.maxBodyBytes === undefined
      ? DEFAULT_MAX_BODY_BYTES
      : numberOption(read.maxBodyBytes, 'maxBodyBytes', { min: 0, integer: true });

  let offsetMs = 0;
  const now = () => realNow() + offsetMs;
  const random = createRandom(seedValue ^ 0x5eed);
  const uuid = () => {
    const hex = hexFrom(random, 32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  };
  const fields = createFieldRegistry(() => hexFrom(random, 40));
  const webhooks = createWebhookRegistry({
    companyId,
    userId,
    deliver,
    uuid,
    ...(fetchFn ? { fetch: fetchFn } : {}),
  });
  let muted = false;
  const store = createPipedriveStore({
    fields,
    now,
    uuid,
    userId,
    announce: (change) => {
      if (!muted) webhooks.announce(change, rfc3339(now()));
    },
  });
  if (read.customFields !== undefined) {
    const perEntity = readOptionsObject(
      read.customFields,
      ['person', 'organization', 'deal', 'activity'],
      'customFields',
    );
    for (const [entity, inputs] of Object.entries(perEntity)) {
      let list: unknown[];
      try {
        if (!Array.isArray(inputs)) throw new TypeError('not an array');
        list = [...inputs];
      } catch {
        // Not an array, or a Proxy whose traps throw: refused by name either way.
        throw new EmulatorConfigError(`customFields.${entity}`, 'must be an array');
      }
      list.forEach((input, index) => {
        try {
          fields.define(entity as PipedriveEntity, input as FieldInput);
        } catch (error) {
          throw new EmulatorConfigError(
            `customFields.${entity}.${index}`,
            error instanceof Error ? error.message : 'invalid',
          );
        }
      });
    }
  }
  const limits =
    read.rateLimit === false
      ? undefined
      : createPipedriveLimits({ burst, searchBurst, dailyTokens, edgeBlockAfter, now });
  const faults = createFaults({ seed: seedValue });
  const counters = createCounters();
  const inner = createPipedriveHandler({
    store,
    fields,
    webhooks,
    limits,
    maxBodyBytes,
    now: () => rfc3339(now()),
    accepts: (token) => {
      if (token === apiToken) return 'token';
      if (token === oauthToken) return 'oauth';
      try {
        return acceptToken?.(token) === true ? 'oauth' : false;
      } catch {
        // A check that fails refuses the token, as an auth service that errors would.
        return false;
      }
    },
  });
  const configError = (error: unknown, field: string) => {
    if (error instanceof EmulatorConfigError) return error;
    // A PipedriveError (a 400 the API would answer) or a TypeError from a hostile argument: refused by name.
    return new EmulatorConfigError(
      field,
      error instanceof PipedriveError ? error.message : 'could not be read',
    );
  };

  return {
    handler: withFaultsAndCounters(inner, { faults, counters, routeKey: pipedriveRouteKey }),
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiToken,
    faults,
    counters,
    store,
    fields,
    webhooks,
    limits,
    maxBodyBytes,
    defineField(entity, input) {
      try {
        return fields.define(entity, input);
      } catch (error) {
        throw configError(error, 'input');
      }
    },
    seed(entity, records) {
      muted = true;
      try {
        return records.map((record) => store.create(entity, record, 'app'));
      } catch (error) {
        throw configError(error, 'records');
      } finally {
        muted = false;
      }
    },
    list: (entity) => store.all(entity),
    get: (entity, id) => store.get(entity, id),
    notes: () => store.notes(),
    leads: () => store.leads(),
    appChange(entity, change) {
      try {
        if (change.action === 'create') return store.create(entity, change.values, 'app');
        if (change.action === 'change') return store.update(entity, change.id, change.values, 'app');
        if (change.action === 'merge') {
          if (!store.get(entity, change.intoId)) return undefined;
          store.remove(entity, change.id, 'app');
          return store.update(entity, change.intoId, {}, 'app');
        }
        store.remove(entity, change.id, 'app');
        return undefined;
      } catch (error) {
        throw configError(error, 'change');
      }
    },
    webhookDeliveries: () => webhooks.deliveries(),
    advanceToNextDay() {
      const at = now();
      offsetMs += (Math.floor(at / DAY_MS) + 1) * DAY_MS - at;
    },
    dailyTokensRemaining: () => limits?.dailyRemaining() ?? Number.POSITIVE_INFINITY,
    reset() {
      store.clear();
      webhooks.clear();
      counters.reset();
      faults.clear();
      limits?.reset();
    },
  };
}

/** A Pipedrive emulator served over HTTP on loopback. */
export interface RunningPipedriveEmulator extends StartedEmulator<PipedriveEmulator> {
  apiToken: string;
}

/**
 * Starts a Pipedrive emulator on 127.0.0.1 (a free port unless `port` is given). Rejects with an EmulatorConfigError
 * naming the option for options of the wrong kind, and for a `port` in use.
 * @example
 * const pipedrive = await startPipedriveEmulator();
 * await fetch(`${pipedrive.url}/api/v2/persons`, { headers: { 'x-api-token': pipedrive.apiToken } });
 * await pipedrive.close();
 */
export async function startPipedriveEmulator(
  options: PipedriveEmulatorOptions & ListenOptions = {},
): Promise<RunningPipedriveEmulator> {
  const { url, emulator, close } = await startEmulator(options, createPipedriveEmulator);
  return { url, apiToken: emulator.apiToken, emulator, close };
}
