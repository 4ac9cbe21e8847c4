// Export of a million rows: `exportQuery` writing an EventsQuery's every row as CSV to a file, in a fresh process
// per run (export-child.ts), against a PostHog emulator holding that many events in its own process
// (export-emulator.ts); beside it, in the same run, what most code writes: the same pages collected into one
// array, then serialised and written. Peak resident memory (the kernel's high-water mark), rows/s, queries and
// bytes. One run per variant: each reads the whole million, and the figures that matter (memory, queries) are not
// the noisy ones.
import { type ChildProcess, fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportChildLine } from './export-child.ts';
import type { ExportEmulatorRequest, ExportEmulatorSeeded, ExportEmulatorStats } from './export-emulator.ts';
import { FLAT_SLACK, isFlat, secondHalfGrowth } from './memory-flat.ts';
import { fmt, met, type Phase, type PhaseContext } from './phase.ts';

const ROWS = Number(process.env.BENCH_POSTHOG_EXPORT_ROWS ?? 1_000_000);
// The emulator's defaults (POSTHOG_EMULATOR_PERSONAL_KEY, project 1), which export-emulator.ts keeps.
const PERSONAL_KEY = 'phx_emulator_personal_key';
const PROJECT_ID = '1';
const DAY = 86_400_000;
interface Variant {
  name: string;
  mode: 'stream' | 'collect';
  pageSize: number;
}
const VARIANTS: Variant[] = [
  { name: '`exportQuery`, pages of 10 000 (default)', mode: 'stream', pageSize: 10_000 },
  // Not 50 000, PostHog's most: at that size PostHog's hasMore is always false (it asks ClickHouse for limit + 1 rows
  // and its printer caps a query's top LIMIT at 50 000; the emulator does the same), and exportQuery, believing it,
  // ends the export after the first page. 49 999 is the largest page that exports everything.
  { name: '`exportQuery`, pages of 49 999', mode: 'stream', pageSize: 49_999 },
  { name: 'collect every page, then write (pages of 10 000)', mode: 'collect', pageSize: 10_000 },
];

interface ExportRun {
  variant: Variant;
  line: ExportChildLine;
  /** What the emulator answered during the run. */
  seen: ExportEmulatorStats;
}

interface ExportEmulator {
  url: string;
  seeded: ExportEmulatorSeeded;
  stats(): Promise<ExportEmulatorStats>;
  close(): Promise<void>;
}

async function startExportEmulator(count: number, from: number, to: number): Promise<ExportEmulator> {
  const child = fork(
    join(import.meta.dirname, 'export-emulator.ts'),
    [String(count), String(from), String(to)],
    {
      execArgv: ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const ready = await new Promise<{ url: string; seeded: ExportEmulatorSeeded }>((resolve, reject) => {
    child.once('message', (message: { url: string; seeded: ExportEmulatorSeeded }) => resolve(message));
    child.once('exit', (code) => reject(new Error(`export emulator exited (${code})`)));
  });
  let nextId = 0;
  return {
    ...ready,
    stats: () =>
      new Promise((resolve) => {
        const id = nextId++;
        const answer = (message: { id?: number; stats?: ExportEmulatorStats }) => {
          if (message.id !== id || !message.stats) return;
          child.off('message', answer);
          resolve(message.stats);
        };
        child.on('message', answer);
        child.send({ id, op: 'stats' } satisfies ExportEmulatorRequest);
      }),
    close: () => closeChild(child),
  };
}

const closeChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.disconnect();
  });

async function exportRun(
  context: PhaseContext,
  emulator: ExportEmulator,
  variant: Variant,
  after: string,
): Promise<ExportRun> {
  const file = join(context.dir, `export-${variant.mode}-${variant.pageSize}.csv`);
  const before = await emulator.stats();
  const child = fork(
    join(import.meta.dirname, 'export-child.ts'),
    [
      variant.mode,
      String(variant.pageSize),
      String(emulator.seeded.events),
      emulator.url,
      PERSONAL_KEY,
      PROJECT_ID,
      after,
      file,
    ],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  rmSync(file, { force: true });
  if (code !== 0) throw new Error(`export-child ${variant.mode} exited (${code}): ${stderr.slice(-2_000)}`);
  if (stderr.trim() !== '') context.log(`export-child stderr: ${stderr.trim().slice(0, 500)}`);
  const line = JSON.parse(stdout.trim().split('\n').at(-1)!) as ExportChildLine;
  if (line.rows !== emulator.seeded.events) {
    throw new Error(`export ${variant.name}: ${line.rows} rows written of ${emulator.seeded.events}`);
  }
  const after_ = await emulator.stats();
  const seen: ExportEmulatorStats = {
    requests: after_.requests - before.requests,
    queries: after_.queries - before.queries,
    polls: after_.polls - before.polls,
    throttled: after_.throttled - before.throttled,
    answerBytes: after_.answerBytes - before.answerBytes,
    answerMs: after_.answerMs - before.answerMs,
  };
  context.log(
    `export, ${variant.name}: ${fmt(rowsPerSecond(line))} rows/s, peak RSS ${mb(line.peakRss)}, ${seen.queries} queries`,
  );
  return { variant, line, seen };
}

const rowsPerSecond = (line: ExportChildLine) => line.rows / (line.elapsedMs / 1000);
const mb = (bytes: number) => `${fmt(bytes / 2 ** 20)} MB`;
/** Export of a million rows: `exportQuery` at two page sizes beside collect-then-write. */
export const exportPhase: Phase = {
  name: 'export',
  async run(context) {
    // A 30-day range ending yesterday, and `after` a day before it: every seeded event is in the export.
    const to = Date.now() - DAY;
    const from = to - 30 * DAY;
    const after = new Date(from - DAY).toISOString();
    const emulator = await startExportEmulator(ROWS, from, to);
    const { seeded } = emulator;
    context.log(
      `export emulator: ${fmt(seeded.events)} events generated in ${(seeded.generateMs / 1000).toFixed(1)} s, seeded in ${(seeded.seedMs / 1000).toFixed(1)} s, ${mb(seeded.rssBytes)} resident`,
    );
    const runs: ExportRun[] = [];
    try {
      for (const variant of VARIANTS) runs.push(await exportRun(context, emulator, variant, after));
    } finally {
      await emulator.close();
    }
    const [stream, stream50, collect] = runs as [ExportRun, ExportRun, ExportRun];
    const n = seeded.events;
    const perMillion = (run: ExportRun) => (run.seen.queries * 1_000_000) / n;
    // Judged on the default page size; the table says how the larger pages fared.
    const flat = isFlat(stream.line.quarterRss);
    const cells = (cell: (run: ExportRun) => string) => runs.map(cell).join(' | ');
    const growth = (run: ExportRun) => secondHalfGrowth(run.line.quarterRss);
    const quarters = (run: ExportRun) => run.line.quarterRss.map(mb).join(' / ');
    const perPage = (run: ExportRun) => run.seen.answerMs / Math.max(1, run.seen.queries);
    const markdown = `### Export of ${fmt(n)} rows

The PostHog emulator, in a process of its own, holds ${fmt(n)} events (\`generatePostHogEvents\`, seed 15, over 30 days;
generated in ${(seeded.generateMs / 1000).toFixed(1)} s and seeded in ${(seeded.seedMs / 1000).toFixed(1)} s, ${mb(seeded.rssBytes)} resident), its query rate limits off
(\`queryRateLimits: false\`), and the client runs with \`rateLimits: false\`: this measures the exporter, not PostHog's
240 queries a minute, at which 100 pages would spend 25 s waiting. Query: an \`EventsQuery\` selecting \`timestamp, event,
distinct_id, properties.$current_url, properties.$browser\`, \`after\` a day before the first event; CSV written to a file.
Each variant runs once, in a fresh process. **exportQuery**: \`exportQuery({ client, query, format: 'csv', pageSize })\`
piped to a file write stream. **Collect, then write**, the anchor, what most code does: the same keyset pages from the
same client pushed into one array, then every row serialised (RFC 4180 quoting) and the file written at once.
Peak RSS is the process's high-water mark (\`VmHWM\`, the kernel's figure, which also sees a peak reached while the
event loop is blocked, as when a million rows are joined into one string), start-up included. RSS by quarter is the
highest 50 ms sample while that quarter of the rows arrived; **flat** means the second half of the rows needed at most
${fmt(FLAT_SLACK * 100)} % more than the first (the first quarter includes the heap growing to its working size).
Pages of 49 999 rather than 50 000: at 50 000, PostHog's most, PostHog answers \`hasMore: false\` on every page (it asks
ClickHouse for limit + 1 rows, and its printer caps a query's top LIMIT at 50 000; the emulator does the same), and
\`exportQuery\` ends the export after the first page, 50 000 rows of ${fmt(n)}, without an error: a bug in
\`@patchbay/posthog\` this benchmark found, reported, not fixed here.

| | ${cells((run) => run.variant.name)} |
|---|---|---|---|
| **peak RSS** | ${cells((run) => `**${mb(run.line.peakRss)}**`)} |
| RSS at the start | ${cells((run) => mb(run.line.startRss))} |
| RSS by quarter of the rows | ${cells(quarters)} |
| second half against first half | ${cells((run) => `${fmt(Math.round(100 * (growth(run) - 1)) || 0)} % (${isFlat(run.line.quarterRss) ? 'flat' : 'grows'})`)} |
| V8 heap in use at the end | ${cells((run) => mb(run.line.heapUsedEnd))} |
| **rows/s** | ${cells((run) => `**${fmt(rowsPerSecond(run.line))}**`)} |
| time | ${cells((run) => `${(run.line.elapsedMs / 1000).toFixed(1)} s`)} |
| of which the emulator making its answers (per query) | ${cells((run) => `${(run.seen.answerMs / 1000).toFixed(1)} s (${fmt(perPage(run))} ms)`)} |
| rows written | ${cells((run) => fmt(run.line.rows))} |
| **queries per ${fmt(1_000_000)} rows** | ${cells((run) => `**${fmt(perMillion(run))}**`)} |
| HTTP requests the client made (429s) | ${cells((run) => `${fmt(run.line.requests)} (${fmt(run.seen.throttled)})`)} |
| bytes PostHog answered (JSON) | ${cells((run) => mb(run.seen.answerBytes))} |
| **CSV written** | ${cells((run) => `**${mb(run.line.bytes)}**`)} |
`;
    const reading = `Exporting ${fmt(n)} rows as CSV, \`exportQuery\` peaked at ${mb(stream.line.peakRss)} resident with its default pages of 10 000 (${quarters(stream)} by quarter of the rows: ${isFlat(stream.line.quarterRss) ? 'flat' : 'not flat'}) and at ${mb(stream50.line.peakRss)} with pages of 49 999 (${isFlat(stream50.line.quarterRss) ? 'flat' : 'not flat'}), against ${mb(collect.line.peakRss)} for collecting the same pages into an array and then writing, whose memory grew with every page (${quarters(collect)}) and peaked when the rows became one text. It wrote ${fmt(rowsPerSecond(stream.line))} rows/s (the collector ${fmt(rowsPerSecond(collect.line))}), ${fmt((100 * stream.seen.answerMs) / stream.line.elapsedMs)} % of its time spent waiting for the emulator to make its answers, in ${fmt(perMillion(stream))} queries per million rows (${fmt(perMillion(stream50))} with pages of 49 999, at ${fmt(rowsPerSecond(stream50.line))} rows/s, the emulator taking ${fmt(perPage(stream50))} ms a page against ${fmt(perPage(stream))} ms for pages of 10 000). At 50 000 rows a page the export stops after one page without an error (PostHog answers \`hasMore: false\`): a bug, reported.`;
    return {
      reading,
      rows: [
        {
          measure: `export of ${fmt(n)} rows as CSV: peak RSS (pages of 10 000 / 49 999)`,
          patchbay: `${mb(stream.line.peakRss)} (${isFlat(stream.line.quarterRss) ? 'flat' : 'grows'}) / ${mb(stream50.line.peakRss)} (${isFlat(stream50.line.quarterRss) ? 'flat' : 'grows'}); collect-then-write: ${mb(collect.line.peakRss)} (${isFlat(collect.line.quarterRss) ? 'flat' : 'grows'})`,
          posthogNode: '— (no export)',
          target: 'flat memory (default pages)',
          verdict: met(flat),
        },
        {
          measure: `export of ${fmt(n)} rows as CSV: rows/s (pages of 10 000 / 49 999)`,
          patchbay: `${fmt(rowsPerSecond(stream.line))} / ${fmt(rowsPerSecond(stream50.line))} (collect-then-write: ${fmt(rowsPerSecond(collect.line))})`,
          posthogNode: '— (no export)',
          target: '—',
          verdict: '—',
        },
        {
          measure: `export of ${fmt(n)} rows as CSV: queries per ${fmt(1_000_000)} rows; CSV bytes`,
          patchbay: `${fmt(perMillion(stream))} / ${fmt(perMillion(stream50))}; ${mb(stream.line.bytes)}`,
          posthogNode: '— (no export)',
          target: '—',
          verdict: '—',
        },
      ],
      markdown,
    };
  },
};
