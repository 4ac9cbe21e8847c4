// What the smoke runs on each runtime, against the built packages imported by name as users do: the Twenty
// emulator on loopback, a client round trip, a sync of a few hundred records into a SQLite store file, then a
// fresh sync over the same file that must send no request. Only APIs that Node, Bun and Deno share.
// Prints one JSON line `SMOKE-RESULT {"steps":[…]}` for run.mjs; each step passes, fails or is skipped with
// its reason. Run alone: `node scenario.mjs`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COMPANIES = 40;
const PEOPLE = 300;
// Raised on both sides (Twenty's default is 100/min) so the run never waits on the limiter.
const PER_MINUTE = 6_000;

const steps = [];
const record = (name, status, detail, started) =>
  steps.push({ name, status, detail, ms: Math.round(performance.now() - started) });

/** Runs `work` as step `name`; a throw or a `false` check fails it. Answers the step's status. */
async function step(name, work) {
  const started = performance.now();
  try {
    const detail = await work();
    record(name, 'pass', detail, started);
    return 'pass';
  } catch (error) {
    record(name, 'fail', describe(error), started);
    return 'fail';
  }
}

function describe(error) {
  if (!(error instanceof Error)) return String(error);
  const code = error.code ? `${error.code}: ` : '';
  return `${code}${error.message}`.replace(/\s+/g, ' ').slice(0, 300);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function unwrap(result, what) {
  if (!result.success) throw Object.assign(new Error(`${what}: ${result.error.message}`), result.error);
  return result.data;
}

function dataset() {
  const companies = Array.from({ length: COMPANIES }, (_, i) => ({
    externalId: `smoke_company_${i + 1}`,
    name: `Smoke Company ${i + 1}`,
    website: `https://company${i + 1}.smoke.example`,
  }));
  const first = ['Ada', 'Alan', 'Grace', 'Hedy', 'Katherine', 'Linus', 'Margaret', 'Tim'];
  const last = ['Lovelace', 'Turing', 'Hopper', 'Lamarr', 'Johnson', 'Torvalds', 'Hamilton', 'Berners-Lee'];
  const people = Array.from({ length: PEOPLE }, (_, i) => {
    const given = first[i % first.length];
    const family = last[Math.floor(i / first.length) % last.length];
    return {
      externalId: `smoke_person_${i + 1}`,
      name: `${given} ${family}`,
      email: `${given.toLowerCase()}.${i + 1}@company${(i % COMPANIES) + 1}.smoke.example`,
      companyExternalId: companies[i % COMPANIES].externalId,
    };
  });
  return { companies, people };
}

const summary = (report) =>
  `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.failed} failed`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-runtime-smoke-'));
  const dbPath = join(dir, 'smoke.db');
  let twenty;
  try {
    const emulator = await step('emulator', async () => {
      const { startTwentyEmulator } = await import('@patchbay/emulators');
      twenty = await startTwentyEmulator({ seed: 1, rateLimit: { limit: PER_MINUTE, windowMs: 60_000 } });
      check(/^http:\/\/127\.0\.0\.1:\d+$/.test(twenty.url), `unexpected url ${twenty.url}`);
      return `listening on ${twenty.url}`;
    });
    if (emulator !== 'pass') {
      for (const name of ['client', 'sync', 'resync']) {
        record(name, 'fail', 'not run: the emulator did not start', performance.now());
      }
      return;
    }

    await step('client', async () => {
      const { createTwentyClient } = await import('@patchbay/twenty-crm');
      const client = createTwentyClient({ baseUrl: twenty.url, apiKey: twenty.apiKey, rateLimit: false });
      const email = 'ada.client@smoke.example';
      const created = unwrap(
        await client.people.create({
          name: { firstName: 'Ada', lastName: 'Lovelace' },
          emails: { primaryEmail: email },
        }),
        'people.create',
      );
      const fetched = unwrap(await client.people.get(created.id), 'people.get');
      check(fetched.name?.lastName === 'Lovelace', `people.get answered ${JSON.stringify(fetched.name)}`);
      const listed = unwrap(
        await client.people.listAll({ filter: { 'emails.primaryEmail': { eq: email } } }),
        'people.listAll',
      );
      check(
        listed.length === 1 && listed[0].id === created.id,
        `people.listAll found ${listed.length} records`,
      );
      unwrap(await client.people.delete(created.id), 'people.delete');
      return 'create, get, list (filtered), delete a person';
    });

    // A runtime without node:sqlite cannot run the store at all: that is a skip with its reason, not a failure
    // of the package. Anything else going wrong in the sync is a failure.
    let sqliteMissing;
    try {
      await import('node:sqlite');
    } catch (error) {
      sqliteMissing = `this runtime has no node:sqlite (${describe(error)})`;
    }
    if (sqliteMissing) {
      record('sync', 'skip', sqliteMissing, performance.now());
      record('resync', 'skip', sqliteMissing, performance.now());
      return;
    }

    const { companies, people } = dataset();
    let createSqliteStore;
    let makeSync;
    const synced = await step('sync', async () => {
      ({ createSqliteStore } = await import('@patchbay/store-sqlite'));
      const { createTwentySync } = await import('@patchbay/twenty-crm');
      makeSync = (store) =>
        createTwentySync({
          baseUrl: twenty.url,
          apiKey: twenty.apiKey,
          store,
          rateLimit: { limit: PER_MINUTE, intervalMs: 60_000 },
        });
      const store = createSqliteStore({ path: dbPath });
      try {
        const sync = makeSync(store);
        unwrap(await sync.setup(), 'setup');
        const peopleBefore = twenty.store.count('people');
        twenty.counters.reset();
        const companyReport = unwrap(await sync.upsertManyCompanies(companies), 'upsertManyCompanies');
        const peopleReport = unwrap(await sync.upsertManyPersons(people), 'upsertManyPersons');
        const requests = twenty.counters.snapshot().total;
        check(
          companyReport.created === COMPANIES && companyReport.failed === 0,
          `companies: ${summary(companyReport)}`,
        );
        check(
          peopleReport.created === PEOPLE && peopleReport.failed === 0,
          `people: ${summary(peopleReport)}`,
        );
        const added = twenty.store.count('people') - peopleBefore;
        check(added === PEOPLE, `Twenty gained ${added} people, expected ${PEOPLE}`);
        const duplicates =
          twenty.store.duplicates('people', 'externalId').length +
          twenty.store.duplicates('companies', 'externalId').length;
        check(duplicates === 0, `${duplicates} duplicate externalIds in Twenty`);
        check(requests > 0, 'the emulator counted no request');
        return `${COMPANIES} companies + ${PEOPLE} people created in ${requests} requests, SQLite file`;
      } finally {
        await store.close();
      }
    });
    if (synced !== 'pass') {
      record('resync', 'fail', 'not run: the first sync failed', performance.now());
      return;
    }

    await step('resync', async () => {
      // A new store over the same file and a new sync: what a second process would start from.
      const store = createSqliteStore({ path: dbPath });
      try {
        const sync = makeSync(store);
        twenty.counters.reset();
        const companyReport = unwrap(await sync.upsertManyCompanies(companies), 'upsertManyCompanies');
        const peopleReport = unwrap(await sync.upsertManyPersons(people), 'upsertManyPersons');
        const snapshot = twenty.counters.snapshot();
        check(companyReport.unchanged === COMPANIES, `companies: ${summary(companyReport)}`);
        check(peopleReport.unchanged === PEOPLE, `people: ${summary(peopleReport)}`);
        check(
          snapshot.total === 0,
          `${snapshot.total} requests, expected 0: ${JSON.stringify(
            Object.fromEntries(Object.entries(snapshot.byRoute).map(([route, c]) => [route, c.total])),
          )}`,
        );
        return `${COMPANIES + PEOPLE} unchanged, 0 requests`;
      } finally {
        await store.close();
      }
    });
  } finally {
    try {
      await twenty?.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

try {
  await main();
} catch (error) {
  // Outside any step (the emulator would not close, the temp directory would not go): every step not yet
  // reported fails with it, so the report always has the same four steps.
  const reason = `not run: ${describe(error)}`;
  for (const name of ['emulator', 'client', 'sync', 'resync']) {
    if (!steps.some((s) => s.name === name)) record(name, 'fail', reason, performance.now());
  }
  if (steps.every((s) => s.status !== 'fail')) record('scenario', 'fail', describe(error), performance.now());
}
console.log(`SMOKE-RESULT ${JSON.stringify({ steps })}`);
// Bun and Deno keep running while a handle (a keep-alive socket, a timer) is open: the result is out, stop.
process.exit(steps.some((s) => s.status === 'fail') ? 1 : 0);
