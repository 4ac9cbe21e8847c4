// Reliability of the sync at scale, against the real loopback emulator: every fault Twenty's network can
// produce, a worker SIGKILLed over and over mid-sync, and two workers sharing one PostgreSQL store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryStore, type IntegrationStore, type Mapping, type MappingScope } from '@patchbay/core';
import { createRandom, createTwentyEmulator, serveEmulator, startTwentyEmulator } from '@patchbay/emulators';
import { createPostgresStore } from '@patchbay/store-postgres';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { afterAll, describe, expect, it } from 'vitest';
// The PostgreSQL the store's own tests use, with the same skip-locally / fail-in-CI rule.
import {
  adminConnection,
  describePostgres,
  dropSchemas,
  randomSchema,
  TEST_URL as TEST_POSTGRES_URL,
} from '../../store-postgres/test-support/postgres.ts';
import { startWorker, type Worker, type WorkerEvent } from '../test-support/child.ts';
import { companies, people } from '../test-support/records.ts';
import { createTwentySync } from './sync.ts';

const PEOPLE = 2_000;
const COMPANIES = 100;
const personScope: MappingScope = { integration: 'twenty-crm', objectType: 'person' };
const companyScope: MappingScope = { integration: 'twenty-crm', objectType: 'company' };

/** Where a worker's progress event is in the stream of companies, then people. */
const progressOf = (event: WorkerEvent) =>
  (event.step === 'people' ? COMPANIES : 0) + (typeof event.processed === 'number' ? event.processed : 0);

type TwentyStore = ReturnType<typeof createTwentyEmulator>['store'];

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDbPath = () => {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-sync-'));
  tempDirs.push(dir);
  return join(dir, 'sync.db');
};

/** Creates the unique externalId fields, as every deployment does once. */
async function setUp(url: string, apiKey: string): Promise<void> {
  const ready = await createTwentySync({
    baseUrl: url,
    apiKey,
    store: createMemoryStore(),
    rateLimit: false,
  }).setup();
  expect(ready.success).toBe(true);
}

async function allMappings(store: IntegrationStore, scope: MappingScope): Promise<Mapping[]> {
  const all: Mapping[] = [];
  for await (const page of store.mappings.iterate(scope)) {
    if (!page.success) throw page.error;
    all.push(...page.data);
  }
  return all;
}

/**
 * The end state every scenario must reach: each fixture record exactly once in Twenty, people linked to the
 * right company, and the mapping store holding exactly Twenty's ids with nothing left in flight.
 */
async function expectConsistent(twenty: TwentyStore, store: IntegrationStore): Promise<void> {
  expect(twenty.duplicates('people', 'externalId')).toEqual([]);
  expect(twenty.duplicates('companies', 'externalId')).toEqual([]);
  const remotePeople = twenty.list('people');
  const remoteCompanies = twenty.list('companies');
  expect(remotePeople).toHaveLength(PEOPLE);
  expect(remoteCompanies).toHaveLength(COMPANIES);
  expect(new Set(remotePeople.map((p) => p.externalId))).toEqual(
    new Set(people(PEOPLE).map((p) => p.externalId)),
  );
  expect(new Set(remoteCompanies.map((c) => c.externalId))).toEqual(
    new Set(companies(COMPANIES).map((c) => c.externalId)),
  );

  const companyIdOf = new Map(remoteCompanies.map((c) => [String(c.externalId), c.id]));
  const remotePerson = new Map(remotePeople.map((p) => [String(p.externalId), p]));
  const wrongCompany = people(PEOPLE, COMPANIES).filter(
    (person) =>
      remotePerson.get(person.externalId)?.companyId !== companyIdOf.get(String(person.companyExternalId)),
  );
  expect(wrongCompany).toEqual([]);

  for (const [scope, remote] of [
    [personScope, remotePeople],
    [companyScope, remoteCompanies],
  ] as const) {
    const mapped = await allMappings(store, scope);
    expect(mapped).toHaveLength(remote.length);
    const mappedIds = Object.fromEntries(mapped.map((m) => [m.externalId, m.remoteId]));
    expect(mappedIds).toEqual(Object.fromEntries(remote.map((r) => [String(r.externalId), r.id])));
    const inFlight = await store.syncState.outboxList(scope);
    expect(inFlight.success && inFlight.data).toEqual([]);
  }
}

describe('faults on every record route', () => {
  it(`syncs ${PEOPLE} people and ${COMPANIES} companies through 5xx, 429, hangs, resets, truncated bodies and commit-then-fail, without a duplicate`, async () => {
    const twenty = createTwentyEmulator({ rateLimit: false, seed: 6 });
    // The faults the server answered with, read off its replies: counters alone can't tell a truncated body
    // or a commit-then-fail from a normal answer with the same status.
    const answered = new Map<string, number>();
    const server = await serveEmulator(async (request) => {
      const reply = await twenty.handler(request);
      const fault = 'kind' in reply ? null : reply.headers.get('x-emulator-fault');
      if (fault) answered.set(fault, (answered.get(fault) ?? 0) + 1);
      return reply;
    });
    try {
      await setUp(server.url, twenty.apiKey);
      // Each kind once at a fixed point (rules without a rate draw nothing from the seeded PRNG, and the first
      // rule injected decides)…
      const once = [
        { kind: 'error', status: 503, route: 'POST /rest/batch/people', after: 2 },
        { kind: 'rate-limit', retryAfterSeconds: 1, route: 'GET /rest/people', after: 4 },
        { kind: 'hang', route: 'POST /rest/batch/people', after: 6 },
        { kind: 'reset', route: 'GET /rest/people', after: 8 },
        { kind: 'malformed', route: 'POST /rest/batch/people', after: 10 },
        { kind: 'commit-then-fail', status: 502, route: 'POST /rest/batch/people', after: 12 },
      ] as const;
      for (const spec of once) twenty.faults.inject({ ...spec, times: 1 });
      // …then at random: together, close to half of all record requests fail one way or another.
      const records = /^(GET \/rest\/(people|companies)|POST \/rest\/batch\/(people|companies))$/;
      twenty.faults.inject({ kind: 'error', status: 503, route: records, rate: 0.1 });
      twenty.faults.inject({ kind: 'rate-limit', retryAfterSeconds: 1, route: records, rate: 0.04 });
      twenty.faults.inject({ kind: 'hang', route: records, rate: 0.05 });
      twenty.faults.inject({ kind: 'reset', route: records, rate: 0.08 });
      twenty.faults.inject({ kind: 'malformed', route: records, rate: 0.08 });
      twenty.faults.inject({
        kind: 'commit-then-fail',
        status: 502,
        route: 'POST /rest/batch/*',
        rate: 0.15,
      });
      twenty.counters.reset();

      const store = createMemoryStore();
      const sync = () =>
        createTwentySync({
          baseUrl: server.url,
          apiKey: twenty.apiKey,
          store,
          rateLimit: false,
          // A hung request is abandoned after 300 ms and tried again.
          timeoutMs: 300,
          retry: { retries: 2, initialDelayMs: 10, maxDelayMs: 100 },
        });
      // A record whose every attempt failed is reported; the next run (a new process, in real life) writes it.
      // A run can also fail as a whole, when every attempt of its start-up recovery lookup failed: that
      // error is retryable, and the next run goes on.
      let runs = 0;
      let clean = false;
      while (!clean && runs < 10) {
        runs++;
        const s = sync();
        const results = [
          await s.upsertManyCompanies(companies(COMPANIES)),
          await s.upsertManyPersons(people(PEOPLE, COMPANIES)),
        ];
        for (const result of results) if (!result.success) expect(result.error.retryable).toBe(true);
        clean = results.every((result) => result.success && result.data.failed === 0);
      }
      expect(clean).toBe(true);
      expect(runs).toBeLessThanOrEqual(8);

      // Every kind of fault did fire, and was survived.
      expect(twenty.counters.count({ outcome: 503 })).toBeGreaterThan(0);
      expect(twenty.counters.count({ outcome: 429 })).toBeGreaterThan(0);
      expect(twenty.counters.count({ outcome: 'hang' })).toBeGreaterThan(0);
      expect(twenty.counters.count({ outcome: 'reset' })).toBeGreaterThan(0);
      expect(answered.get('malformed') ?? 0).toBeGreaterThan(0);
      expect(answered.get('commit-then-fail') ?? 0).toBeGreaterThan(0);
      expect(twenty.counters.count({ route: 'POST /rest/batch/*', outcome: 502 })).toBe(
        answered.get('commit-then-fail'),
      );

      twenty.faults.clear();
      await expectConsistent(twenty.store, store);

      // What the faults left behind is exactly what was meant: a re-sync finds nothing to send.
      twenty.counters.reset();
      const again = await sync().upsertManyPersons(people(PEOPLE, COMPANIES));
      expect(again.success && again.data).toMatchObject({
        unchanged: PEOPLE,
        created: 0,
        updated: 0,
        failed: 0,
      });
      expect(twenty.counters.snapshot().total).toBe(0);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('crash safety', () => {
  const KILLS = 20;

  it(`survives ${KILLS} SIGKILLs at seeded random points of a ${PEOPLE}-person sync on SQLite: nothing lost, nothing duplicated`, async () => {
    // Latency stretches each write over milliseconds, so kills land between sending a batch and saving its ids.
    const twenty = await startTwentyEmulator({ rateLimit: false, latencyMs: 8, seed: 7 });
    try {
      await setUp(twenty.url, twenty.apiKey);
      const path = tempDbPath();
      const env = {
        TWENTY_URL: twenty.url,
        TWENTY_API_KEY: twenty.apiKey,
        WORKER_STORE: 'sqlite',
        WORKER_SQLITE_PATH: path,
        WORKER_PEOPLE: String(PEOPLE),
        WORKER_COMPANIES: String(COMPANIES),
        WORKER_BATCH_SIZE: '20',
        WORKER_LEASE_OWNER: 'crash-worker',
      };
      // The kill points: 20 seeded random positions in the stream of 2 100 records (companies, then people),
      // each plus a random fraction of a batch's time (or of a write's, below), so kills land before, during
      // and after writes.
      const random = createRandom(20_26);
      const total = COMPANIES + PEOPLE;
      const points = Array.from({ length: KILLS }, () => Math.floor(random() * total * 0.95)).sort(
        (a, b) => a - b,
      );
      const kills: {
        point: number;
        killedAt: number;
        finishedFirst: boolean;
        mapped: number;
        inFlight: number;
      }[] = [];
      for (const [index, point] of points.entries()) {
        const worker = startWorker(env);
        const reached = await worker.waitForEvent((e) => e.event === 'progress' && progressOf(e) >= point);
        // Every other kill waits for the next batch write to leave and lands within the emulator's latency,
        // so the window between sending a batch and saving its ids is hit whatever the machine's speed.
        if (index % 2 === 1) {
          await worker.waitForEvent((e) => e.event === 'sending' && e.at >= reached.at);
          await sleep(random() * 4);
        } else await sleep(random() * 20);
        worker.child.kill('SIGKILL');
        const exit = await worker.exited;
        const finishedFirst = worker.events.some((e) => e.event === 'done');
        if (!finishedFirst) expect(exit.signal).toBe('SIGKILL');
        const killedAt = Math.max(0, ...worker.events.filter((e) => e.event === 'progress').map(progressOf));

        // What the kill left: mappings saved so far, and writes in flight (sent, ids not saved yet).
        const store = createSqliteStore({ path });
        const mapped = await store.mappings.count(personScope);
        const peopleInFlight = await store.syncState.outboxList(personScope);
        const companiesInFlight = await store.syncState.outboxList(companyScope);
        await store.close();
        if (!mapped.success || !peopleInFlight.success || !companiesInFlight.success) {
          throw new Error('cannot read the store');
        }
        const inFlight = peopleInFlight.data.length + companiesInFlight.data.length;
        kills.push({ point, killedAt, finishedFirst, mapped: mapped.data, inFlight });
      }
      // Every kill cut a running sync short; several cut it between a write and the saving of its ids.
      expect(kills.filter((k) => k.finishedFirst)).toEqual([]);
      expect(kills.filter((k) => k.inFlight > 0).length).toBeGreaterThanOrEqual(5);
      // The kills were spread over the whole sync: progress kept growing from one worker to the next.
      expect(kills.at(-1)!.mapped).toBeGreaterThan(PEOPLE / 2);
      expect(kills.at(-1)!.mapped).toBeLessThan(PEOPLE);

      // A last worker, left alone, finishes the job.
      const last = startWorker(env);
      const exit = await last.exited;
      expect(exit, last.stderr()).toEqual({ code: 0, signal: null });
      const reports = last.events.filter((e) => e.event === 'report');
      expect(reports.map((r) => r.failed)).toEqual([0, 0]);

      const store = createSqliteStore({ path });
      try {
        await expectConsistent(twenty.store, store);
      } finally {
        await store.close();
      }
    } finally {
      await twenty.close();
    }
  }, 60_000);
});

describePostgres('two workers on one PostgreSQL store', () => {
  const schema = randomSchema();
  afterAll(async () => {
    const admin = adminConnection();
    await dropSchemas(admin, [schema]);
    await admin.end({ timeout: 1 });
  });

  it(`sync the same ${PEOPLE} people at the same time: the lease makes them take turns, nothing is duplicated`, async () => {
    const twenty = await startTwentyEmulator({ rateLimit: false, latencyMs: 5, seed: 8 });
    const store = createPostgresStore({ connectionString: TEST_POSTGRES_URL, schema });
    try {
      await setUp(twenty.url, twenty.apiKey);
      // Migrated once here, so both workers start from the same ready schema.
      expect((await store.ready()).success).toBe(true);
      const env = {
        TWENTY_URL: twenty.url,
        TWENTY_API_KEY: twenty.apiKey,
        WORKER_STORE: 'postgres',
        WORKER_POSTGRES_URL: TEST_POSTGRES_URL,
        WORKER_POSTGRES_SCHEMA: schema,
        WORKER_STEPS: 'people',
        WORKER_PEOPLE: String(PEOPLE),
        WORKER_COMPANIES: String(COMPANIES),
        WORKER_WAIT_FOR_GO: '1',
      };
      const workers: Worker[] = ['a', 'b'].map((name) =>
        startWorker({ ...env, WORKER_LEASE_OWNER: `worker-${name}` }),
      );
      await Promise.all(workers.map((w) => w.waitFor('ready')));
      for (const worker of workers) worker.child.stdin!.write('go\n');
      const exits = await Promise.all(workers.map((w) => w.exited));
      expect(exits, workers.map((w) => w.stderr()).join('\n')).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);

      // Both asked at once…
      const started = workers.map((w) => w.events.find((e) => e.event === 'started')!);
      expect(Math.abs(started[0]!.at - started[1]!.at)).toBeLessThan(1_000);
      // …one did the work, the other waited for the lease and then found everything synced.
      const reports = workers
        .map((w) => w.events.find((e) => e.event === 'report')!)
        .sort((x: WorkerEvent, y: WorkerEvent) => x.at - y.at);
      expect(reports[0]).toMatchObject({ created: PEOPLE, failed: 0, companiesCreated: COMPANIES });
      expect(reports[1]).toMatchObject({ created: 0, updated: 0, unchanged: PEOPLE, failed: 0 });

      // The run log shows the turns: the second run started after the first had finished.
      const runs = await store.syncState.listRuns('twenty-crm:person');
      if (!runs.success) throw runs.error;
      const [first, second] = [...runs.data].sort((x, y) => x.startedAt - y.startedAt);
      expect(runs.data).toHaveLength(2);
      expect(runs.data.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
      expect(second!.startedAt).toBeGreaterThanOrEqual(first!.finishedAt!);

      await expectConsistent(twenty.store, store);
    } finally {
      await store.close();
      await twenty.close();
    }
  }, 60_000);
});
