// Batch throughput of the IntegrationStore adapters: putMany and getMany of 100 000 mappings in batches of
// 1 000 and 10 000, against a naive baseline measured in the same run (one autocommitted INSERT or one
// SELECT per mapping). Run: npm run bench:stores (writes the "stores" section of docs/benchmarks.md).
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { IntegrationStore, Mapping } from '@patchbay/core/store';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { recordSection } from '../record.ts';
import { type BenchStoreFactory, sqliteFactory, storeFactories } from './factories.ts';

const TOTAL = Number(process.env.BENCH_MAPPINGS ?? 100_000);
const BATCHES = [1_000, 10_000];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const NAIVE_SAMPLE = 2_000;
const TARGET_PER_SECOND = 50_000;
const scope = { integration: 'bench', objectType: 'person' };

const mappings = (count: number, version: number): Mapping[] =>
  Array.from({ length: count }, (_, i) => ({
    externalId: `ext-${String(i).padStart(8, '0')}`,
    remoteId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    contentHash: `sha256-${version}-${i.toString(16).padStart(56, '0')}`,
    syncedAt: 1_767_225_600_000 + i,
  }));

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function timed(work: () => Promise<void> | void): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const must = <T>(result: { success: true; data: T } | { success: false; error: Error }): T => {
  if (!result.success) throw result.error;
  return result.data;
};

interface Rates {
  insert: number;
  replace: number;
  get: number;
}

/** One round on a fresh store: insert everything, replace everything, read everything, in `batch`-sized calls. */
async function round(store: IntegrationStore, batch: number): Promise<Rates> {
  const first = mappings(TOTAL, 1);
  const second = mappings(TOTAL, 2);
  const ids = first.map((m) => m.externalId);
  const put = (entries: Mapping[]) => async () => {
    for (let i = 0; i < TOTAL; i += batch)
      must(await store.mappings.putMany(scope, entries.slice(i, i + batch)));
  };
  const insertMs = await timed(put(first));
  const replaceMs = await timed(put(second));
  const getMs = await timed(async () => {
    for (let i = 0; i < TOTAL; i += batch) {
      const found = must(await store.mappings.getMany(scope, ids.slice(i, i + batch)));
      if (found.size !== Math.min(batch, TOTAL - i)) throw new Error('getMany lost mappings');
    }
  });
  if (must(await store.mappings.count(scope)) !== TOTAL) throw new Error('count mismatch');
  const perSecond = (ms: number) => (TOTAL / ms) * 1000;
  return { insert: perSecond(insertMs), replace: perSecond(replaceMs), get: perSecond(getMs) };
}

async function measure(factory: BenchStoreFactory, batch: number): Promise<Rates> {
  const rounds: Rates[] = [];
  // One extra warm-up round, discarded.
  for (let i = 0; i <= ROUNDS; i++) {
    const { store, cleanup } = await factory.open();
    try {
      const rates = await round(store, batch);
      if (i > 0) rounds.push(rates);
    } finally {
      await cleanup();
    }
  }
  return {
    insert: median(rounds.map((r) => r.insert)),
    replace: median(rounds.map((r) => r.replace)),
    get: median(rounds.map((r) => r.get)),
  };
}

/**
 * The naive way on the same file format and settings: one INSERT per mapping, each its own autocommitted
 * transaction (one fsync each), on a sample, extrapolated; and one SELECT per id, on everything.
 */
async function naiveSqlite(): Promise<{ insert: number; get: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-bench-naive-'));
  const file = join(dir, 'naive.db');
  // The store's own schema (migrations run on open), then a raw connection with the store's pragmas.
  await createSqliteStore({ path: file }).close();
  const db = new DatabaseSync(file);
  db.exec('PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL');
  const insert = db.prepare(
    `INSERT INTO mappings (integration, object_type, external_id, remote_id, content_hash, synced_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const sample = mappings(NAIVE_SAMPLE, 1);
  const insertMs = await timed(() => {
    for (const m of sample)
      insert.run(scope.integration, scope.objectType, m.externalId, m.remoteId, m.contentHash, m.syncedAt);
  });
  // Reads need the full set present: load it the fast way, then time one SELECT per id.
  const all = mappings(TOTAL, 1).slice(NAIVE_SAMPLE);
  db.exec('BEGIN');
  for (const m of all)
    insert.run(scope.integration, scope.objectType, m.externalId, m.remoteId, m.contentHash, m.syncedAt);
  db.exec('COMMIT');
  const select = db.prepare(
    'SELECT remote_id, content_hash, synced_at FROM mappings WHERE integration = ? AND object_type = ? AND external_id = ?',
  );
  const ids = mappings(TOTAL, 1).map((m) => m.externalId);
  const getMs = await timed(() => {
    for (const id of ids)
      if (!select.get(scope.integration, scope.objectType, id)) throw new Error('missing');
  });
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { insert: (NAIVE_SAMPLE / insertMs) * 1000, get: (TOTAL / getMs) * 1000 };
}

const FILESYSTEMS: Record<number, string> = {
  16914836: 'tmpfs',
  2035054128: 'overlayfs',
  61267: 'ext4',
  1481003842: 'xfs',
  2435016766: 'btrfs',
  1785031267: 'apfs',
};
const filesystem = (() => {
  try {
    const type = statfsSync(tmpdir()).type;
    return FILESYSTEMS[type] ?? `type 0x${type.toString(16)}`;
  } catch {
    return 'unknown';
  }
})();

const k = (perSecond: number) =>
  perSecond >= 10_000
    ? `${Math.round(perSecond / 1000).toLocaleString('en-US')}k`
    : Math.round(perSecond).toLocaleString('en-US');

const factories = await storeFactories(process.env);
const rows: string[] = [];
let sqliteWorst = Number.POSITIVE_INFINITY;
let sqlitePutWorst = Number.POSITIVE_INFINITY;
let sqliteGetWorst = Number.POSITIVE_INFINITY;
for (const factory of factories) {
  for (const batch of BATCHES) {
    const rates = await measure(factory, batch);
    console.log(`${factory.name}, batches of ${batch}: ${JSON.stringify(rates)}`);
    rows.push(
      `| ${factory.name} | ${batch.toLocaleString('en-US')} | ${k(rates.insert)}/s | ${k(rates.replace)}/s | ${k(rates.get)}/s |`,
    );
    if (factory === sqliteFactory) {
      sqliteWorst = Math.min(sqliteWorst, rates.insert, rates.replace, rates.get);
      sqlitePutWorst = Math.min(sqlitePutWorst, rates.insert, rates.replace);
      sqliteGetWorst = Math.min(sqliteGetWorst, rates.get);
    }
  }
}
const naive = await naiveSqlite();
console.log(`naive SQLite: ${JSON.stringify(naive)}`);
rows.push(
  `| baseline: SQLite, one autocommitted INSERT / one SELECT per mapping | 1 | ${k(naive.insert)}/s (extrapolated from ${NAIVE_SAMPLE.toLocaleString('en-US')}) | – | ${k(naive.get)}/s |`,
);

const cheapFsync = filesystem === 'tmpfs' || filesystem === 'overlayfs';
const fsyncNote = cheapFsync
  ? 'on tmpfs or overlayfs an fsync costs almost nothing, so a real disk lowers the autocommit baseline far more than the batched rows'
  : 'each commit pays a real fsync (synchronous=FULL), which is what the autocommit baseline pays per row';
const markdown = `## Store throughput (@patchbay/store-sqlite)

Command: \`npm run bench:stores\` (\`bench/stores/run.ts\`: ${TOTAL.toLocaleString('en-US')} mappings per round through
\`putMany\` (new rows), \`putMany\` again (every row replaced) and \`getMany\`, in calls of the batch size; median of
${ROUNDS} rounds on a fresh database after one warm-up round). The SQLite file lives in \`${tmpdir()}\` (${filesystem}):
${fsyncNote}. Stores measured: ${factories.map((f) => f.name).join('; ')}.
Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}.

| store | mappings per call | putMany (insert) | putMany (replace) | getMany |
|---|---|---|---|---|
${rows.join('\n')}

The baseline's INSERT rate is measured on ${NAIVE_SAMPLE.toLocaleString('en-US')} rows (one transaction, so one fsync, each)
and extrapolated: ${TOTAL.toLocaleString('en-US')} rows that way would take about ${(TOTAL / naive.insert).toFixed(0)} s.
At its slowest, batched \`putMany\` is **${(sqlitePutWorst / naive.insert).toFixed(0)}×** the naive insert rate, and batched
\`getMany\` **${(sqliteGetWorst / naive.get).toFixed(1)}×** one SELECT per id.

Slowest SQLite figure: **${k(sqliteWorst)} mappings/s**. Target ≥ ${k(TARGET_PER_SECOND)} mappings/s: **${sqliteWorst >= TARGET_PER_SECOND ? 'met' : 'not met'}**.
`;
recordSection('stores', markdown);
console.log(markdown);
