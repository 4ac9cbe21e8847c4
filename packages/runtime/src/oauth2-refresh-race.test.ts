// The OAuth2 refresh race (issue 14's acceptance): eight OS processes share one store (a SQLite file, then a
// PostgreSQL schema) and one connection whose access token has expired, and ask for a token at the same instant.
// The emulated token endpoint rotates single-use refresh tokens and kills the connection on reuse ("Old refresh
// token used."), as strict servers do. Exactly one refresh may reach it, and every process must end with a token
// the server accepts. Core's token manager does it with a lease on `store.syncState` and a re-read of the token set
// under it. (It lives in runtime, the package that opens stores, whose tests may also import the emulators.)
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { createConfigStore, type IntegrationStore, Secret } from '@patchbay/core';
import { createConfigOAuth2TokenStore, type OAuth2TokenSet } from '@patchbay/core/oauth';
import { type RunningOAuth2Emulator, startOAuth2Emulator } from '@patchbay/emulators';
import { createPostgresStore } from '@patchbay/store-postgres';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workspaceExecArgv } from '../../../test-support/child-exec-argv.mjs';
import { TEST_URL, unavailable } from '../../store-postgres/test-support/postgres.ts';
import { createScratch } from '../../store-postgres/test-support/scratch.ts';
import type { RefresherReport, RefresherSpec } from '../test-support/oauth2-refresher.ts';

const PROCESSES = 8;
const SECRET_KEY = 'oauth2-race-secret-key-0123456789';
const here = import.meta.dirname;
const execArgv = [...workspaceExecArgv];

type StoreSpec = RefresherSpec['store'];

let oauth: RunningOAuth2Emulator;
const children: ChildProcess[] = [];
const scratch = createScratch('patchbay-oauth2-race-');

beforeEach(async () => {
  oauth = await startOAuth2Emulator({
    accessTokenLifetimeSeconds: 600,
    // Exact Online's rules: a refresh only in the access token's last 30 s, single-use refresh tokens, and a
    // reused one ends the connection.
    refreshWindowMs: 30_000,
    rotateRefreshTokens: true,
    revokeOnReuse: true,
  });
  // A slow token endpoint widens the window in which a second refresh could slip in.
  oauth.emulator.faults.inject({ kind: 'latency', latencyMs: 300, route: 'POST /oauth2/token' });
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await oauth.close();
});

afterAll(scratch.cleanUp);

function openStore(spec: StoreSpec): IntegrationStore {
  return spec.kind === 'sqlite'
    ? createSqliteStore({ path: spec.path })
    : createPostgresStore({ connectionString: spec.url, schema: spec.schema, poolSize: 2 });
}

// One child: resolves its `ready`, then its `done` report.
function startRefresher(spec: RefresherSpec) {
  const child = fork(join(here, '..', 'test-support', 'oauth2-refresher.ts'), [JSON.stringify(spec)], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const reports: RefresherReport[] = [];
  const waiting: { event: string; resolve: (report: RefresherReport) => void }[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.on('message', (report: RefresherReport) => {
    reports.push(report);
    for (const waiter of waiting.filter((w) => w.event === report.event)) waiter.resolve(report);
  });
  const next = (event: RefresherReport['event']) =>
    new Promise<RefresherReport>((resolve, reject) => {
      const seen = reports.find((report) => report.event === event);
      if (seen) return resolve(seen);
      waiting.push({ event, resolve });
      void exited.then((code) => {
        const late = reports.find((report) => report.event === event);
        if (late) resolve(late);
        else reject(new Error(`refresher exited (${code}) before "${event}"`));
      });
    });
  return { child, next, exited };
}

async function race(storeSpec: StoreSpec) {
  const integration = `oauth2-race-${Math.random().toString(36).slice(2, 10)}`;
  // The connection as a person's consent left it, its access token now expired: the stored set says so, and the
  // server agrees (issued with a lifetime of 0).
  const issued = oauth.emulator.issueTokens({ expiresInSeconds: 0 });
  const initial: OAuth2TokenSet = {
    accessToken: new Secret(issued.access_token),
    tokenType: issued.token_type,
    expiresAt: Date.now() - 1_000,
    refreshToken: new Secret(issued.refresh_token),
    scope: null,
    obtainedAt: Date.now() - 601_000,
  };
  const store = openStore(storeSpec);
  const tokens = createConfigOAuth2TokenStore({
    configs: createConfigStore({ rows: store.configs, secretKey: SECRET_KEY }),
    integration,
  });
  try {
    const seeded = await tokens.write(initial);
    expect(seeded).toEqual({ success: true, data: undefined });

    const spec: RefresherSpec = {
      store: storeSpec,
      secretKey: SECRET_KEY,
      integration,
      tokenUrl: oauth.tokenUrl,
      resourceUrl: oauth.resourceUrl,
      clientId: oauth.emulator.clientId,
      clientSecret: oauth.emulator.clientSecret ?? '',
    };
    const refreshers = Array.from({ length: PROCESSES }, () => startRefresher(spec));
    await Promise.all(refreshers.map((refresher) => refresher.next('ready')));
    const startAt = Date.now() + 300;
    for (const refresher of refreshers) refresher.child.send({ cmd: 'go', startAt });
    const reports = (await Promise.all(refreshers.map((refresher) => refresher.next('done')))) as Extract<
      RefresherReport,
      { event: 'done' }
    >[];
    await Promise.all(refreshers.map((refresher) => refresher.exited));

    // Every process ends with a working access token, the same one.
    expect(reports.map((report) => ({ ok: report.ok, code: report.code, message: report.message }))).toEqual(
      Array.from({ length: PROCESSES }, () => ({ ok: true, code: undefined, message: undefined })),
    );
    const issuedTokens = new Set(reports.map((report) => report.token));
    expect(issuedTokens.size).toBe(1);
    const [token] = issuedTokens;
    expect(token).not.toBe(issued.access_token);
    expect(oauth.emulator.acceptsAccessToken(token ?? '')).toBe(true);

    // Exactly one refresh reached the token endpoint; no reuse, no refusal, no revoked connection.
    expect(oauth.emulator.stats()).toMatchObject({
      refreshes: 1,
      reusedRefreshTokens: 0,
      invalidRefreshTokens: 0,
      tooEarly: 0,
      revokedGrants: 0,
    });
    expect(oauth.emulator.counters.count({ route: 'POST /oauth2/token' })).toBe(1);
    // The processes that did not refresh waited and read the rotated set instead.
    const refreshed = reports.filter((report) =>
      report.logs.some((line) => line.message === 'oauth2 token refreshed'),
    );
    expect(refreshed).toHaveLength(1);

    // The rotated set is what the store holds, and its refresh token is the live one.
    const stored = await tokens.read();
    if (!stored.success || !stored.data) throw new Error('the rotated token set should be stored');
    expect(stored.data.accessToken.reveal()).toBe(token);
    expect(stored.data.refreshToken?.reveal()).not.toBe(issued.refresh_token);
    // No log line of any process holds a token.
    const logged = JSON.stringify(reports.map((report) => report.logs));
    for (const secret of [
      issued.access_token,
      issued.refresh_token,
      token ?? '',
      stored.data.refreshToken?.reveal() ?? '',
    ]) {
      expect(logged).not.toContain(secret);
    }
  } finally {
    await store.close();
  }
}

describe('OAuth2 refresh race: 8 processes, one connection, single-use refresh tokens', () => {
  it('on one SQLite file: exactly one refresh, every process ends with a working token', async () => {
    await race({ kind: 'sqlite', path: join(scratch.dir(), 'store.db') });
  }, 120_000);

  const onPostgres = unavailable && process.env.CI !== 'true' ? it.skip : it;
  onPostgres(
    'on one PostgreSQL schema: exactly one refresh, every process ends with a working token',
    async () => {
      if (unavailable)
        throw new Error(`No PostgreSQL at ${TEST_URL}: ${unavailable}. Set PATCHBAY_TEST_POSTGRES_URL.`);
      await race({ kind: 'postgres', url: TEST_URL, schema: scratch.schema() });
    },
    120_000,
  );
});
