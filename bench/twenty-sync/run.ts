// Sync benchmark: a naive per-record loop (GET by externalId, then POST or PATCH, with raw fetch) against
// Patchbay's createTwentySync on SQLite, on 10 000 people + 1 000 companies, against the Twenty emulator with
// 20 ms of latency per request, run in its own process. Also: the peak memory of a process streaming
// 100 000 people, and the share of a (scaled-down) rate limit that the sync uses without a single 429.
// Run: pnpm bench:sync (writes the "twenty-sync" section of docs/benchmarks.md).
// BENCH_NAIVE_LIMIT=n runs the naive loop on the first n records only and extrapolates its time (labelled).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiResult } from '@patchbay/core';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { createTwentySync, type SyncReport } from '@patchbay/twenty-crm';
import { recordSection } from '../record.ts';
import type { EmulatorOptions, EmulatorRequest, EmulatorStats } from './emulator.ts';
import { createNaiveSync } from './naive.ts';
import { companies, people } from './records.ts';

const LATENCY_MS = 20;
const PEOPLE = 10_000;
const COMPANIES = 1_000;
const TOTAL = PEOPLE + COMPANIES;
const NAIVE_LIMIT = Math.min(TOTAL, Number(process.env.BENCH_NAIVE_LIMIT ?? TOTAL));
const NAIVE_RESYNC_SAMPLE = 500;
const STREAM_PEOPLE = Number(process.env.BENCH_STREAM_PEOPLE ?? 100_000);
// Twenty's 100 per minute, scaled up so the phase takes about 45 s instead of an hour: a burst of 300,
// then 30 per second. The emulator enforces it; the client is configured with the same numbers.
const RATE = { limit: 300, windowMs: 10_000 };
const RATE_PEOPLE = Number(process.env.BENCH_RATE_PEOPLE ?? 45_000);

const targets = { initial: 0.04, ratio: 25, rssMb: 200, share: 0.9 };
const log = (message: string) => process.stderr.write(`[bench:sync] ${message}\n`);
const seconds = (ms: number) =>
  ms >= 60_000
    ? `${Math.floor(ms / 60_000)} min ${((ms % 60_000) / 1000).toFixed(0)} s`
    : `${(ms / 1000).toFixed(1)} s`;
const met = (ok: boolean) => (ok ? 'met' : 'not met');
const dir = mkdtempSync(join(tmpdir(), 'patchbay-bench-sync-'));

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

async function startEmulator(options: EmulatorOptions) {
  const child = fork(join(import.meta.dirname, 'emulator.ts'), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url, apiKey } = await new Promise<{ url: string; apiKey: string }>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)));
  });
  const pending = new Map<number, (stats: EmulatorStats) => void>();
  child.on('message', (message: { id?: number; stats?: EmulatorStats }) => {
    if (message.id === undefined || !message.stats) return;
    pending.get(message.id)?.(message.stats);
    pending.delete(message.id);
  });
  let nextId = 0;
  const ask = (op: EmulatorRequest['op']) =>
    new Promise<EmulatorStats>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      const request: EmulatorRequest = { id, op };
      child.send(request);
    });
  return {
    url,
    apiKey,
    stats: () => ask('stats'),
    reset: () => ask('reset'),
    resetCounters: () => ask('resetCounters'),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

/** Creates the unique externalId fields (metadata requests, once per workspace; not counted below). */
async function setUp(emulator: Emulator): Promise<void> {
  const store = createSqliteStore({ path: ':memory:' });
  const ready = await createTwentySync({
    baseUrl: emulator.url,
    apiKey: emulator.apiKey,
    store,
    rateLimit: false,
  }).setup();
  await store.close();
  if (!ready.success) throw ready.error;
}

function expectClean(label: string, reports: SyncReport[]): void {
  const failed = reports.reduce((sum, r) => sum + r.failed, 0);
  if (failed > 0)
    throw new Error(
      `${label}: ${failed} records failed: ${reports.flatMap((r) => r.failures)[0]?.error.message}`,
    );
}

async function expectStored(
  label: string,
  emulator: Emulator,
  expected: { people: number; companies: number },
) {
  const stats = await emulator.stats();
  if (stats.people !== expected.people || stats.companies !== expected.companies) {
    throw new Error(
      `${label}: Twenty holds ${stats.people} people and ${stats.companies} companies, expected ${expected.people} and ${expected.companies}`,
    );
  }
  if (stats.duplicatePeople + stats.duplicateCompanies > 0)
    throw new Error(`${label}: duplicated externalIds`);
}

async function unwrap(result: Promise<ApiResult<SyncReport>>): Promise<SyncReport> {
  const settled = await result;
  if (!settled.success) throw settled.error;
  return settled.data;
}

// --- 1. Patchbay, then the naive loop, on 10 000 people + 1 000 companies, 20 ms per request ---
const main = await startEmulator({ latencyMs: LATENCY_MS, rateLimit: false });
await setUp(main);

log(`Patchbay: ${PEOPLE} people + ${COMPANIES} companies…`);
const dbPath = join(dir, 'patchbay.db');
let store = createSqliteStore({ path: dbPath });
let sync = createTwentySync({ baseUrl: main.url, apiKey: main.apiKey, store, rateLimit: false });
await main.resetCounters();
let started = performance.now();
const initialReports = [
  await unwrap(sync.upsertManyCompanies(companies(COMPANIES))),
  await unwrap(sync.upsertManyPersons(people(PEOPLE, COMPANIES))),
];
const patchbayMs = performance.now() - started;
expectClean('Patchbay initial sync', initialReports);
const patchbayInitial = await main.stats();
await expectStored('Patchbay initial sync', main, { people: PEOPLE, companies: COMPANIES });

// The unchanged re-sync runs as the next process would: a new sync with only the SQLite file behind it.
await store.close();
store = createSqliteStore({ path: dbPath });
sync = createTwentySync({ baseUrl: main.url, apiKey: main.apiKey, store, rateLimit: false });
await main.resetCounters();
started = performance.now();
const resyncReports = [
  await unwrap(sync.upsertManyCompanies(companies(COMPANIES))),
  await unwrap(sync.upsertManyPersons(people(PEOPLE, COMPANIES))),
];
const patchbayResyncMs = performance.now() - started;
expectClean('Patchbay re-sync', resyncReports);
const unchanged = resyncReports.reduce((sum, r) => sum + r.unchanged, 0);
if (unchanged !== TOTAL) throw new Error(`Patchbay re-sync: ${unchanged} unchanged of ${TOTAL}`);
const patchbayResync = await main.stats();
await store.close();
log(
  `Patchbay: ${patchbayInitial.recordRequests} requests in ${seconds(patchbayMs)}; re-sync ${patchbayResync.recordRequests} requests`,
);

await main.reset();
const naiveCompanyCount = Math.round((NAIVE_LIMIT * COMPANIES) / TOTAL);
const naivePeopleCount = NAIVE_LIMIT - naiveCompanyCount;
const sampled = NAIVE_LIMIT < TOTAL;
log(
  `naive loop: ${naivePeopleCount} people + ${naiveCompanyCount} companies, one record at a time (≈ ${seconds(NAIVE_LIMIT * 2 * (LATENCY_MS + 1))})…`,
);
const naive = createNaiveSync(main.url, main.apiKey);
started = performance.now();
for (const record of companies(naiveCompanyCount)) await naive.upsertCompany(record);
for (const [i, record] of people(naivePeopleCount, COMPANIES).entries()) {
  await naive.upsertPerson(record);
  if ((i + 1) % 1_000 === 0) log(`naive loop: ${i + 1} people in ${seconds(performance.now() - started)}`);
}
const naiveMs = performance.now() - started;
const naiveRequests = naive.requests;
await expectStored('naive loop', main, { people: naivePeopleCount, companies: naiveCompanyCount });
const naiveMsFull = sampled ? (naiveMs / NAIVE_LIMIT) * TOTAL : naiveMs;
const resyncSample = people(Math.min(NAIVE_RESYNC_SAMPLE, naivePeopleCount), COMPANIES);
const beforeResync = naive.requests;
started = performance.now();
for (const record of resyncSample) await naive.upsertPerson(record);
const naiveResyncMsPerRecord = (performance.now() - started) / resyncSample.length;
const naiveResyncPerRecord = (naive.requests - beforeResync) / resyncSample.length;

// --- 2. Peak memory of a process streaming 100 000 people ---
interface Streamed {
  label: string;
  flags: string[];
  loadedRssMb: number;
  maxRssMb: number;
  liveHeapMb?: number;
  elapsedMs: number;
  report: { created?: number; failed?: number; companiesCreated?: number; error?: string };
}
/** Runs one memory process: the sync (stream.mjs) or a baseline client making the same requests. */
async function stream(
  label: string,
  options: { flags?: string[]; baseline?: 'fetch' | 'ky' | 'core'; ballastMb?: number },
): Promise<Streamed> {
  const flags = options.flags ?? [];
  await main.reset();
  log(
    `memory: ${label}, ${STREAM_PEOPLE} people in a separate process${flags.length ? ` (${flags.join(' ')})` : ''}…`,
  );
  const script = options.baseline ? 'stream-baseline.mjs' : 'stream.mjs';
  const result = await new Promise<Omit<Streamed, 'flags' | 'label'>>((resolve, reject) => {
    // Plain JavaScript without the TypeScript loader, as a deployed worker runs.
    const child = fork(join(import.meta.dirname, script), [], {
      execArgv: flags,
      env: {
        ...process.env,
        TWENTY_URL: main.url,
        TWENTY_API_KEY: main.apiKey,
        STREAM_PEOPLE: String(STREAM_PEOPLE),
        STREAM_COMPANIES: String(COMPANIES),
        STREAM_CLIENT: options.baseline ?? '',
        STREAM_BALLAST_MB: String(options.ballastMb ?? 0),
      },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`${script} exited (${code})`)),
    );
  });
  if (result.report.created !== STREAM_PEOPLE) throw new Error(`memory: ${JSON.stringify(result.report)}`);
  await expectStored('memory', main, { people: STREAM_PEOPLE, companies: COMPANIES });
  return { label, flags, ...result };
}
// Node's defaults first (the figure judged against the target), then the same sync with the young generation
// capped, then the same requests without the sync: Patchbay's HTTP client alone, plain ky, bare fetch (also holding
// the sync's live heap).
const YOUNG = '--max-semi-space-size=16';
// The peak swings by up to 100 MB from run to run (the young generation grows one more step or not), so the
// sync and every baseline run STREAM_RUNS times and each is judged on its highest peak.
const STREAM_RUNS = Number(process.env.BENCH_STREAM_RUNS ?? 3);
// Live data that brings bare fetch's live heap (about 9 MB) to the sync's (about 20 MB), with no allocation per
// request: what the peak of the same requests is once a process holds what the sync holds.
const BALLAST_MB = 11;
async function repeated(
  label: string,
  options: Parameters<typeof stream>[1],
): Promise<Streamed & { peaks: number[] }> {
  const results: Streamed[] = [];
  for (let i = 0; i < STREAM_RUNS; i++) results.push(await stream(label, options));
  const worst = results.reduce((a, b) => (b.maxRssMb > a.maxRssMb ? b : a));
  return { ...worst, peaks: results.map((r) => r.maxRssMb) };
}
const streams = [
  await repeated('Patchbay sync', {}),
  await repeated('Patchbay sync', { flags: [YOUNG] }),
  await repeated('@patchbay/core HTTP client alone', { baseline: 'core' }),
  await repeated('plain ky', { baseline: 'ky' }),
  await repeated('bare fetch', { baseline: 'fetch' }),
  await repeated(`bare fetch holding ${BALLAST_MB} MB of plain arrays`, {
    baseline: 'fetch',
    ballastMb: BALLAST_MB,
  }),
];
const peaksOf = (r: { peaks: number[] }) => `${r.peaks.map((p) => p.toFixed(0)).join(' / ')} MB`;
const streamed = streams[0]!;
const capped = streams[1]!;
const plainKy = streams[3]!;
const bareFetch = streams[4]!;
const ballasted = streams[5]!;
await main.close();

// --- 3. Share of the rate-limit ceiling, with the limit on at both ends ---
interface RateRun {
  burst: number;
  elapsedMs: number;
  achieved: number;
  rateLimited: number;
  ceiling: number;
  share: number;
}
async function rateRun(burst: number): Promise<RateRun> {
  // A fresh workspace per run, so both ends start from a full bucket.
  const limited = await startEmulator({ latencyMs: LATENCY_MS, rateLimit: RATE });
  await setUp(limited);
  // Let the bucket refill after setup (metadata calls are not rate-limited, but to be safe).
  await sleep(1_000);
  await limited.resetCounters();
  log(
    `rate limit: ${RATE_PEOPLE} people + ${COMPANIES} companies under ${RATE.limit} per ${RATE.windowMs / 1000} s, client burst ${burst}…`,
  );
  const rateStore = createSqliteStore({ path: join(dir, `rate-${burst}.db`) });
  const rateSync = createTwentySync({
    baseUrl: limited.url,
    apiKey: limited.apiKey,
    store: rateStore,
    rateLimit: { limit: RATE.limit, intervalMs: RATE.windowMs, burst },
  });
  const begun = performance.now();
  const reports = [
    await unwrap(rateSync.upsertManyCompanies(companies(COMPANIES))),
    await unwrap(rateSync.upsertManyPersons(people(RATE_PEOPLE, COMPANIES))),
  ];
  const elapsedMs = performance.now() - begun;
  expectClean('rate limit', reports);
  const stats = await limited.stats();
  await expectStored('rate limit', limited, { people: RATE_PEOPLE, companies: COMPANIES });
  await rateStore.close();
  await limited.close();
  const achieved = stats.recordRequests - stats.rateLimited;
  const ceiling = RATE.limit + (RATE.limit / RATE.windowMs) * elapsedMs;
  return { burst, elapsedMs, achieved, rateLimited: stats.rateLimited, ceiling, share: achieved / ceiling };
}
// The client configured exactly as the server, then with one token of headroom (a burst of limit − 1).
const rateRuns = [await rateRun(RATE.limit), await rateRun(RATE.limit - 1)];
const [sameRun, headroomRun] = rateRuns as [RateRun, RateRun];
rmSync(dir, { recursive: true, force: true });

// --- Report ---
const perRecord = (requests: number, records: number) => (requests / records).toFixed(3);
const initialPerRecord = patchbayInitial.recordRequests / TOTAL;
const resyncPerRecord = patchbayResync.recordRequests / TOTAL;
const ratio = naiveMsFull / patchbayMs;
const naiveLabel = sampled ? ` (extrapolated from ${NAIVE_LIMIT} records)` : '';
const markdown = `## Twenty sync: Patchbay vs a naive per-record loop

Command: \`pnpm bench:sync\` (\`bench/twenty-sync/run.ts\`). The Twenty emulator runs in its own process on
loopback and adds **${LATENCY_MS} ms** to every request (a nearby Twenty instance). Naive loop: for each record,
\`GET /rest/{object}?filter=externalId[eq]:…\` with raw fetch, then \`POST\` or \`PATCH\`, one record at a time
(company ids are kept in memory, so a person costs no company lookup). Patchbay: \`createTwentySync\` with
\`@patchbay/store-sqlite\`, its defaults (batches of 60, 2 in flight), companies then people. Requests are
counted by the emulator (record routes; the one-off \`setup()\` metadata calls excluded). The unchanged re-sync
runs as the next process would: a new sync instance with only the SQLite file behind it.
Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}.

### ${PEOPLE.toLocaleString('en-US')} people + ${COMPANIES.toLocaleString('en-US')} companies

| | naive loop | Patchbay |
|---|---|---|
| records synced | ${NAIVE_LIMIT.toLocaleString('en-US')}${sampled ? ' (sample)' : ''} | ${TOTAL.toLocaleString('en-US')} |
| requests, initial sync | ${naiveRequests.toLocaleString('en-US')} | ${patchbayInitial.recordRequests} |
| requests per record, initial sync | ${perRecord(naiveRequests, NAIVE_LIMIT)} | ${perRecord(patchbayInitial.recordRequests, TOTAL)} |
| requests per record, unchanged re-sync | ${naiveResyncPerRecord.toFixed(3)} (${resyncSample.length}-record sample) | ${perRecord(patchbayResync.recordRequests, TOTAL)} |
| wall time, initial sync of ${TOTAL.toLocaleString('en-US')} | ${seconds(naiveMsFull)}${naiveLabel} | ${seconds(patchbayMs)} |
| wall time, unchanged re-sync of ${TOTAL.toLocaleString('en-US')} | ≈ ${seconds(naiveResyncMsPerRecord * TOTAL)} (from the sample) | ${seconds(patchbayResyncMs)} |

- Requests per record, initial: **${initialPerRecord.toFixed(3)}** (target ≤ ${targets.initial}): **${met(initialPerRecord <= targets.initial)}**.
- Requests per record, unchanged re-sync: **${resyncPerRecord.toFixed(3)}** (target 0): **${met(patchbayResync.recordRequests === 0)}**.
- Wall time naive ÷ Patchbay: **${ratio.toFixed(0)}×**${naiveLabel} (target ≥ ${targets.ratio}×): **${met(ratio >= targets.ratio)}**.

### Memory: ${STREAM_PEOPLE.toLocaleString('en-US')} people streamed from an async generator

A separate process runs \`upsertManyPersons(generator())\` on SQLite (the ${COMPANIES.toLocaleString('en-US')} companies
are created on the fly); its peak resident set size is the kernel's \`maxRSS\`.

| process | Node flags | RSS after loading | peak RSS (max RSS), highest | each run | live heap at the end (after a full GC) | wall time |
|---|---|---|---|---|---|---|
${streams.map((r) => `| ${r.label} | ${r.flags.length ? `\`${r.flags.join(' ')}\`` : 'none (defaults)'} | ${r.loadedRssMb.toFixed(0)} MB | ${r.maxRssMb.toFixed(0)} MB | ${peaksOf(r)} | ${r.liveHeapMb === undefined ? '—' : `${r.liveHeapMb.toFixed(0)} MB`} | ${seconds(r.elapsedMs)} |`).join('\n')}

Every configuration ran ${STREAM_RUNS} times; the figures other than the peaks are those of its highest-peak run. Each run created ${STREAM_PEOPLE.toLocaleString('en-US')} people and ${COMPANIES.toLocaleString('en-US')} companies with no failure. The baselines send the sync's
requests (one \`externalId[in]\` lookup and one batch upsert per 60 people, two in flight) and nothing else.
Peak memory of the sync with Node's defaults: **${streamed.maxRssMb.toFixed(0)} MB** (target ≤ ${targets.rssMb} MB): **${met(streamed.maxRssMb <= targets.rssMb)}**;
with the young generation capped at 2 × 16 MB (\`${YOUNG}\`): **${capped.maxRssMb.toFixed(0)} MB**: **${met(capped.maxRssMb <= targets.rssMb)}**.

The floor moves too: bare fetch, making the same requests with nothing else, peaked at
${peaksOf(bareFetch)}; holding ${BALLAST_MB} MB of plain arrays, which bring its live heap from ${bareFetch.liveHeapMb?.toFixed(0)} MB to ${ballasted.liveHeapMb?.toFixed(0)} MB
(the sync's: ${streamed.liveHeapMb?.toFixed(0)} MB) and add no allocation per request, it peaked at ${peaksOf(ballasted)}.${
  Math.min(...ballasted.peaks) > targets.rssMb
    ? ` So with Node's defaults on
this host, a process that holds as much live data as the sync and sends these requests through fetch is above the
target before it allocates anything else per record.`
    : ''
}${
  Math.min(...plainKy.peaks) > targets.rssMb
    ? ` Plain ky, the HTTP library the core is built on, sending these requests
and nothing else with a ${plainKy.liveHeapMb?.toFixed(0)} MB live heap, is above the target in every run: ${peaksOf(plainKy)}.`
    : ''
}

Reading: what the sync keeps is the live heap (the in-memory lookup tier holds at most 10 000 records per object
type; the mappings themselves are in SQLite). The rest of the peak is V8's young generation and garbage promoted
out of it. V8 doubles the young generation as the bytes surviving scavenges add up, up to a maximum it derives from
the machine's memory (2 × 64 MB here), so the peak depends on how many bytes survive per request and per record,
and on how often a full collection clears them. Measured apart from this run (\`--trace-gc-nvp\`,
\`new_space_survived\` summed over a 30 000-person stream), those bytes do not depend on the latency (the same
with 0 ms and 20 ms) nor on the number of scavenges (the same with the young generation pinned at 2 × 16 MB): they
come with each request and record, and are gone at the next full collection. They were about 21 MB for bare fetch,
28 MB for fetch given a \`Request\` object, 31 MB for ky with a string body, 36 MB for ky given the object as
\`json\` and for the core client, and 41–45 MB for the sync. Fetch itself keeps much of it: 1 000 GETs of a
52 kB body, two at a time, survived about 13 MB through fetch and 1.7 MB through \`node:http\`. A smaller live
heap also means more frequent full collections (bare fetch ran 33 at 100 000 records, the sync 5 to 30), which is
why the peak swings from run to run. Capping the young generation (\`--max-semi-space-size\`, or
\`resourceLimits\` for a worker thread) bounds the peak at the cost of more frequent scavenges; capping it
further (8 MB) promotes more and peaks higher.

### Rate limit: share of the ceiling, without a 429

Twenty's limit (a token bucket of 100 per minute) scaled to **${RATE.limit} per ${RATE.windowMs / 1000} s** so each run takes under a
minute: the emulator enforces it, and the client is given the same rate (\`rateLimit: { limit: ${RATE.limit}, intervalMs: ${RATE.windowMs} }\`),
first with the same burst, then with a burst one token smaller. ${RATE_PEOPLE.toLocaleString('en-US')} people + ${COMPANIES.toLocaleString('en-US')} companies, ${LATENCY_MS} ms latency,
a fresh emulator per run. Ceiling = burst + rate × elapsed (the server's burst of ${RATE.limit}, ${RATE.limit / (RATE.windowMs / 1000)} per second); requests answered
excludes 429s.

| client rate limit | elapsed | requests answered | 429s | ceiling | share |
|---|---|---|---|---|---|
${rateRuns.map((r) => `| ${RATE.limit} per ${RATE.windowMs / 1000} s, burst ${r.burst} | ${(r.elapsedMs / 1000).toFixed(1)} s | ${r.achieved} | ${r.rateLimited} | ${r.ceiling.toFixed(0)} | ${(r.share * 100).toFixed(1)} % |`).join('\n')}

With the client's default shape (\`TWENTY_RATE_LIMIT\`: one token of headroom, a burst of limit − 1): **${(headroomRun.share * 100).toFixed(1)} %** with **${headroomRun.rateLimited} × 429** (target ≥ ${targets.share * 100} % and 0 × 429): **${met(headroomRun.share >= targets.share && headroomRun.rateLimited === 0)}**.
For comparison, the same burst as the server: **${(sameRun.share * 100).toFixed(1)} %** with **${sameRun.rateLimited} × 429**.
${
  sameRun.rateLimited > 0
    ? `
Reading: with identical buckets at both ends, a request that reaches the server a little sooner after the one
before it than it left the client (timer and network jitter) finds the server's bucket a fraction of a token
short and gets a 429; the client then honours \`Retry-After\`, and the token it spent on the refused request
leaves the server one token ahead for the rest of the run. One token of headroom in the client absorbs that
jitter from the start (up to ${(RATE.windowMs / RATE.limit) | 0} ms here, 600 ms at Twenty's real 100 per minute) for one request of the ceiling.
`
    : ''
}`;
recordSection('twenty-sync', markdown);
console.log(markdown);
