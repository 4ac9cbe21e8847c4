// One of the shared-rate-limit benchmark's sync processes: forked by run.ts with its options as JSON in argv[2],
// it says "ready" over IPC, waits for "go", syncs its own companies and people through createTwentySync (SQLite
// in memory) with the client's rate limiter on the Redis store or on its own memory store, and reports.
import { createHash } from 'node:crypto';
import type { RateLimiterOptions } from '@patchbay/core';
import { createRedisRateLimitStore } from '@patchbay/store-redis';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { type CompanyRecord, createTwentySync, type PersonRecord } from '@patchbay/twenty-crm';

export interface WorkerOptions {
  worker: number;
  url: string;
  apiKey: string;
  companies: number;
  people: number;
  limiter: 'redis' | 'memory';
  redisUrl: string;
  prefix: string;
  rate: { limit: number; intervalMs: number; burst: number };
}

export interface WorkerReport {
  worker: number;
  startedAt: number;
  endedAt: number;
  created: number;
  failed: number;
  firstFailure?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;
const w = options.worker;
const companyId = (i: number) => `w${w}-company-${String(i).padStart(5, '0')}`;
const companies: CompanyRecord[] = Array.from({ length: options.companies }, (_, i) => ({
  externalId: companyId(i),
  name: `Company ${w}.${i}`,
}));
const people: PersonRecord[] = Array.from({ length: options.people }, (_, i) => ({
  externalId: `w${w}-person-${String(i).padStart(6, '0')}`,
  name: `Ada Lovelace ${w}.${i}`,
  email: `ada.${w}.${i}@example.com`,
  companyExternalId: companyId(i % options.companies),
}));

const rateStore =
  options.limiter === 'redis'
    ? createRedisRateLimitStore({ url: options.redisUrl, prefix: options.prefix })
    : undefined;
// One bucket per API key (its hash: the key itself stays out of Redis).
const key = `twenty:${createHash('sha256').update(options.apiKey).digest('hex').slice(0, 16)}`;
const rateLimit: RateLimiterOptions = {
  limit: options.rate.limit,
  intervalMs: options.rate.intervalMs,
  burst: options.rate.burst,
  key,
  ...(rateStore ? { store: rateStore } : {}),
};
const store = createSqliteStore({ path: ':memory:' });
const sync = createTwentySync({ baseUrl: options.url, apiKey: options.apiKey, store, rateLimit });
// Connected before the start, so the first request does not also pay for the connection.
await rateStore?.peek('warm-up', { capacity: 1, refillPerMs: 1 }, Date.now());

process.send?.({ ready: true });
await new Promise<void>((resolve) => process.once('message', () => resolve()));
const startedAt = Date.now();
let created = 0;
let failed = 0;
let firstFailure: string | undefined;
for (const result of [await sync.upsertManyCompanies(companies), await sync.upsertManyPersons(people)]) {
  if (!result.success) {
    failed += 1;
    firstFailure ??= `${result.error.code}: ${result.error.message}`;
    continue;
  }
  created += result.data.created;
  failed += result.data.failed;
  firstFailure ??= result.data.failures[0]
    ? `${result.data.failures[0].error.code}: ${result.data.failures[0].error.message}`
    : undefined;
}
const report: WorkerReport = { worker: w, startedAt, endedAt: Date.now(), created, failed };
if (firstFailure) report.firstFailure = firstFailure;
process.send?.({ report });
await store.close();
await rateStore?.close();
process.disconnect?.();
