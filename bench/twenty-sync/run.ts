// Sync benchmark: a naive per-record loop (GET by externalId, then POST or PATCH, with raw fetch) against
// Patchbay's createTwentySync on SQLite, on 10 000 people + 1 000 companies, against the Twenty emulator with
// 20 ms of latency per request, run in its own process. Also: the share of a (scaled-down) rate limit that the
// sync uses without a single 429. Memory has its own benchmark (memory.ts).
// Run: npm run bench:sync (writes the "twenty-sync" section of docs/benchmarks.md).
// BENCH_NAIVE_LIMIT=n runs the naive loop on the first n records only and extrapolates its time (labelled).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { createTwentySync } from '@patchbay/twenty-crm';
import { recordSection } from '../record.ts';
import {
  expectClean,
  expectStored,
  LATENCY_MS,
  met,
  seconds,
  setUp,
  startEmulator,
  unwrap,
} from './harness.ts';
import { createNaiveSync } from './naive.ts';
import { companies, people } from './records.ts';

const PEOPLE = 10_000;
const COMPANIES = 1_000;
const TOTAL = PEOPLE + COMPANIES;
const NAIVE_LIMIT = Math.min(TOTAL, Number(process.env.BENCH_NAIVE_LIMIT ?? TOTAL));
const NAIVE_RESYNC_SAMPLE = 500;
// Twenty's 100 per minute, scaled up so the phase takes about 45 s instead of an hour: a burst of 300,
// then 30 per second. The emulator enforces it; the client is configured with the same numbers.
const RATE = { limit: 300, windowMs: 10_000 };
// 90 000 people: about 1 550 requests at one per 60 records, so the phase stays rate-bound for about 45 s and a
// second of scheduling noise moves the share by about 2 % (45 000 people made it a 16 s phase, noise ×3).
const RATE_PEOPLE = Number(process.env.BENCH_RATE_PEOPLE ?? 90_000);

// Twenty's batch limit is 60 records, so 1/60 ≈ 0.0167 requests per record is the floor of an initial sync.
const targets = { initial: 0.018, ratio: 25, share: 0.9 };
const CHANGED = 100;
const log = (message: string) => process.stderr.write(`[bench:sync] ${message}\n`);
const dir = mkdtempSync(join(tmpdir(), 'patchbay-bench-sync-'));

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

// 100 people changed, synced by the next process: only they are written.
store = createSqliteStore({ path: dbPath });
sync = createTwentySync({ baseUrl: main.url, apiKey: main.apiKey, store, rateLimit: false });
await main.resetCounters();
const changedPeople = people(PEOPLE, COMPANIES).map((person, index) =>
  index < CHANGED ? { ...person, name: `${person.name} (changed)` } : person,
);
const changedReport = await unwrap(sync.upsertManyPersons(changedPeople));
expectClean('Patchbay 100 changed', [changedReport]);
if (changedReport.updated !== CHANGED)
  throw new Error(`Patchbay 100 changed: ${changedReport.updated} updated`);
const patchbayChanged = await main.stats();
await store.close();

// The local database is lost (mappings gone, Twenty full): a sync from an empty store creates no duplicate.
store = createSqliteStore({ path: join(dir, 'lost.db') });
sync = createTwentySync({ baseUrl: main.url, apiKey: main.apiKey, store, rateLimit: false });
await main.resetCounters();
started = performance.now();
const lostReports = [
  await unwrap(sync.upsertManyCompanies(companies(COMPANIES))),
  await unwrap(sync.upsertManyPersons(changedPeople)),
];
const patchbayLostMs = performance.now() - started;
expectClean('Patchbay lost database', lostReports);
const lostCreated = lostReports.reduce((sum, r) => sum + r.created, 0);
if (lostCreated !== 0) throw new Error(`Patchbay lost database: ${lostCreated} created`);
const patchbayLost = await main.stats();
await expectStored('Patchbay lost database', main, { people: PEOPLE, companies: COMPANIES });
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

await main.close();

// --- 2. Share of the rate-limit ceiling, with the limit on at both ends ---
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

Command: \`npm run bench:sync\` (\`bench/twenty-sync/run.ts\`). The Twenty emulator runs in its own process on
loopback and adds **${LATENCY_MS} ms** to every request (a nearby Twenty instance). Naive loop: for each record,
\`GET /rest/{object}?filter=externalId[eq]:…\` with raw fetch, then \`POST\` or \`PATCH\`, one record at a time
(company ids are kept in memory, so a person costs no company lookup). Patchbay: \`createTwentySync\` with
\`@patchbay/store-sqlite\`, its defaults (batches of 60, 2 in flight), companies then people; a record it has
no mapping for is written through Twenty's batch upsert on \`externalId\` without a lookup first. Requests are
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
| requests for ${CHANGED} changed people (re-sync of ${PEOPLE.toLocaleString('en-US')}) | ${(naiveResyncPerRecord * PEOPLE).toFixed(0)} (from the sample) | ${patchbayChanged.recordRequests} |
| requests per record, local database lost (Twenty full, no mapping) | ${naiveResyncPerRecord.toFixed(3)} (as a re-sync) | ${perRecord(patchbayLost.recordRequests, TOTAL)}, 0 created |
| wall time, initial sync of ${TOTAL.toLocaleString('en-US')} | ${seconds(naiveMsFull)}${naiveLabel} | ${seconds(patchbayMs)} |
| wall time, unchanged re-sync of ${TOTAL.toLocaleString('en-US')} | ≈ ${seconds(naiveResyncMsPerRecord * TOTAL)} (from the sample) | ${seconds(patchbayResyncMs)} |

- Requests per record, initial: **${initialPerRecord.toFixed(3)}** (target ≤ ${targets.initial}): **${met(initialPerRecord <= targets.initial)}**.
- Requests per record, unchanged re-sync: **${resyncPerRecord.toFixed(3)}** (target 0): **${met(patchbayResync.recordRequests === 0)}**.
- ${CHANGED} changed people: **${patchbayChanged.recordRequests}** requests (${Math.ceil(CHANGED / 60)} batch writes of 60 at most), ${changedReport.updated} updated, ${changedReport.unchanged.toLocaleString('en-US')} unchanged.
- Local database lost: **0** duplicates, **${lostReports.reduce((sum, r) => sum + r.updated, 0).toLocaleString('en-US')}** records rewritten in place by the upsert, in ${seconds(patchbayLostMs)} (target: no duplicate): **${met(lostCreated === 0)}**.
- Wall time naive ÷ Patchbay: **${ratio.toFixed(0)}×**${naiveLabel} (target ≥ ${targets.ratio}×): **${met(ratio >= targets.ratio)}**.

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
