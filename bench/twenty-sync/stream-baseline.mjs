// The baseline of the memory benchmark: the same requests the sync sends for STREAM_PEOPLE people (one
// externalId[in] lookup and one batch upsert per 60, two chunks in flight, the companies first), made with bare
// fetch and nothing else: no store, no hashing, no validation. STREAM_BALLAST_MB holds that much live data for
// the whole run, as the sync's modules and lookup cache do, without any allocation per request.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const url = process.env.TWENTY_URL;
const apiKey = process.env.TWENTY_API_KEY;
const count = Number(process.env.STREAM_PEOPLE ?? 100_000);
const companies = Number(process.env.STREAM_COMPANIES ?? 1_000);
const BATCH = 60;
const CONCURRENCY = 2;

const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
const pad = (n) => String(n).padStart(6, '0');

async function call(method, path, body) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

const lookup = (plural, ids) =>
  call(
    'GET',
    `/rest/${plural}?limit=200&filter=${encodeURIComponent(`externalId[in]:${JSON.stringify(ids)}`)}`,
  );

async function upsert(plural, inputs) {
  const body = await call('POST', `/rest/batch/${plural}?upsert=true`, inputs);
  return Object.values(body.data)[0];
}

async function inChunks(total, make) {
  const inFlight = new Set();
  for (let start = 0; start < total; start += BATCH) {
    const task = make(start, Math.min(total, start + BATCH)).finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

// Arrays of 125 small integers: about 1 kB each (8-byte slots).
const ballast = Array.from(
  { length: Math.round(Number(process.env.STREAM_BALLAST_MB ?? 0) * 1024) },
  (_, i) => Array.from({ length: 125 }, (_, k) => (i + k) % 1000),
);

const loadedRssMb = process.memoryUsage().rss / 1024 / 1024;
const started = performance.now();
const companyIds = new Map();
await inChunks(companies, async (from, to) => {
  const ids = [];
  for (let i = from; i < to; i++) ids.push(`company-${pad(i)}`);
  await lookup('companies', ids);
  const written = await upsert(
    'companies',
    ids.map((externalId, k) => ({
      externalId,
      name: `Company ${from + k}`,
      domainName: { primaryLinkUrl: '' },
    })),
  );
  for (const record of written) companyIds.set(record.externalId, record.id);
});
let created = 0;
await inChunks(count, async (from, to) => {
  const inputs = [];
  for (let i = from; i < to; i++)
    inputs.push({
      externalId: `person-${pad(i)}`,
      name: { firstName: 'Ada', lastName: `Lovelace ${i}` },
      emails: { primaryEmail: `ada.${i}@example.com` },
      companyId: companyIds.get(`company-${pad(i % companies)}`) ?? null,
    });
  await lookup(
    'people',
    inputs.map((input) => input.externalId),
  );
  const written = await upsert('people', inputs);
  created += written.length;
});
const elapsedMs = performance.now() - started;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
// As stream.mjs measures it: the heap after a full collection, gc() exposed only now.
setFlagsFromString('--expose-gc');
runInNewContext('gc')();
const liveHeapMb = process.memoryUsage().heapUsed / 1024 / 1024;
process.stdout.write(
  `${JSON.stringify({ loadedRssMb, maxRssMb, liveHeapMb, elapsedMs, ballast: ballast.length, report: { created } })}\n`,
);
process.exit(0);
