// The process an export is measured in (a fresh heap per run): an EventsQuery's every row written to a CSV file,
// either by `exportQuery` (`stream`: its web ReadableStream piped to the file) or the way most code does it
// (`collect`: the same keyset pages from the same client gathered into one array, then serialised and written at
// once). Resident memory is sampled every 50 ms (the highest sample per quarter of the rows shows whether it
// stays flat) and the kernel's high-water mark (VmHWM) read at the end: a sampler on the event loop cannot see a
// peak reached while the loop is blocked (a million rows joined into one string), the kernel can.
// Usage: export-child.ts <stream|collect> <pageSize> <rows expected> <url> <personalApiKey> <projectId> <afterIso>
//   <file>
import { createWriteStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createPostHogClient, exportQuery } from '@patchbay/posthog';
import { csvText } from './collect-csv.ts';

/** What the child reports. */
export interface ExportChildLine {
  rows: number;
  /** Bytes of the CSV file written. */
  bytes: number;
  /** From the first query to the file closed. */
  elapsedMs: number;
  /** HTTP requests the client made. */
  requests: number;
  /** Resident memory before the export began (modules loaded, client made). */
  startRss: number;
  /** The highest 50 ms sample in each quarter of the rows (`collect`: while the pages arrive). */
  quarterRss: number[];
  /** The process's peak resident memory (VmHWM), start-up included. */
  peakRss: number;
  /** The V8 heap in use at the end, before the process exits. */
  heapUsedEnd: number;
}

const [mode, pageSizeArg, expectedArg, url, personalApiKey, projectId, after, file] = process.argv.slice(2);
if (!(mode === 'stream' || mode === 'collect') || !url || !personalApiKey || !projectId || !after || !file) {
  throw new Error('usage: see export-child.ts');
}
const out: string = file;
const pageSize = Number(pageSizeArg);
const expected = Number(expectedArg);

let requests = 0;
const counted: typeof fetch = (input, init) => {
  requests += 1;
  return fetch(input, init);
};
// rateLimits: false: PostHog's 240 queries a minute are the emulator's to leave out, and the client's to keep in
// production; here they would only add waiting to a measurement of the exporter.
const client = createPostHogClient({
  host: url,
  personalApiKey,
  projectId,
  rateLimits: false,
  fetch: counted,
});
const SELECT = ['timestamp', 'event', 'distinct_id', 'properties.$current_url', 'properties.$browser'];
const query = { kind: 'EventsQuery', select: SELECT, after } as const;

// Resident memory: the highest sample since the last quarter mark.
let sampled = 0;
const sample = () => {
  sampled = Math.max(sampled, process.memoryUsage.rss());
};
const sampler = setInterval(sample, 50);
const quarterRss: number[] = [];
let nextQuarter = 1;
const progress = (rows: number) => {
  sample();
  while (nextQuarter <= 4 && rows >= (expected * nextQuarter) / 4) {
    quarterRss.push(sampled);
    sampled = 0;
    nextQuarter += 1;
  }
};

const startRss = process.memoryUsage.rss();
const started = performance.now();
const result = mode === 'stream' ? await streamExport() : await collectExport();
const elapsedMs = performance.now() - started;
clearInterval(sampler);

const line: ExportChildLine = {
  rows: result.rows,
  bytes: statSync(out).size,
  elapsedMs,
  requests,
  startRss,
  quarterRss,
  peakRss: highWaterMark(),
  heapUsedEnd: process.memoryUsage().heapUsed,
};
process.stdout.write(`${JSON.stringify(line)}\n`);

async function streamExport(): Promise<{ rows: number }> {
  let lines = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines += 1;
      progress(Math.max(0, lines - 1));
      controller.enqueue(chunk);
    },
  });
  await exportQuery({ client, query, format: 'csv', pageSize })
    .pipeThrough(counter)
    .pipeTo(Writable.toWeb(createWriteStream(out)));
  // The header is a line too.
  return { rows: lines - 1 };
}

// What most code writes: every page into one array, then the whole file at once. It pages exactly as the exporter
// does (the same keyset condition and order, the same page size), so both make the same queries.
async function collectExport(): Promise<{ rows: number }> {
  const rows: unknown[][] = [];
  let columns: string[] = SELECT;
  let where: string[] = [];
  for (;;) {
    const page = await client.query({
      kind: 'EventsQuery',
      select: [...SELECT, 'uuid'],
      after,
      where,
      orderBy: ['timestamp ASC', 'uuid ASC'],
      limit: pageSize,
    });
    if (!page.success) throw page.error;
    const { results } = page.data;
    for (const row of results) rows.push(row);
    progress(rows.length);
    columns = page.data.columns.slice(0, SELECT.length);
    const last = results.at(-1);
    if (!last || page.data.hasMore === false || results.length < pageSize) break;
    const at = `toDateTime('${String(last[0])}')`;
    where = [
      `(timestamp > ${at} OR (timestamp = ${at} AND uuid > toUUID('${String(last[SELECT.length])}')))`,
    ];
  }
  writeFileSync(
    out,
    csvText(
      columns,
      rows.map((row) => row.slice(0, SELECT.length)),
    ),
  );
  return { rows: rows.length };
}

function highWaterMark(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}
