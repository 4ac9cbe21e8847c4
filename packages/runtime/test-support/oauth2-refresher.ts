// Child of the OAuth2 refresh race test (src/oauth2-refresh-race.test.ts): opens the shared store, builds a token
// manager on it, says `ready` over IPC, and on `go` waits for the common start instant, asks for an access token,
// checks it against the emulator's protected resource and reports. Run with `fork`.
import { createConfigStore, type IntegrationStore, type LogFields } from '@patchbay/core';
import { createConfigOAuth2TokenStore, createOAuth2TokenManager } from '@patchbay/core/oauth';
import { createPostgresStore } from '@patchbay/store-postgres';
import { createSqliteStore } from '@patchbay/store-sqlite';

/** What the parent passes as the one argument (JSON). */
export interface RefresherSpec {
  store: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string };
  secretKey: string;
  integration: string;
  tokenUrl: string;
  resourceUrl: string;
  clientId: string;
  clientSecret: string;
}

/** Messages to the parent. */
export type RefresherReport =
  | { event: 'ready' }
  | {
      event: 'done';
      ok: boolean;
      token?: string;
      resourceStatus?: number;
      code?: string;
      message?: string;
      logs: { message: string; fields?: LogFields }[];
    };

const spec = JSON.parse(process.argv[2] ?? '{}') as RefresherSpec;
if (!process.send) throw new Error('usage: fork(oauth2-refresher.ts, [JSON spec])');
const send = (report: RefresherReport) => process.send!(report);

const store: IntegrationStore =
  spec.store.kind === 'sqlite'
    ? createSqliteStore({ path: spec.store.path, busyTimeoutMs: 10_000 })
    : createPostgresStore({ connectionString: spec.store.url, schema: spec.store.schema, poolSize: 2 });
const configs = createConfigStore({ rows: store.configs, secretKey: spec.secretKey });
const logs: { message: string; fields?: LogFields }[] = [];
const log = (message: string, fields?: LogFields) => logs.push({ message, fields });
const manager = createOAuth2TokenManager({
  tokenUrl: spec.tokenUrl,
  clientId: spec.clientId,
  clientSecret: spec.clientSecret,
  connection: spec.integration,
  tokens: createConfigOAuth2TokenStore({ configs, integration: spec.integration }),
  lock: store.syncState,
  pollIntervalMs: 20,
  logger: { debug: log, info: log, warn: log, error: log },
});

// Spins rather than sleeps: timers are too coarse to line eight processes up within a millisecond.
const preciseNow = () => performance.timeOrigin + performance.now();

process.on('message', async (command: { cmd: 'go'; startAt: number }) => {
  if (command.cmd !== 'go') return;
  while (preciseNow() < command.startAt) {
    // busy wait
  }
  const result = await manager.getAccessToken();
  if (!result.success) {
    send({ event: 'done', ok: false, code: result.error.code, message: result.error.message, logs });
  } else {
    const token = result.data.reveal();
    const answer = await fetch(spec.resourceUrl, { headers: { Authorization: `Bearer ${token}` } });
    await answer.body?.cancel();
    send({ event: 'done', ok: answer.status === 200, token, resourceStatus: answer.status, logs });
  }
  await store.close();
  process.disconnect();
});

// Opening the store (and migrating it) is done before `ready`, so the start is not spread by it.
const opened = await configs.exists(spec.integration);
if (!opened.success) throw opened.error;
send({ event: 'ready' });
