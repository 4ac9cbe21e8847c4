// Child of the refresh race test (src/refresh-race.test.ts): one process of eight sharing an Exact Online connection
// through one SQLite file (the token set in the config row's secret, the refresh lease in `syncState`). It opens
// the store, prints `ready`, reads the start instant and clock factor from its stdin line, then calls the API in a
// loop until the accelerated clock reaches the end and prints one `done` line with its counts. Output: JSON lines.
import { createConfigStore, type LogFields } from '@patchbay/core';
import { createConfigOAuth2TokenStore } from '@patchbay/core/oauth';
import { createSqliteStore } from '../../store-sqlite/src/index.ts';
import { createExactClient } from '../src/client.ts';

/** What the parent passes in `PATCHBAY_EXACT_RACE` (JSON). */
export interface RaceWorkerSpec {
  dbPath: string;
  secretKey: string;
  integration: string;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  division: number;
}

/** The line on stdin: the real instant the accelerated clock starts from, its factor, and when to stop (its time). */
export interface RaceGo {
  start: number;
  factor: number;
  end: number;
}

/** The lines printed on stdout. */
export type RaceWorkerReport =
  | { event: 'ready' }
  | {
      event: 'done';
      calls: number;
      answered: number;
      failures: { code: string; message: string }[];
      /** API responses by status (a 401 is an access token the emulator found expired; the client then refreshes). */
      statuses: Record<string, number>;
      /** Refreshes this process made (`oauth2 token refreshed` log lines). */
      refreshed: number;
      /** Times this process waited for another's refresh. */
      waited: number;
      logs: { level: string; message: string; fields?: LogFields }[];
    };

const print = (report: RaceWorkerReport, then?: () => void) =>
  process.stdout.write(`${JSON.stringify(report)}\n`, then);
const spec = JSON.parse(process.env.PATCHBAY_EXACT_RACE ?? '{}') as RaceWorkerSpec;

const store = createSqliteStore({ path: spec.dbPath, busyTimeoutMs: 10_000 });
const configs = createConfigStore({ rows: store.configs, secretKey: spec.secretKey });
const opened = await configs.exists(spec.integration);
if (!opened.success) throw opened.error;

const go = await new Promise<RaceGo>((resolve) => {
  let buffered = '';
  process.stdin.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const newline = buffered.indexOf('\n');
    if (newline !== -1) {
      process.stdin.pause();
      resolve(JSON.parse(buffered.slice(0, newline)) as RaceGo);
    }
  });
  print({ event: 'ready' });
});

// The same accelerated clock as the emulator's and every other process's.
const clock = () => go.start + (Date.now() - go.start) * go.factor;
const logs: { level: string; message: string; fields?: LogFields }[] = [];
const logAt =
  (level: string) =>
  (message: string, fields?: LogFields): void => {
    logs.push(fields === undefined ? { level, message } : { level, message, fields });
  };
const statuses: Record<string, number> = {};
const counted: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = input instanceof Request ? input.url : String(input);
  if (url.includes('/api/v1/')) statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  return response;
};
const client = createExactClient({
  baseUrl: spec.baseUrl,
  oauth: {
    clientId: spec.clientId,
    clientSecret: spec.clientSecret,
    tokens: createConfigOAuth2TokenStore({ configs, integration: spec.integration }),
    connection: `exact-online:${spec.integration}`,
    // A token's lifetime counts from when its request left, so the client's expiry runs ahead of the server's by
    // the token call's time; at this acceleration a 10 ms call is 9 s of Exact time: the widest margin allowed.
    refreshMarginMs: 25_000,
  },
  store,
  division: spec.division,
  clock,
  fetch: counted,
  // Exact's per-minute limit on an accelerated clock is not what this test is about (the emulator keeps none either).
  rateLimit: false,
  logger: { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') },
});

let calls = 0;
let answered = 0;
const failures: { code: string; message: string }[] = [];
while (clock() < go.end) {
  calls += 1;
  for await (const page of client.divisions()) {
    if (page.success) answered += 1;
    else failures.push({ code: page.error.code, message: page.error.message });
    break;
  }
  // A pause between calls keeps eight processes from saturating two cores.
  await new Promise((resolve) => setTimeout(resolve, 15));
}
await store.close();
print(
  {
    event: 'done',
    calls,
    answered,
    failures,
    statuses,
    refreshed: logs.filter((line) => line.message === 'oauth2 token refreshed').length,
    waited: logs.filter((line) => line.message.includes('waiting')).length,
    logs: logs.filter((line) => line.level !== 'debug').slice(0, 20),
  },
  // Exits once the line is out: the HTTP client's idle sockets and timers would keep the process for tens of seconds.
  () => process.exit(0),
);
