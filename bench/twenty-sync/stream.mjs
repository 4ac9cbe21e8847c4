// The memory phase of the sync benchmark, in its own process: streams STREAM_PEOPLE people from an async
// generator through createTwentySync on SQLite, then reports the process's peak resident set size. Plain
// JavaScript, run without the TypeScript loader, as a deployed worker runs compiled code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { createTwentySync } from '@patchbay/twenty-crm';

const url = process.env.TWENTY_URL;
const apiKey = process.env.TWENTY_API_KEY;
const count = Number(process.env.STREAM_PEOPLE ?? 100_000);
const companies = Number(process.env.STREAM_COMPANIES ?? 1_000);

const dir = mkdtempSync(join(tmpdir(), 'patchbay-bench-stream-'));
const store = createSqliteStore({ path: join(dir, 'patchbay.db') });
const sync = createTwentySync({ baseUrl: url, apiKey, store, rateLimit: false });

const pad = (n) => String(n).padStart(6, '0');
// Records are made one at a time as the sync pulls them, as rows from a database cursor would be; the
// same records as records.ts makes.
async function* source() {
  for (let i = 0; i < count; i++) {
    yield {
      externalId: `person-${pad(i)}`,
      name: `Ada Lovelace ${i}`,
      email: `ada.${i}@example.com`,
      companyExternalId: `company-${pad(i % companies)}`,
      companyName: `Company ${i % companies}`,
    };
  }
}

const loadedRssMb = process.memoryUsage().rss / 1024 / 1024;
const started = performance.now();
const report = await sync.upsertManyPersons(source());
const elapsedMs = performance.now() - started;
// resourceUsage().maxRSS is the kernel's high-water mark for this process, in kilobytes.
const maxRssMb = process.resourceUsage().maxRSS / 1024;
// What the process really holds at the end: the heap after a full collection (gc() exposed only now, so
// the run itself was not changed by the flag).
setFlagsFromString('--expose-gc');
runInNewContext('gc')();
const liveHeapMb = process.memoryUsage().heapUsed / 1024 / 1024;
await store.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    loadedRssMb,
    maxRssMb,
    liveHeapMb,
    elapsedMs,
    report: report.success
      ? {
          created: report.data.created,
          failed: report.data.failed,
          companiesCreated: report.data.companiesCreated,
        }
      : { error: report.error.code },
  })}\n`,
);
process.exit(0);
