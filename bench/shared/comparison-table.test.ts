import { expect, it } from 'vitest';
import { comparisonTable } from './comparison-table.ts';

const measures = [
  { name: 'theirs', requests: 1200 },
  { name: 'ours', requests: 3 },
] as const;

it('puts each client in table order, whatever order the run measured them in', () => {
  const table = comparisonTable(['ours', 'theirs'], measures, 'ours');
  expect(table.clients).toEqual(['ours', 'theirs']);
  expect(table.ours?.requests).toBe(3);
  expect(table.by.get('theirs')?.requests).toBe(1200);
  table.row(
    'requests',
    table.cells((m) => String(m.requests)),
    '≤ 5',
    table.ours && table.ours.requests <= 5,
  );
  table.row(
    'retries',
    table.cells(() => '0'),
  );
  table.row('installed', ['1 MB', '9 MB'], '≤ 2 MB', false);
  expect(table.markdown()).toBe(
    [
      '| requests | 3 | 1200 | ≤ 5 | met |',
      '| retries | 0 | 0 | — | — |',
      '| installed | 1 MB | 9 MB | ≤ 2 MB | not met |',
    ].join('\n'),
  );
});

it('leaves a client the run did not measure out of the clients, with a dash for its cells', () => {
  const table = comparisonTable(['ours', 'theirs', 'other'], measures.slice(0, 1), 'ours');
  expect(table.clients).toEqual(['theirs']);
  expect(table.ours).toBeUndefined();
  table.row(
    'requests',
    table.cells((m) => String(m.requests)),
  );
  expect(table.markdown()).toBe('| requests | — | 1200 | — | — | — |');
});
