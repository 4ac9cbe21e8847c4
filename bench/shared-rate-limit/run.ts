// Shared rate limit benchmark (issue 16): 4 processes syncing at once through one Twenty API key, against the Twenty
// emulator enforcing its token-bucket limit (scaled: 300 per 10 s), first with per-process limiters (each process's
// own memory store, Twenty's default client configuration), then with @patchbay/store-redis sharing one bucket.
// Judged on the share of the server's ceiling used, without a 429.
// Run: npm run bench:rate-limit (writes the "rate-limit" section of docs/benchmarks.md). Needs Redis: REDIS_URL, or
// PATCHBAY_TEST_REDIS_URL, or redis://127.0.0.1:6379.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { recordSection } from '../record.ts';
import { expectStored, LATENCY_MS, met, setUp, startEmulator } from '../twenty-sync/harness.ts';
import type { WorkerOptions, WorkerReport } from './worker.ts';

const PROCESSES = 4;
// Twenty's 100 per minute scaled so a run takes about half a minute: a burst of 300, then 30 per second.
const RATE = { limit: 300, windowMs: 10_000 };
// The client's shape of it, as TWENTY_RATE_LIMIT: the same rate, and a burst one token short of the server's. That
// token is 600 ms at Twenty's 100 per minute: the time a request may reach the server early (scheduling, a busy
// event loop, the network) and still find a token. Scaled, the same 600 ms is 18 tokens; a single token would be
// 33 ms, less than the event-loop delays of 6 processes sharing 2 cores.
const HEADROOM_MS = 600;
const HEADROOM = Math.round((HEADROOM_MS * RATE.limit) / RATE.windowMs);
const CLIENT_RATE = { limit: RATE.limit, intervalMs: RATE.windowMs, burst: RATE.limit - HEADROOM };
const COMPANIES = 240;
// About 1 320 record requests in all (60 records a request, 4 × 325 for people, 4 for companies): 300 at once,
// then 30 a second for about 34 s.
const PEOPLE = Number(process.env.BENCH_RATE_PEOPLE ?? 78_000);
const REDIS_URL = process.env.REDIS_URL || process.env.PATCHBAY_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const targets = { share: 0.9 };
const log = (message: string) => process.stderr.write(`[bench:rate-limit] ${message}\n`);

interface Run {
  limiter: WorkerOptions['limiter'];
  elapsedMs: number;
  answered: number;
  rateLimited: number;
  created: number;
  failed: number;
  firstFailure: string | undefined;
  ceiling: number;
  share: number;
  perProcessMs: number[];
}

function startWorker(options: WorkerOptions) {
  const child: ChildProcess = fork(join(import.meta.dirname, 'worker.ts'), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const done = new Promise<WorkerReport>((resolve, reject) => {
    child.on('message', (message: { ready?: boolean; report?: WorkerReport }) => {
      if (message.ready) onReady();
      if (message.report) resolve(message.report);
    });
    child.once('exit', (code) =>
      reject(new Error(`worker ${options.worker} exited (${code}) without a report`)),
    );
  });
  return { ready, done, go: () => child.send('go') };
}

async function run(limiter: WorkerOptions['limiter']): Promise<Run> {
  // A fresh emulator per run: the server's bucket starts full, Twenty holds nothing.
  const emulator = await startEmulator({ latencyMs: LATENCY_MS, rateLimit: RATE });
  await setUp(emulator);
  await sleep(1_000);
  await emulator.resetCounters();
  const prefix = `patchbay-bench:${randomBytes(4).toString('hex')}:`;
  log(
    `${PROCESSES} processes × ${PEOPLE / PROCESSES} people + ${COMPANIES / PROCESSES} companies, ${limiter} limiters…`,
  );
  const workers = Array.from({ length: PROCESSES }, (_, worker) =>
    startWorker({
      worker,
      url: emulator.url,
      apiKey: emulator.apiKey,
      companies: COMPANIES / PROCESSES,
      people: PEOPLE / PROCESSES,
      limiter,
      redisUrl: REDIS_URL,
      prefix,
      rate: CLIENT_RATE,
    }),
  );
  await Promise.all(workers.map((worker) => worker.ready));
  for (const worker of workers) worker.go();
  const reports = await Promise.all(workers.map((worker) => worker.done));
  const stats = await emulator.stats();
  const failed = reports.reduce((sum, r) => sum + r.failed, 0);
  if (failed === 0)
    await expectStored(`${limiter} limiters`, emulator, { people: PEOPLE, companies: COMPANIES });
  await emulator.close();
  const startedAt = Math.min(...reports.map((r) => r.startedAt));
  const elapsedMs = Math.max(...reports.map((r) => r.endedAt)) - startedAt;
  const answered = stats.recordRequests - stats.rateLimited;
  const ceiling = RATE.limit + (RATE.limit / RATE.windowMs) * elapsedMs;
  const result: Run = {
    limiter,
    elapsedMs,
    answered,
    rateLimited: stats.rateLimited,
    created: reports.reduce((sum, r) => sum + r.created, 0),
    failed,
    firstFailure: reports.find((r) => r.firstFailure)?.firstFailure,
    ceiling,
    share: answered / ceiling,
    perProcessMs: reports.map((r) => r.endedAt - r.startedAt),
  };
  log(
    `${limiter}: ${(elapsedMs / 1000).toFixed(1)} s, ${answered} answered, ${stats.rateLimited} × 429, ${failed} failed, share ${(result.share * 100).toFixed(1)} %`,
  );
  return result;
}

const began = performance.now();
const runs = [await run('memory'), await run('redis')];
const [own, shared] = runs as [Run, Run];
const totalMs = performance.now() - began;

const label = (r: Run) =>
  r.limiter === 'redis'
    ? 'one bucket in Redis (`@patchbay/store-redis`)'
    : 'a bucket per process (memory, the default)';
const markdown = `## Shared rate limit: 4 processes, one Twenty API key

Command: \`npm run bench:rate-limit\` (\`bench/shared-rate-limit/run.ts\`), ${(totalMs / 1000).toFixed(0)} s. ${PROCESSES} Node processes sync
at once through one API key, each its own ${(COMPANIES / PROCESSES).toLocaleString('en-US')} companies and ${(PEOPLE / PROCESSES).toLocaleString('en-US')} people (\`createTwentySync\`, SQLite in memory, batches of 60,
2 in flight), against the Twenty emulator in its own process (loopback, ${LATENCY_MS} ms per request). The emulator enforces
Twenty's limit, a token bucket per API key, scaled from 100 per minute to **${RATE.limit} per ${RATE.windowMs / 1000} s** so a run takes about half a
minute. Every process's client is configured as Twenty's default shape of that limit, \`TWENTY_RATE_LIMIT\` (the server's rate, a burst
one token short: ${HEADROOM_MS} ms of headroom at 100 per minute), scaled with it: \`rateLimit: { limit: ${CLIENT_RATE.limit}, intervalMs: ${CLIENT_RATE.intervalMs}, burst: ${CLIENT_RATE.burst} }\`
(the same ${HEADROOM_MS} ms is ${HEADROOM} tokens at ${RATE.limit / (RATE.windowMs / 1000)} per second). First each process with its own bucket in memory, then all four with \`store: createRedisRateLimitStore(…)\`
and one \`key\`, sharing one bucket on a local Redis (its clock). A fresh emulator per run. Ceiling = the server's burst + its rate × elapsed
(${RATE.limit} + ${RATE.limit / (RATE.windowMs / 1000)} per second), elapsed from the first process's start to the last one's end; requests answered exclude 429s.
Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}.

| limiters | elapsed | requests answered | 429s | records failed | ceiling | share |
|---|---|---|---|---|---|---|
${runs.map((r) => `| ${label(r)} | ${(r.elapsedMs / 1000).toFixed(1)} s | ${r.answered} | ${r.rateLimited} | ${r.failed} | ${r.ceiling.toFixed(0)} | ${(r.share * 100).toFixed(1)} % |`).join('\n')}

- One bucket in Redis: **${(shared.share * 100).toFixed(1)} %** of the ceiling with **${shared.rateLimited} × 429** and ${shared.failed} records failed (target ≥ ${targets.share * 100} % and 0 × 429): **${met(shared.share >= targets.share && shared.rateLimited === 0 && shared.failed === 0)}**.
- A bucket per process: **${(own.share * 100).toFixed(1)} %** with **${own.rateLimited} × 429**${own.failed > 0 ? ` and **${own.failed}** records failed (${own.firstFailure})` : ` (no record failed: the HTTP client sent each refused batch again after its \`Retry-After\`)`}. Each process believes it has the whole budget, so together they would ask ${PROCESSES} times what the server grants; only the server's answers (429s with \`Retry-After\`, an \`X-RateLimit-Remaining\` of 0 with its reset) hold each one back, after the fact, one refused request at a time.
- Per process, from its start to its end: ${runs.map((r) => `${r.limiter} ${r.perProcessMs.map((ms) => `${(ms / 1000).toFixed(1)}`).join(' / ')} s`).join('; ')}.
`;
recordSection('rate-limit', markdown);
console.log(markdown);
