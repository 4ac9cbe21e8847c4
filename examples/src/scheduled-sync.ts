// A scheduled sync with its status page, on this machine: a Twenty emulator on loopback, a scheduler (BullMQ on
// Redis when REDIS_URL is set, else the embedded SQLite store in a temp directory), a push sync of a few hundred
// generated people into Twenty on a short `every` (15 minutes in real use), guarded by the per-tenant switch and
// the circuit breaker, failures counted for an alert, and the status page on http://127.0.0.1:<port>/status.
//
//   npm run demo:scheduler                                       # embedded: SQLite, one process
//   REDIS_URL=redis://127.0.0.1:6379 npm run demo:scheduler      # BullMQ on Redis: many processes share it
//   npm run demo:scheduler -- --once                             # one sync, the page fetched, then exit
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMemoryCircuitStateStore, type Logger } from '@patchbay/core';
import { startTwentyEmulator } from '@patchbay/emulators';
import {
  alertOnFailures,
  alertText,
  createHealth,
  createScheduler,
  createStatusPageHandler,
  type JobRun,
  pushSyncJob,
  withIntegrationGuard,
} from '@patchbay/scheduler';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { createTwentySync } from '@patchbay/twenty-crm';
import { sendResponse, toRequest } from './admin-server.ts';
import { generateDataset } from './twenty-demo.ts';

/** Options of {@link startScheduledSync}. */
export interface ScheduledSyncOptions {
  /** Redis for BullMQ (`redis://…`); absent: the embedded SQLite store. */
  redisUrl?: string;
  /** Key namespace on Redis (and of the embedded queues). Default `patchbay-example`. */
  prefix?: string;
  /** People in the generated dataset. Default 300. */
  people?: number;
  /** The schedule's interval. Default 5 000 ms (a real app would sync every 15 minutes). */
  everyMs?: number;
  /** The status page's port. Default 0: a free one. */
  port?: number;
  /** The status page's token; default a random one. */
  token?: string;
  /** Where lines go. Default console.log. */
  print?: (line: string) => void;
}

/** A running example: its URLs and token, and how to stop it. */
export interface ScheduledSync {
  backend: 'bullmq' | 'embedded';
  /** The status page, e.g. `http://127.0.0.1:8790/status`. */
  statusUrl: string;
  token: string;
  /** The job id of the run enqueued at start. */
  firstJobId: string;
  /** Resolves with the first run once it finished (succeeded or dead), or null after `timeoutMs`. */
  firstRun(timeoutMs?: number): Promise<JobRun | null>;
  /** Twenty's people count and duplicates of `externalId`. */
  twenty(): { people: number; duplicates: number };
  /** Stops the schedule when `unschedule` (so Redis keeps no schedule nobody works on), then closes all. */
  close(options?: { unschedule?: boolean }): Promise<void>;
}

const JOB = 'twenty-people-push';
const SCHEDULE = 'twenty-people-every-15-min';
const TOKEN_COOKIE = 'patchbay_status_token';

/**
 * The demo's `authorize`: the token as `Authorization: Bearer <token>`, as `?token=<token>` (a browser's first
 * visit), or as the cookie the server sets after that visit (so the page's Refresh link and Replay form, which
 * carry no query, stay authorized). Your app would check its own admin session here.
 */
export function tokenAuthorize(token: string): (request: Request) => boolean {
  if (token.length < 16) throw new Error('The status page token must be at least 16 characters');
  const expected = createHash('sha256').update(token).digest();
  // Comparing digests keeps the comparison constant-time whatever the length of what was sent.
  const matches = (given: string | null | undefined) =>
    typeof given === 'string' &&
    given !== '' &&
    timingSafeEqual(createHash('sha256').update(given).digest(), expected);
  return (request) => {
    const bearer = /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (matches(bearer)) return true;
    if (matches(new URL(request.url).searchParams.get('token'))) return true;
    return matches(cookieOf(request, TOKEN_COOKIE));
  };
}

// The guarded push job answers an ApiResult (or `{ skipped }` when the switch or the breaker held it back).
function describeResult(result: unknown): string {
  const settled = result as { success?: boolean; data?: unknown; error?: { code: string; message?: string } };
  if (settled?.success === true) return JSON.stringify(settled.data);
  if (settled?.success === false) return `failed: ${settled.error?.code}: ${settled.error?.message}`;
  return JSON.stringify(result);
}

function cookieOf(request: Request, name: string): string | null {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** Starts the emulator, the scheduler with its schedule, one run at once, and the status page. */
export async function startScheduledSync(options: ScheduledSyncOptions = {}): Promise<ScheduledSync> {
  const print = options.print ?? console.log;
  const token = options.token ?? randomBytes(18).toString('base64url');
  const everyMs = options.everyMs ?? 5_000;
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-scheduled-sync-'));
  const cleanups: (() => Promise<unknown> | unknown)[] = [
    () => rmSync(dir, { recursive: true, force: true }),
  ];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const twenty = await startTwentyEmulator({ rateLimit: { limit: 600, windowMs: 60_000 }, seed: 1 });
    cleanups.push(() => twenty.close());
    print(`Twenty emulator on ${twenty.url}`);

    // The sync engine's mappings and outbox: SQLite in the temp directory, whichever backend runs the jobs.
    const syncStore = createSqliteStore({ path: join(dir, 'sync.db') });
    cleanups.push(() => syncStore.close());
    const logger: Logger = {
      debug: () => {},
      info: (message) => print(`  [scheduler] ${message}`),
      warn: (message) => print(`  [scheduler] warning: ${message}`),
      error: (message) => print(`  [scheduler] error: ${message}`),
    };
    const prefix = options.prefix ?? 'patchbay-example';
    let scheduler: ReturnType<typeof createScheduler>;
    if (options.redisUrl) {
      scheduler = createScheduler({ connection: options.redisUrl, prefix, logger });
    } else {
      // A store given (not a URL) is the caller's to close, after the scheduler.
      const jobStore = createSqliteStore({ path: join(dir, 'scheduler.db') });
      cleanups.push(() => jobStore.close());
      scheduler = createScheduler({ store: jobStore, prefix, pollIntervalMs: 100, logger });
    }
    cleanups.push(() => scheduler.close());
    print(
      scheduler.backend === 'bullmq'
        ? 'Scheduler: BullMQ on Redis (REDIS_URL): every process on it shares the schedule and the jobs'
        : `Scheduler: the embedded SQLite store in ${dir} (set REDIS_URL for BullMQ on Redis)`,
    );

    const sync = createTwentySync({
      baseUrl: twenty.url,
      apiKey: twenty.apiKey,
      store: syncStore,
      rateLimit: { limit: 600, intervalMs: 60_000 },
    });
    const setup = await sync.setup();
    if (!setup.success) throw setup.error;
    const { people } = generateDataset({ people: options.people ?? 300, companies: 30, seed: 42 });
    print(`Dataset: ${people.length} people (seeded); each run upserts them, unchanged ones cost nothing.`);

    // Health, alerts and the breaker. The breaker state lives in memory here; with several processes, give every
    // one the same store (createRedisCircuitStateStore from @patchbay/store-redis).
    const breakers = createMemoryCircuitStateStore();
    const alerts = alertOnFailures({
      threshold: 10,
      windowMs: 3_600_000,
      deliver: async (alert) => {
        print(`ALERT ${alertText(alert)}`);
        return { success: true, data: undefined };
      },
    });
    const push = pushSyncJob({
      type: 'person',
      source: () => people.map(({ companyName: _company, companyExternalId: _id, ...person }) => person),
      sync,
    });
    const guarded = withIntegrationGuard(alerts.track(push, { integration: 'twenty' }), {
      integration: 'twenty',
      isEnabled: () => true, // your per-tenant switch
      breaker: { store: breakers },
    });
    scheduler.define(
      JOB,
      async (job) => {
        const result = await guarded(job);
        // A line per run, for the terminal; the status page shows the same from the run log.
        const outcome = describeResult(result);
        print(`  run ${job.id} (attempt ${job.attempt}): ${outcome}`);
        return result;
      },
      { attempts: 3, backoff: { type: 'exponential', delayMs: 1_000 } },
    );
    const scheduled = await scheduler.schedule({ id: SCHEDULE, every: everyMs, job: { name: JOB } });
    if (!scheduled.success) throw scheduled.error;
    print(`Schedule ${SCHEDULE}: every ${everyMs / 1000} s here (every 15 minutes in real use)`);
    const firstJobId = `start-${Date.now().toString(36)}`;
    const enqueued = await scheduler.enqueue(JOB, null, { jobId: firstJobId });
    if (!enqueued.success) throw enqueued.error;
    print(`Enqueued one run now: ${firstJobId}`);

    const health = createHealth({
      scheduler,
      integrations: [{ id: 'twenty', label: 'Twenty CRM', jobNames: [JOB] }],
      breakers: { store: breakers },
    });
    const page = createStatusPageHandler({
      health,
      scheduler,
      basePath: '/status',
      authorize: tokenAuthorize(token),
    });
    const server = createServer(async (req, res) => {
      try {
        const request = await toRequest(req, `http://${req.headers.host ?? '127.0.0.1'}`);
        if (!request) {
          res.writeHead(413).end();
          return;
        }
        const response = await page(request);
        // A browser that came with ?token= keeps it as a cookie, for the Refresh link and the Replay form.
        const queryToken = new URL(request.url).searchParams.get('token');
        // (Only the right token: the request may have been let in by its header, with a wrong query.)
        if (response.status === 200 && queryToken === token) {
          response.headers.append(
            'set-cookie',
            `${TOKEN_COOKIE}=${encodeURIComponent(queryToken)}; Path=/status; HttpOnly; SameSite=Strict`,
          );
        }
        await sendResponse(response, res);
      } catch {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;
    const statusUrl = `http://127.0.0.1:${port}/status`;
    print('');
    print(`Status page: ${statusUrl}?token=${token}`);
    print(`  or: curl -H "Authorization: Bearer ${token}" ${statusUrl}`);

    return {
      backend: scheduler.backend,
      statusUrl,
      token,
      firstJobId,
      async firstRun(timeoutMs = 8_000) {
        const end = Date.now() + timeoutMs;
        while (Date.now() < end) {
          const runs = await scheduler.runs({ name: JOB, limit: 50 });
          const run = runs.success
            ? runs.data.find(
                (one) => one.jobId === firstJobId && (one.outcome === 'succeeded' || one.outcome === 'dead'),
              )
            : undefined;
          if (run) return run;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return null;
      },
      twenty: () => ({
        people: twenty.store.count('people'),
        duplicates: twenty.store.duplicates('people', 'externalId').length,
      }),
      async close(closeOptions = {}) {
        if (closeOptions.unschedule) await scheduler.unschedule(SCHEDULE);
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** `--once`: one sync, then the status page fetched with the token; resolves true when the run is listed. */
export async function runOnce(options: ScheduledSyncOptions = {}): Promise<boolean> {
  const print = options.print ?? console.log;
  const example = await startScheduledSync(options);
  try {
    const run = await example.firstRun();
    if (!run) {
      print('The first run did not finish in time.');
      return false;
    }
    print(`Run ${run.jobId}: ${run.outcome} in ${(run.finishedAt ?? run.startedAt) - run.startedAt} ms`);
    print(`  result: ${JSON.stringify(run.result)}`);
    const { people, duplicates } = example.twenty();
    print(`  Twenty holds ${people} people, ${duplicates} duplicates`);
    const response = await fetch(example.statusUrl, {
      headers: { authorization: `Bearer ${example.token}` },
    });
    const html = await response.text();
    const listed = response.status === 200 && html.includes(example.firstJobId);
    print(`Status page: ${response.status}, the run ${listed ? 'is' : 'is NOT'} listed`);
    return run.outcome === 'succeeded' && listed && duplicates === 0;
  } finally {
    await example.close({ unschedule: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options: ScheduledSyncOptions = {
    redisUrl: process.env.REDIS_URL || undefined,
    port: Number(process.env.PORT ?? 8790),
  };
  try {
    if (process.argv.includes('--once')) {
      process.exit((await runOnce(options)) ? 0 : 1);
    }
    const example = await startScheduledSync(options);
    console.log('Running: a sync every few seconds (Ctrl-C to stop)');
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      console.log('\nStopping…');
      await example.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    console.error('The example failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
