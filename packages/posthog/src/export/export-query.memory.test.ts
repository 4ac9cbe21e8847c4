// One million rows in 10 000-row pages: the export must hold at most one page, so the heap retained while it runs
// stays flat however many rows pass through (here about 130 MB of CSV).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { fakeEventsClient } from '../../test-support/export-fakes.ts';
import { exportQuery } from './export-query.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const TOTAL = 1_000_000;
const PAGE = 10_000;
const NEWLINE = 10;

it('exports 1 000 000 rows holding at most one page, in flat memory', { timeout: 180_000 }, async () => {
  let consumedLines = 0;
  let servedPages = 0;
  const heldPagesSeen: number[] = [];
  const client = fakeEventsClient({
    total: TOTAL,
    before: () => {
      // A page is asked for only once every line of the pages before it was read (the header is line 1).
      heldPagesSeen.push(servedPages - Math.max(0, consumedLines - 1) / PAGE);
      servedPages += 1;
      return undefined;
    },
  });
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let peakRetained = 0;
  let bytes = 0;
  const reader = exportQuery({
    client,
    query: {
      kind: 'EventsQuery',
      select: ['uuid', 'timestamp', 'event', 'distinct_id', 'properties.$current_url', 'properties.n'],
      after: '-30d',
    },
    format: 'csv',
    pageSize: PAGE,
  }).getReader();
  // Sampled mid-page, while a page's chunks are still queued.
  let nextSample = 55_000;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (let index = 0; index < value.length; index++) if (value[index] === NEWLINE) consumedLines += 1;
    if (consumedLines >= nextSample) {
      nextSample += 100_000;
      gc();
      peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed - baseline);
    }
  }
  expect(consumedLines).toBe(TOTAL + 1);
  expect(servedPages).toBe(TOTAL / PAGE);
  expect(heldPagesSeen.every((held) => held === 0)).toBe(true);
  expect(bytes).toBeGreaterThan(120_000_000);
  // The whole output is over 120 MB; one page of rows and its text is a few MB.
  expect(peakRetained).toBeLessThan(40 * 1024 * 1024);
});
