// Hands out a connection's access token, refreshing it before it lapses, with one refresh at a time per connection
// across every process that shares the token store and lock. Refresh tokens may be single-use (a second refresh
// with the same one kills the connection until the user consents again), so a refresh:
//   1. takes the connection's lease (`lock.acquireLease`), or waits for whoever holds it and re-reads the store;
//   2. re-reads the token set under the lease: another process may have refreshed meanwhile, then that set is used;
//   3. refreshes, and writes the rotated set to the store BEFORE the new access token is handed out;
//   4. releases the lease.
// Within a process, concurrent callers share one in-flight promise, so the lease is asked for once.

import * as z from 'zod/mini';
import type { LogFields, Logger } from '../logging/logger.ts';
import { sleep } from '../resilience/sleep.ts';
import { IntegrationError, reviseError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import { settle } from '../result/settle.ts';
import { Secret } from '../secrets/secret.ts';
import type { Lease } from '../store/store.ts';
import {
  clientAuth,
  clientId,
  clockOption,
  durationMs,
  endpointUrl,
  fetchOption,
  readClock,
  readOAuthOptions,
  secretText,
} from './options.ts';
import { type OAuth2ClientAuth, requestTokens } from './token-request.ts';
import { isOAuth2TokenSet, type OAuth2TokenSet } from './token-set.ts';
import type { OAuth2TokenStore } from './token-store.ts';

/**
 * The cross-process lock a refresh is taken under: `store.syncState` of any IntegrationStore (memory, SQLite,
 * PostgreSQL) is one.
 */
export interface OAuth2RefreshLock {
  acquireLease(name: string, options: { owner: string; ttlMs: number }): Promise<ApiResult<Lease | null>>;
  releaseLease(lease: Lease): Promise<ApiResult<void>>;
}

/** Options of {@link createOAuth2TokenManager}. */
export interface OAuth2TokenManagerOptions {
  tokenUrl: string;
  clientId: string;
  /** Absent for a public client. */
  clientSecret?: string | Secret;
  /** `'body'` (default) or `'basic'`, as for `exchangeCode`. */
  clientAuth?: OAuth2ClientAuth;
  /** Names the connection (e.g. `acme-erp:tenant-42`): the lease is `oauth2-refresh:<connection>`. */
  connection: string;
  /** Where the token set is read from and the rotated one written to. */
  tokens: OAuth2TokenStore;
  /** The lock shared by every process using `tokens` (`store.syncState`). Without it, one process only. */
  lock?: OAuth2RefreshLock;
  /** Epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** Refresh this long before the access token lapses (clock skew, request time). Default 60 000. */
  refreshSkewMs?: number;
  /**
   * For servers that refuse an early refresh: refresh only within this many ms of expiry (it also caps
   * `refreshSkewMs`). A 401 earlier than that cannot be cured by a refresh and is returned as `AUTH_ERROR`.
   */
  minRefreshWindowMs?: number;
  /** Timeout of a token request. Default 10 000. */
  timeoutMs?: number;
  /** How long the refresh lease is held at most (a crashed holder frees it then). Default 60 000; above `timeoutMs`. */
  leaseTtlMs?: number;
  /** How long a process waits for another's refresh before giving up with `TIMEOUT`. Default 30 000. */
  waitTimeoutMs?: number;
  /** How often a waiting process re-reads the store. Default 100. */
  pollIntervalMs?: number;
  fetch?: typeof fetch;
  /** Told of refreshes, waits and failures; never of a token. */
  logger?: Logger;
}

/** Hands out fresh access tokens of one connection. Never throws or rejects. */
export interface OAuth2TokenManager {
  readonly connection: string;
  /** A valid access token, refreshed first when it is about to lapse. */
  getAccessToken(): Promise<ApiResult<Secret>>;
  /**
   * Refreshes now because the server refused `rejected` (a 401), unless another caller or process has already
   * replaced it, then the replacement is returned. Without `rejected`, the stored access token is the refused one.
   */
  refreshAccessToken(options?: { rejected?: string | Secret }): Promise<ApiResult<Secret>>;
}

// After a refresh failed for another reason than a dead grant, the same refresh token is not sent again for this
// long: the token endpoint may count calls (a daily budget), and a caller looping on errors must not burn it.
const FAILURE_COOLDOWN_MS = 5_000;
// Answers after which the same refresh token (with this client) can never work: it is not sent again until a new
// token set is stored. (Some servers answer a reused refresh token with `unauthorized_client`, not `invalid_grant`.)
const DEAD_GRANT_ERRORS: ReadonlySet<string> = new Set([
  'invalid_grant',
  'invalid_client',
  'unauthorized_client',
]);
// Writing the rotated set is retried briefly: the old refresh token is already spent, the new one exists only here.
const WRITE_RETRY_DELAYS_MS = [50, 250];

const connectionName = z
  .string({ error: 'must be a string' })
  .check(z.regex(/^[\x21-\x7e][\x20-\x7e]{0,199}$/, 'must be 1 to 200 printable ASCII characters'));

const schema = z
  .strictObject({
    tokenUrl: endpointUrl,
    clientId,
    clientSecret: z.optional(secretText),
    clientAuth,
    connection: connectionName,
    tokens: z.custom<OAuth2TokenStore>((value) => hasMethods(value, ['read', 'write']), {
      error: 'must be an OAuth2TokenStore (read and write)',
    }),
    lock: z.optional(
      z.custom<OAuth2RefreshLock>((value) => hasMethods(value, ['acquireLease', 'releaseLease']), {
        error: 'must have acquireLease and releaseLease (store.syncState)',
      }),
    ),
    clock: clockOption,
    refreshSkewMs: z.optional(durationMs(0)),
    minRefreshWindowMs: z.optional(durationMs(0)),
    timeoutMs: z.optional(durationMs(1)),
    leaseTtlMs: z.optional(durationMs(1)),
    waitTimeoutMs: z.optional(durationMs(0)),
    pollIntervalMs: z.optional(durationMs(1)),
    fetch: fetchOption,
    logger: z.optional(
      z.custom<Logger>((value) => hasMethods(value, ['debug', 'info', 'warn', 'error']), {
        error: 'must have debug, info, warn and error',
      }),
    ),
  })
  .check(
    z.refine((options) => (options.leaseTtlMs ?? 60_000) > (options.timeoutMs ?? 10_000), {
      message: 'must be longer than timeoutMs (the lease must outlast the refresh it covers)',
      path: ['leaseTtlMs'],
    }),
  );

/**
 * Creates the token manager of one connection. Invalid options throw `CONFIG_ERROR` naming every bad field; the
 * methods never throw or reject. Errors and log lines never hold a token or the client secret.
 * @example
 * const manager = createOAuth2TokenManager({ tokenUrl, clientId, clientSecret, connection: 'erp:tenant-42',
 *   tokens: createConfigOAuth2TokenStore({ configs, integration: 'erp' }), lock: store.syncState });
 * const client = createHttpClient({ baseUrl, auth: { type: 'oauth2', tokens: manager } });
 */
export function createOAuth2TokenManager(options: OAuth2TokenManagerOptions): OAuth2TokenManager {
  const read = readOAuthOptions(schema, options, 'OAuth2 token manager options', 'CONFIG_ERROR');
  if (!read.success) throw read.error;
  const o = read.data;
  const { connection, tokens, lock } = o;
  const clock = o.clock ?? Date.now;
  const now = () => readClock(clock);
  const refreshWindowMs = o.minRefreshWindowMs;
  // Refreshing earlier than the server allows would only be refused: the window caps the skew.
  const threshold = Math.min(o.refreshSkewMs ?? 60_000, refreshWindowMs ?? Number.POSITIVE_INFINITY);
  const timeoutMs = o.timeoutMs ?? 10_000;
  const leaseTtlMs = o.leaseTtlMs ?? 60_000;
  const waitTimeoutMs = o.waitTimeoutMs ?? 30_000;
  const pollIntervalMs = o.pollIntervalMs ?? 100;
  const leaseName = `oauth2-refresh:${connection}`;
  const owner = `oauth2-${crypto.randomUUID()}`;
  const log = safeLogger(o.logger);

  // The last set read or written: lets most calls answer without reading the store.
  let cached: OAuth2TokenSet | undefined;
  let inflight: Promise<ApiResult<Secret>> | undefined;
  // The last refresh that failed, so the same refresh token is not sent again at once (or ever, when the grant
  // is dead: a new consent brings a new refresh token, which lifts this).
  let failure: { refreshToken: string; error: IntegrationError; until: number } | undefined;
  // A rotated set the store refused to take: written before anything else the next time, if the store still
  // holds the refresh token it replaced.
  let unsaved: { set: OAuth2TokenSet; spent: string } | undefined;

  const needsRefresh = (set: OAuth2TokenSet, at: number) =>
    set.expiresAt !== null && at >= set.expiresAt - threshold;
  const expired = (set: OAuth2TokenSet, at: number) => set.expiresAt !== null && at >= set.expiresAt;
  const usable = (set: OAuth2TokenSet, at: number, rejected: string | undefined) =>
    !needsRefresh(set, at) && (rejected === undefined || set.accessToken.reveal() !== rejected);
  const withConnection = (error: IntegrationError) =>
    reviseError(error, { message: `${error.message} (OAuth2 connection ${connection})` });

  async function readStored(): Promise<ApiResult<OAuth2TokenSet>> {
    const result = await settle('tokens.read', () => tokens.read());
    if (!result.success) return result;
    if (result.data === null) {
      return err(
        new IntegrationError(
          'AUTH_ERROR',
          `No OAuth2 tokens are stored for connection ${connection}: complete the authorization (exchangeCode) and store its token set first`,
          { field: 'tokens', retryable: false },
        ),
      );
    }
    if (!isOAuth2TokenSet(result.data)) {
      return err(
        new IntegrationError(
          'OPERATION_FAILED',
          'The OAuth2 token store answered something that is not a token set',
          {
            field: 'tokens',
            retryable: false,
          },
        ),
      );
    }
    cached = result.data;
    return ok(result.data);
  }

  async function write(set: OAuth2TokenSet): Promise<ApiResult<void>> {
    let result = await settle('tokens.write', () => tokens.write(set));
    for (const delay of WRITE_RETRY_DELAYS_MS) {
      if (result.success) break;
      await sleep(delay);
      result = await settle('tokens.write', () => tokens.write(set));
    }
    return result;
  }

  // Reads the store and answers its token when it will do; otherwise refreshes (under the lease when there is one).
  async function obtain(rejectedInput: string | undefined, forced: boolean): Promise<ApiResult<Secret>> {
    const stored = await readStored();
    if (!stored.success) return stored;
    const rejected = forced ? (rejectedInput ?? stored.data.accessToken.reveal()) : undefined;
    if (unsaved === undefined && usable(stored.data, now(), rejected)) return ok(stored.data.accessToken);
    return lock
      ? refreshUnderLease(stored.data.accessToken.reveal(), rejected)
      : refreshFrom(stored.data, rejected);
  }

  async function refreshUnderLease(seen: string, rejected: string | undefined): Promise<ApiResult<Secret>> {
    const started = performance.now();
    let waited = false;
    for (;;) {
      const acquired = await settle('lock.acquireLease', () =>
        (lock as OAuth2RefreshLock).acquireLease(leaseName, { owner, ttlMs: leaseTtlMs }),
      );
      if (!acquired.success) return err(withConnection(acquired.error));
      const lease = acquired.data;
      if (lease) {
        try {
          // Another process may have refreshed since this one read the store: its set is used, not refreshed again.
          const again = await readStored();
          if (!again.success) return again;
          if (unsaved === undefined && usable(again.data, now(), rejected)) return ok(again.data.accessToken);
          return await refreshFrom(again.data, rejected);
        } finally {
          const released = await settle('lock.releaseLease', () =>
            (lock as OAuth2RefreshLock).releaseLease(lease),
          );
          if (!released.success)
            log.warn('oauth2 refresh lease not released', { connection, code: released.error.code });
        }
      }
      if (!waited) log.debug('oauth2 refresh in progress elsewhere; waiting', { connection });
      waited = true;
      if (performance.now() - started >= waitTimeoutMs) {
        return err(
          new IntegrationError(
            'TIMEOUT',
            `Another process held the OAuth2 refresh lease of connection ${connection} for ${waitTimeoutMs} ms without storing a new token`,
            { field: 'lock', retryable: true },
          ),
        );
      }
      // Jittered, so waiting processes do not read the store in step.
      await sleep(Math.round(pollIntervalMs * (0.5 + Math.random())));
      const again = await readStored();
      if (
        again.success &&
        unsaved === undefined &&
        again.data.accessToken.reveal() !== seen &&
        usable(again.data, now(), rejected)
      ) {
        return ok(again.data.accessToken);
      }
    }
  }

  // Refreshes `set` (the store's current one, read under the lease when there is one).
  async function refreshFrom(set: OAuth2TokenSet, rejected: string | undefined): Promise<ApiResult<Secret>> {
    let current = set;
    if (unsaved !== undefined) {
      const pending = unsaved;
      unsaved = undefined;
      // The store still holds the refresh token this process spent: the set it replaced goes in first.
      if (current.refreshToken?.reveal() === pending.spent) {
        const saved = await write(pending.set);
        if (!saved.success) {
          unsaved = pending;
          return err(unsavedError(saved.error));
        }
        cached = pending.set;
        current = pending.set;
        if (usable(current, now(), rejected)) return ok(current.accessToken);
      }
    }
    const at = now();
    const refreshToken = current.refreshToken?.reveal();
    if (refreshToken === undefined) {
      if (rejected === undefined && !expired(current, at)) return ok(current.accessToken);
      return err(
        new IntegrationError(
          'AUTH_ERROR',
          `The OAuth2 access token of connection ${connection} ${rejected === undefined ? 'has expired' : 'was refused'} and there is no refresh token: the user must authorize the connection again (re-consent)`,
          { field: 'refreshToken', retryable: false },
        ),
      );
    }
    if (
      refreshWindowMs !== undefined &&
      current.expiresAt !== null &&
      at < current.expiresAt - refreshWindowMs
    ) {
      // Only a refused token gets here (the skew is capped by the window): the server would refuse the refresh.
      return err(
        new IntegrationError(
          'AUTH_ERROR',
          `The OAuth2 access token of connection ${connection} was refused, and the server allows no refresh until ${refreshWindowMs} ms before it expires (in ${Math.ceil((current.expiresAt - refreshWindowMs - at) / 1000)} s)`,
          { field: 'accessToken', retryable: false },
        ),
      );
    }
    if (failure && failure.refreshToken === refreshToken && at < failure.until) {
      if (rejected === undefined && !expired(current, at)) return ok(current.accessToken);
      return err(failure.error);
    }

    const outcome = await requestTokens({
      tokenUrl: o.tokenUrl,
      clientId: o.clientId,
      clientSecret: o.clientSecret?.reveal(),
      clientAuth: o.clientAuth ?? 'body',
      grant: 'refresh_token',
      params: { grant_type: 'refresh_token', refresh_token: refreshToken },
      secretParams: [refreshToken, current.accessToken.reveal()],
      fetch: o.fetch,
      timeoutMs,
      now,
      previous: current,
    });
    if (!outcome.result.success) {
      const error = withConnection(outcome.result.error);
      const dead = outcome.oauthError !== undefined && DEAD_GRANT_ERRORS.has(outcome.oauthError);
      failure = { refreshToken, error, until: dead ? Number.POSITIVE_INFINITY : now() + FAILURE_COOLDOWN_MS };
      log.warn('oauth2 refresh failed', {
        connection,
        code: error.code,
        status: error.status,
        oauthError: outcome.oauthError,
      });
      // Proactive refresh refused (too early, rate limited, down): the current token still works for a while.
      if (rejected === undefined && !expired(current, now())) return ok(current.accessToken);
      return err(error);
    }
    failure = undefined;
    const next = outcome.result.data;
    // Stored before it is used: once the refresh answered, the old refresh token may be spent, and every other
    // process must find the new one.
    const saved = await write(next);
    if (!saved.success) {
      unsaved = { set: next, spent: refreshToken };
      return err(unsavedError(saved.error));
    }
    cached = next;
    log.info('oauth2 token refreshed', {
      connection,
      expiresInMs: next.expiresAt === null ? null : next.expiresAt - next.obtainedAt,
      rotated: next.refreshToken?.reveal() !== refreshToken,
    });
    return ok(next.accessToken);
  }

  function unsavedError(cause: IntegrationError): IntegrationError {
    return reviseError(cause, {
      message: `The refreshed OAuth2 token set of connection ${connection} could not be stored (${cause.message}); it is kept in this process and written again on the next call, but other processes cannot use it until then`,
      field: 'tokens',
    });
  }

  // One obtain at a time in this process: callers arriving meanwhile share its result. A forced refresh that finds
  // the shared result is the very token it was refused starts its own after it.
  function single(rejected: string | undefined, forced: boolean): Promise<ApiResult<Secret>> {
    const running = inflight;
    if (running) {
      return running.then((result) => {
        if (!forced || !result.success) return result;
        if (rejected !== undefined && result.data.reveal() !== rejected) return result;
        return single(rejected ?? result.data.reveal(), true);
      });
    }
    const run = settle('oauth2 token', () => obtain(rejected, forced));
    inflight = run;
    run.finally(() => {
      if (inflight === run) inflight = undefined;
    });
    return run;
  }

  return {
    connection,
    getAccessToken: () =>
      settle('getAccessToken', () => {
        if (
          cached !== undefined &&
          unsaved === undefined &&
          inflight === undefined &&
          usable(cached, now(), undefined)
        ) {
          return ok(cached.accessToken);
        }
        return single(undefined, false);
      }),
    refreshAccessToken: (refreshOptions) =>
      settle('refreshAccessToken', () => {
        const rejected = readRejected(refreshOptions);
        if (!rejected.success) return rejected;
        return single(rejected.data, true);
      }),
  };
}

function readRejected(options: unknown): ApiResult<string | undefined> {
  if (options === undefined) return ok(undefined);
  let value: unknown;
  try {
    value =
      typeof options === 'object' && options !== null
        ? (options as { rejected?: unknown }).rejected
        : options;
  } catch {
    value = null;
  }
  if (value === undefined) return ok(undefined);
  if (typeof value === 'string' && value.length > 0) return ok(value);
  if (value instanceof Secret && !value.isEmpty) return ok(value.reveal());
  return err(
    new IntegrationError(
      'VALIDATION_ERROR',
      'Invalid input: options.rejected: must be a non-empty string or Secret',
      {
        field: 'options.rejected',
        issues: [{ field: 'options.rejected', message: 'must be a non-empty string or Secret' }],
        retryable: false,
      },
    ),
  );
}

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  try {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
    return methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
  } catch {
    return false;
  }
}

// A logger that throws never fails a token request.
function safeLogger(logger: Logger | undefined): Logger {
  const at =
    (level: keyof Logger) =>
    (message: string, fields?: LogFields): void => {
      try {
        logger?.[level](message, fields);
      } catch {
        // Logging must never fail a call.
      }
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
