import { type Counters, createCounters } from '../kit/counters.ts';
import { createFaults, type Faults } from '../kit/faults.ts';
import {
  EmulatorConfigError,
  functionOption,
  numberOption,
  readOptionsObject,
  stringOption,
} from '../kit/options.ts';
import { serveEmulator } from '../kit/serve.ts';
import type { EmulatorHandler } from '../kit/types.ts';
import { withFaultsAndCounters } from '../kit/wrap.ts';
import { createGrantStore, type IssuedTokens, type OAuth2Stats, type ReuseAnswer } from './grants.ts';
import { createOAuth2Handler, OAUTH2_PATHS, oauth2RouteKey } from './routes.ts';

/** The client id an emulator accepts unless given another. */
export const OAUTH2_EMULATOR_CLIENT_ID = 'emulator-client';
/** The client secret an emulator accepts unless given another. */
export const OAUTH2_EMULATOR_CLIENT_SECRET = 'emulator-client-secret';

/** Options of {@link createOAuth2Emulator}. */
export interface OAuth2EmulatorOptions {
  /** Default {@link OAUTH2_EMULATOR_CLIENT_ID}. */
  clientId?: string;
  /** Default {@link OAUTH2_EMULATOR_CLIENT_SECRET}; `null` for a public client (PKCE alone). */
  clientSecret?: string | null;
  /** Registered redirect URIs; default: any absolute URI. */
  redirectUris?: string[];
  /** Refuse an authorization request without a PKCE `code_challenge`. Default true. */
  requirePkce?: boolean;
  /** `expires_in` of access tokens. Default 3 600. */
  accessTokenLifetimeSeconds?: number;
  /** How long a code can be exchanged. Default 600. */
  authorizationCodeLifetimeSeconds?: number;
  /** Issue a new refresh token on every refresh, the old one then spent (single-use). Default true. */
  rotateRefreshTokens?: boolean;
  /**
   * The too-early rule: a refresh more than this many ms before the access token lapses is refused with 400
   * `access_denied` and `Reason: TooEarlyToRefreshTokens`. Default none (any time).
   */
  refreshWindowMs?: number;
  /** How a spent refresh token is answered. Default 400 `invalid_grant` "Old refresh token used.". */
  reusedRefreshToken?: Partial<ReuseAnswer>;
  /** A spent refresh token presented again revokes its grant (every token of it). Default true. */
  revokeOnReuse?: boolean;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Seed of the fault PRNG. */
  seed?: number;
  /** Where msw handlers intercept. Default `http://oauth2.emulator.test`. */
  baseUrl?: string;
}

/** An emulated OAuth2 authorization server: one handler (faults and counters included) plus its state. */
export interface OAuth2Emulator {
  handler: EmulatorHandler;
  clientId: string;
  clientSecret: string | null;
  /** The paths of the authorization endpoint, the token endpoint and the protected resource. */
  paths: typeof OAUTH2_PATHS;
  faults: Faults;
  counters: Counters;
  baseUrl: string;
  /** What the token endpoint did: refreshes, reuses, too-early refusals, code exchanges, revoked grants. */
  stats(): OAuth2Stats;
  /** Tokens of a new grant without the browser round trip (to seed a store); `expiresInSeconds: 0` is expired. */
  issueTokens(options?: { scope?: string; expiresInSeconds?: number }): IssuedTokens;
  /** True when the access token works now (known, unexpired, its grant not revoked). */
  acceptsAccessToken(token: string): boolean;
  /** Revokes the grant of a refresh or access token, as a user disconnecting the app; false if unknown. */
  revoke(token: string): boolean;
  /** Forgets every grant, code and token, and empties counters, stats and faults. */
  reset(): void;
}

const OPTION_KEYS = [
  'clientId',
  'clientSecret',
  'redirectUris',
  'requirePkce',
  'accessTokenLifetimeSeconds',
  'authorizationCodeLifetimeSeconds',
  'rotateRefreshTokens',
  'refreshWindowMs',
  'reusedRefreshToken',
  'revokeOnReuse',
  'now',
  'seed',
  'baseUrl',
] as const;

const DEFAULT_REUSE: ReuseAnswer = {
  status: 400,
  error: 'invalid_grant',
  description: 'Old refresh token used.',
};

function booleanOption(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new EmulatorConfigError(field, 'must be a boolean');
}

function readReuse(value: unknown): ReuseAnswer {
  const read = readOptionsObject(value, ['status', 'error', 'description'], 'reusedRefreshToken');
  return {
    status:
      read.status === undefined
        ? DEFAULT_REUSE.status
        : numberOption(read.status, 'reusedRefreshToken.status', { min: 400, max: 599, integer: true }),
    error:
      read.error === undefined
        ? DEFAULT_REUSE.error
        : stringOption(read.error, 'reusedRefreshToken.error', { nonEmpty: true }),
    description:
      read.description === undefined
        ? DEFAULT_REUSE.description
        : stringOption(read.description, 'reusedRefreshToken.description'),
  };
}

function readRedirectUris(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  let list: unknown[];
  try {
    if (!Array.isArray(value)) throw new Error('not an array');
    list = [...value];
  } catch {
    throw new EmulatorConfigError('redirectUris', 'must be an array of absolute URIs');
  }
  return list.map((uri, index) => {
    const text = stringOption(uri, `redirectUris.${index}`, { nonEmpty: true });
    if (!URL.canParse(text))
      throw new EmulatorConfigError(`redirectUris.${index}`, 'must be an absolute URI');
    return text;
  });
}

/**
 * Creates an emulated OAuth2 authorization server: authorization code with PKCE, refresh tokens that rotate and
 * are single-use (reuse answers `Old refresh token used.` and revokes the grant), an optional too-early rule,
 * configurable lifetimes, faults and counters. Options of the wrong kind throw an EmulatorConfigError naming them.
 * @example
 * const oauth = createOAuth2Emulator({ accessTokenLifetimeSeconds: 600, refreshWindowMs: 30_000 });
 * const tokens = oauth.issueTokens();
 */
export function createOAuth2Emulator(options: OAuth2EmulatorOptions = {}): OAuth2Emulator {
  const read = readOptionsObject(options, OPTION_KEYS, 'options');
  const clientId =
    read.clientId === undefined
      ? OAUTH2_EMULATOR_CLIENT_ID
      : stringOption(read.clientId, 'clientId', { nonEmpty: true });
  const clientSecret =
    read.clientSecret === null
      ? null
      : read.clientSecret === undefined
        ? OAUTH2_EMULATOR_CLIENT_SECRET
        : stringOption(read.clientSecret, 'clientSecret', { nonEmpty: true });
  const seconds = (
    key: 'accessTokenLifetimeSeconds' | 'authorizationCodeLifetimeSeconds',
    fallback: number,
  ) => (read[key] === undefined ? fallback : numberOption(read[key], key, { min: 0, integer: true }));
  const now = read.now === undefined ? () => Date.now() : functionOption<() => number>(read.now, 'now');
  const baseUrl =
    read.baseUrl === undefined ? 'http://oauth2.emulator.test' : stringOption(read.baseUrl, 'baseUrl');
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new EmulatorConfigError('baseUrl', 'must be an http(s) URL');
  }
  const grants = createGrantStore({
    accessTokenLifetimeSeconds: seconds('accessTokenLifetimeSeconds', 3_600),
    authorizationCodeLifetimeSeconds: seconds('authorizationCodeLifetimeSeconds', 600),
    rotateRefreshTokens: booleanOption(read.rotateRefreshTokens, 'rotateRefreshTokens', true),
    refreshWindowMs:
      read.refreshWindowMs === undefined
        ? undefined
        : numberOption(read.refreshWindowMs, 'refreshWindowMs', { min: 0 }),
    reuse: read.reusedRefreshToken === undefined ? DEFAULT_REUSE : readReuse(read.reusedRefreshToken),
    revokeOnReuse: booleanOption(read.revokeOnReuse, 'revokeOnReuse', true),
    now,
  });
  const client = {
    clientId,
    clientSecret,
    redirectUris: readRedirectUris(read.redirectUris),
    requirePkce: booleanOption(read.requirePkce, 'requirePkce', true),
  };
  const faults = createFaults(
    read.seed === undefined ? {} : { seed: numberOption(read.seed, 'seed', { min: -Number.MAX_VALUE }) },
  );
  const counters = createCounters();
  const handler = withFaultsAndCounters(createOAuth2Handler(grants, client), {
    faults,
    counters,
    routeKey: oauth2RouteKey,
  });

  return {
    handler,
    clientId,
    clientSecret,
    paths: OAUTH2_PATHS,
    faults,
    counters,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    stats: () => grants.stats(),
    issueTokens(issueOptions = {}) {
      const opts = readOptionsObject(issueOptions, ['scope', 'expiresInSeconds'], 'options');
      return grants.issue({
        clientId,
        ...(opts.scope === undefined ? {} : { scope: stringOption(opts.scope, 'scope') }),
        ...(opts.expiresInSeconds === undefined
          ? {}
          : {
              expiresInSeconds: numberOption(opts.expiresInSeconds, 'expiresInSeconds', {
                min: 0,
                integer: true,
              }),
            }),
      });
    },
    acceptsAccessToken: (token) => typeof token === 'string' && grants.verifyAccessToken(token) !== undefined,
    revoke: (token) => typeof token === 'string' && grants.revoke(token),
    reset() {
      grants.clear();
      counters.reset();
      faults.clear();
    },
  };
}

/** An OAuth2 emulator served over HTTP on loopback. */
export interface RunningOAuth2Emulator {
  /** Base URL, e.g. `http://127.0.0.1:53211`. */
  url: string;
  /** `${url}/oauth2/authorize`. */
  authorizeUrl: string;
  /** `${url}/oauth2/token`. */
  tokenUrl: string;
  /** `${url}/api/me`: 200 with a working access token, 401 otherwise. */
  resourceUrl: string;
  emulator: OAuth2Emulator;
  close(): Promise<void>;
}

/**
 * Starts an OAuth2 emulator on 127.0.0.1 (a free port unless `port` is given). Rejects with an EmulatorConfigError
 * naming the option for options of the wrong kind, and for a `port` that is in use or not allowed.
 * @example
 * const oauth = await startOAuth2Emulator({ accessTokenLifetimeSeconds: 600 });
 * const tokens = oauth.emulator.issueTokens();
 * await fetch(oauth.resourceUrl, { headers: { Authorization: `Bearer ${tokens.access_token}` } }); // 200
 * await oauth.close();
 */
export async function startOAuth2Emulator(
  options: OAuth2EmulatorOptions & { port?: number; host?: string } = {},
): Promise<RunningOAuth2Emulator> {
  const read = readOptionsObject(options, [...OPTION_KEYS, 'port', 'host'], 'options');
  const { port, host, ...rest } = read;
  const emulator = createOAuth2Emulator(rest as OAuth2EmulatorOptions);
  const server = await serveEmulator(emulator.handler, {
    port: port as number | undefined,
    host: host as string | undefined,
  });
  return {
    url: server.url,
    authorizeUrl: `${server.url}${OAUTH2_PATHS.authorize}`,
    tokenUrl: `${server.url}${OAUTH2_PATHS.token}`,
    resourceUrl: `${server.url}${OAUTH2_PATHS.resource}`,
    emulator,
    close: () => server.close(),
  };
}
