// The Twenty CRM sync, end to end on this machine: a Twenty emulator on loopback, 5 000 people across 500
// companies (deterministic), the embedded SQLite store, one full sync, then a second sync that has nothing
// to write. Run it with `npm run demo` from the repository root.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IntegrationStore } from '@patchbay/core';
import { type CountersSnapshot, createRandom, startTwentyEmulator } from '@patchbay/emulators';
import { createSqliteStore } from '@patchbay/store-sqlite';
import {
  type CompanyRecord,
  createTwentySync,
  type PersonRecord,
  type SyncProgress,
  type SyncReport,
} from '@patchbay/twenty-crm';

/** Options of {@link runTwentyDemo}. */
export interface TwentyDemoOptions {
  /** Default 5 000. */
  people?: number;
  /** Default 500. */
  companies?: number;
  /** Seed of the dataset. Default 42. */
  seed?: number;
  /** The SQLite file, deleted first. Default `patchbay-demo.db` in the OS temp directory. */
  dbPath?: string;
  /** Requests per minute allowed by the emulator and by the client. Default 600. */
  ratePerMinute?: number;
  /** Where lines go. Default console.log. */
  print?: (line: string) => void;
  /** Where the progress bar goes; `false` for none. Default stderr. */
  progress?: NodeJS.WriteStream | false;
}

/** What the demo measured. */
export interface TwentyDemoResult {
  records: number;
  firstRun: {
    requests: number;
    ms: number;
    companies: SyncReport;
    people: SyncReport;
    byRoute: CountersSnapshot['byRoute'];
  };
  secondRun: { requests: number; ms: number; companies: SyncReport; people: SyncReport };
  twenty: { people: number; companies: number; duplicates: number };
}

// Twenty's documented limit. The demo raises it (on both sides) so 5 500 records take seconds, not minutes.
const TWENTY_DEFAULT_PER_MINUTE = 100;

/** Runs the demo; resolves with its figures. */
export async function runTwentyDemo(options: TwentyDemoOptions = {}): Promise<TwentyDemoResult> {
  const peopleCount = options.people ?? 5_000;
  const companyCount = options.companies ?? 500;
  const ratePerMinute = options.ratePerMinute ?? 600;
  const dbPath = options.dbPath ?? join(tmpdir(), 'patchbay-demo.db');
  const print = options.print ?? console.log;
  const bar = options.progress === false ? undefined : progressBar(options.progress ?? process.stderr);

  const { companies, people } = generateDataset({
    people: peopleCount,
    companies: companyCount,
    seed: options.seed ?? 42,
  });
  const records = companies.length + people.length;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });

  const twenty = await startTwentyEmulator({
    rateLimit: { limit: ratePerMinute, windowMs: 60_000 },
    seed: 1,
  });
  let store: IntegrationStore = createSqliteStore({ path: dbPath });
  try {
    print(`Twenty emulator on ${twenty.url}; SQLite store at ${dbPath} (reset)`);
    print(
      `Rate limit ON on both sides, raised for the demo to ${ratePerMinute} requests/min ` +
        `(Twenty's documented default is ${TWENTY_DEFAULT_PER_MINUTE}/min).`,
    );
    print(
      `Dataset: ${people.length.toLocaleString('en')} people across ${companies.length} companies (seeded).`,
    );
    print(`  e.g. ${people[0]!.name} <${people[0]!.email}> at ${people[0]!.companyName}`);

    const makeSync = (onProgress?: (progress: SyncProgress) => void) =>
      createTwentySync({
        baseUrl: twenty.url,
        apiKey: twenty.apiKey,
        store,
        rateLimit: { limit: ratePerMinute, intervalMs: 60_000 },
        onProgress,
      });

    const setupSync = makeSync();
    const setup = await setupSync.setup();
    if (!setup.success) throw setup.error;
    print(
      `setup: created the unique externalId fields ${setup.data.createdFields.join(', ') || '(already there)'}`,
    );
    twenty.counters.reset();

    // ---- first run: everything is new ----
    print('');
    print('First sync: companies, then people');
    let total = companies.length;
    let label = 'companies';
    const sync = makeSync((progress) => bar?.(label, progress.processed, total));
    const started = performance.now();
    const companyReport = unwrap(await sync.upsertManyCompanies(companies));
    label = 'people';
    total = people.length;
    const peopleReport = unwrap(await sync.upsertManyPersons(people));
    const firstMs = performance.now() - started;
    const first = twenty.counters.snapshot();

    print(`  companies: ${summary(companyReport)}`);
    print(`  people:    ${summary(peopleReport)}`);
    print(
      `  ${records.toLocaleString('en')} records in ${seconds(firstMs)} (${Math.round(records / (firstMs / 1000)).toLocaleString('en')} records/s)`,
    );
    print(
      `  requests Twenty saw: ${first.total}  →  ${(first.total / records).toFixed(3)} requests per record`,
    );
    for (const [route, counts] of Object.entries(first.byRoute).sort(([a], [b]) => a.localeCompare(b))) {
      const outcomes = Object.entries(counts.byOutcome)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ');
      print(`    ${route.padEnd(28)} ${String(counts.total).padStart(5)}   ${outcomes}`);
    }
    // A token bucket like Twenty's: a burst of `limit`, then `limit` per minute.
    const burstNote =
      first.total <= ratePerMinute
        ? `within the burst of ${ratePerMinute}, so no request waited`
        : 'some requests waited';
    const waitS = (Math.max(0, first.total - TWENTY_DEFAULT_PER_MINUTE) / TWENTY_DEFAULT_PER_MINUTE) * 60;
    print(
      `  rate limit: ${first.total} requests, ${burstNote}; at Twenty's default ${TWENTY_DEFAULT_PER_MINUTE}/min the ` +
        `client would have waited about ${Math.ceil(waitS)} s in all (it waits, it does not fail).`,
    );

    // ---- second run: a new process would start from the database, so a new store and a new sync ----
    await store.close();
    store = createSqliteStore({ path: dbPath });
    twenty.counters.reset();
    print('');
    print('Second sync of the same data (new sync, same SQLite file, empty memory cache)');
    const again = makeSync();
    const startedAgain = performance.now();
    const companiesAgain = unwrap(await again.upsertManyCompanies(companies));
    const peopleAgain = unwrap(await again.upsertManyPersons(people));
    const secondMs = performance.now() - startedAgain;
    const second = twenty.counters.snapshot();
    print(`  companies: ${summary(companiesAgain)}`);
    print(`  people:    ${summary(peopleAgain)}`);
    print(
      `  requests Twenty saw: ${second.total}: nothing was written (${seconds(secondMs)}, content hashes ` +
        'compared against the mappings in SQLite)',
    );

    const duplicates =
      twenty.store.duplicates('people', 'externalId').length +
      twenty.store.duplicates('companies', 'externalId').length;
    const inTwenty = { people: twenty.store.count('people'), companies: twenty.store.count('companies') };
    print('');
    print(
      `Twenty now holds ${inTwenty.people.toLocaleString('en')} people and ${inTwenty.companies} companies, ` +
        `${duplicates} duplicates.`,
    );
    return {
      records,
      firstRun: {
        requests: first.total,
        ms: firstMs,
        companies: companyReport,
        people: peopleReport,
        byRoute: first.byRoute,
      },
      secondRun: { requests: second.total, ms: secondMs, companies: companiesAgain, people: peopleAgain },
      twenty: { ...inTwenty, duplicates },
    };
  } finally {
    await store.close();
    await twenty.close();
  }
}

function unwrap<T>(result: { success: true; data: T } | { success: false; error: Error }): T {
  if (!result.success) throw result.error;
  return result.data;
}

function summary(report: SyncReport): string {
  const parts = [
    `${report.created.toLocaleString('en')} created`,
    `${report.updated.toLocaleString('en')} updated`,
    `${report.unchanged.toLocaleString('en')} unchanged`,
    `${report.failed.toLocaleString('en')} failed`,
  ];
  if (report.companiesCreated > 0) parts.push(`${report.companiesCreated} companies created on the fly`);
  return parts.join(', ');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A text progress bar: redrawn in place on a terminal, a line per quarter otherwise (logs, CI). */
function progressBar(stream: NodeJS.WriteStream) {
  let lastQuarter = 0;
  let lastLabel = '';
  return (label: string, done: number, total: number) => {
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const width = 30;
    const filled = Math.round(ratio * width);
    const line = `  ${label.padEnd(9)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(done).padStart(5)}/${total} ${String(Math.round(ratio * 100)).padStart(3)}%`;
    if (stream.isTTY) {
      stream.write(`\r${line}${ratio === 1 ? '\n' : ''}`);
      return;
    }
    if (label !== lastLabel) {
      lastLabel = label;
      lastQuarter = 0;
    }
    const quarter = Math.floor(ratio * 4);
    if (quarter > lastQuarter) {
      lastQuarter = quarter;
      stream.write(`${line}\n`);
    }
  };
}

// ---- the dataset: deterministic, so every run (and every machine) syncs the same records ----

const FIRST_NAMES = [
  'Ada',
  'Alan',
  'Amara',
  'Ana',
  'Arjun',
  'Beatriz',
  'Camille',
  'Chen',
  'Chloé',
  'Dmitri',
  'Elena',
  'Emeka',
  'Farah',
  'Grace',
  'Hana',
  'Hugo',
  'Ingrid',
  'Isabel',
  'Jamal',
  'Jonas',
  'Kenji',
  'Lara',
  'Leila',
  'Lucas',
  'Maja',
  'Marco',
  'Mei',
  'Nadia',
  'Noah',
  'Olga',
  'Omar',
  'Priya',
  'Rafael',
  'Rosa',
  'Sami',
  'Sofia',
  'Tariq',
  'Tomás',
  'Uma',
  'Victor',
  'Wen',
  'Yara',
  'Yusuf',
  'Zoé',
  'Liam',
  'Aisha',
  'Mateo',
  'Nora',
];
const LAST_NAMES = [
  'Adeyemi',
  'Andersen',
  'Bauer',
  'Bianchi',
  'Costa',
  'Dubois',
  'Eriksson',
  'Fernández',
  'García',
  'Haddad',
  'Hoffmann',
  'Ivanova',
  'Jansen',
  'Kim',
  'Kowalski',
  'Laurent',
  'Lovelace',
  'Martins',
  'Moreau',
  'Nakamura',
  'Novak',
  'Okafor',
  'Olsen',
  'Patel',
  'Petrov',
  'Quispe',
  'Rossi',
  'Santos',
  'Schmidt',
  'Silva',
  'Singh',
  'Tanaka',
  'Turing',
  'Van Dijk',
  'Wang',
  'Weber',
  'Yilmaz',
  'Zhang',
  'Hopper',
  'Nguyen',
  'Okonkwo',
  'Khan',
];
const COMPANY_WORDS = [
  'Northwind',
  'Bluefield',
  'Ironbark',
  'Silverline',
  'Redwood',
  'Brightpath',
  'Harbor',
  'Summit',
  'Cobalt',
  'Evergreen',
  'Granite',
  'Lumen',
  'Meridian',
  'Nimbus',
  'Orchard',
  'Pioneer',
  'Quarry',
  'Riverstone',
  'Sable',
  'Tidewater',
  'Upland',
  'Vantage',
  'Willow',
  'Zenith',
  'Alder',
  'Beacon',
  'Cedar',
  'Driftwood',
];
const COMPANY_KINDS = [
  'Labs',
  'Logistics',
  'Analytics',
  'Health',
  'Robotics',
  'Foods',
  'Energy',
  'Software',
  'Studio',
  'Capital',
  'Systems',
  'Networks',
  'Bikes',
  'Pharma',
  'Media',
  'Textiles',
  'Travel',
  'Security',
  'Materials',
  'Games',
];

const CITIES = [
  'Lisbon',
  'Lagos',
  'Oslo',
  'Osaka',
  'Austin',
  'Lyon',
  'Pune',
  'Porto',
  'Quito',
  'Leeds',
  'Graz',
  'Cork',
];

const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** `people` people across `companies` companies, the same for the same seed. */
export function generateDataset(options: { people: number; companies: number; seed: number }): {
  companies: (CompanyRecord & { website: string })[];
  people: (PersonRecord & { email: string; companyName: string })[];
} {
  const random = createRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const usedNames = new Set<string>();
  const companies = Array.from({ length: options.companies }, (_, i) => {
    const base = `${pick(COMPANY_WORDS)} ${pick(COMPANY_KINDS)}`;
    // 560 word pairs are too few for 500 distinct names: taken ones get a city, as real companies do.
    let name = base;
    if (usedNames.has(name)) name = `${base} ${pick(CITIES)}`;
    for (let n = 2; usedNames.has(name); n++) name = `${base} ${n}`;
    usedNames.add(name);
    return {
      externalId: `company_${String(i + 1).padStart(4, '0')}`,
      name,
      website: `https://www.${slug(name)}.example`,
    };
  });
  const usedEmails = new Set<string>();
  const people = Array.from({ length: options.people }, (_, i) => {
    const company = companies[Math.floor(random() * companies.length)]!;
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const domain = new URL(company.website).hostname.replace(/^www\./, '');
    const local = `${slug(first)}.${slug(last).replace(/-/g, '')}`;
    let email = `${local}@${domain}`;
    for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${domain}`;
    usedEmails.add(email);
    return {
      externalId: `user_${String(i + 1).padStart(5, '0')}`,
      name: `${first} ${last}`,
      email,
      companyExternalId: company.externalId,
      companyName: company.name,
    };
  });
  return { companies, people };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const result = await runTwentyDemo();
    const ok = result.secondRun.requests === 0 && result.twenty.duplicates === 0;
    process.exit(ok ? 0 : 1);
  } catch (error) {
    console.error('The demo failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
