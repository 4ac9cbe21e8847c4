import { exportQuery } from '@patchbay/posthog';
import { expect, it } from 'vitest';
import { csvCell, csvText } from './collect-csv.ts';

it('quotes a cell with a quote, a comma or a line break, and nothing else', () => {
  expect(csvCell('plain')).toBe('plain');
  expect(csvCell('a,b')).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell('two\nlines')).toBe('"two\nlines"');
  expect(csvCell(null)).toBe('');
  expect(csvCell(42)).toBe('42');
});

it("writes the same bytes as exportQuery's CSV for the same rows", async () => {
  const columns = ['timestamp', 'event', 'distinct_id', 'properties.$current_url', 'properties.$browser'];
  const rows = [
    ['2026-11-01T00:00:10.256000Z', '$pageview', 'user-00001', 'https://app.example.com/a?x=1,2', 'Chrome'],
    ['2026-11-01T00:00:11.000000Z', 'clicked "cta"', 'user-00002', null, 'Firefox'],
  ];
  // One page, the keyset columns (timestamp is already selected; uuid is added) answered as PostHog would.
  const client = {
    query: async () => ({
      success: true as const,
      data: {
        columns: [...columns, 'uuid'],
        results: rows.map((row, index) => [...row, `0190f0a0-0000-7000-8000-00000000000${index}`]),
        hasMore: false,
      },
    }),
  };
  const csv = await new Response(
    exportQuery({ client, query: { kind: 'EventsQuery', select: columns, after: '-30d' }, format: 'csv' }),
  ).text();
  expect(csvText(columns, rows)).toBe(csv);
});
