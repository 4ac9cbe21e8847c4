import { expect, it } from 'vitest';
import type { RunMeasure } from './measure.ts';
import { leastMinutes, minutes, recordsText, renderSection } from './report.ts';

it('fits 60 answered calls in each clock minute, 429s in none', () => {
  const total = (requests: number, rateLimited: number) => ({ counts: { total: { requests, rateLimited } } });
  expect(leastMinutes(total(60, 0))).toBe(1);
  expect(leastMinutes(total(61, 0))).toBe(2);
  expect(leastMinutes(total(848, 13))).toBe(14);
  expect(minutes(90_000)).toBe('1.5 min');
});

const counts = (kind: 'sync' | 'rest', requests: number, rateLimited = 0) => {
  const zero = { requests: 0, rateLimited: 0 };
  return {
    bulk: zero,
    sync: zero,
    deleted: zero,
    syncTimestamp: zero,
    rest: zero,
    token: zero,
    other: zero,
    [kind]: { requests, rateLimited },
    total: { requests, rateLimited },
  };
};
const run = (
  kind: 'sync' | 'rest',
  requests: number,
  seen: Partial<RunMeasure['seen']>,
  rateLimited = 0,
): RunMeasure => ({
  ms: 5_000,
  exactMs: 60_000,
  counts: counts(kind, requests, rateLimited),
  byRoute: {
    [`GET /api/v1/{division}/${kind === 'sync' ? 'sync/' : ''}crm/Accounts`]: {
      total: requests,
      byOutcome: { '200': requests },
    },
  },
  busiest: { rolling: Math.min(requests, 60), fixed: Math.min(requests, 60), minutes: 1 },
  seen: {
    records: 0,
    distinct: 0,
    expected: 0,
    missed: 0,
    extra: 0,
    deletions: { expected: 0, seen: 0 },
    ...seen,
  },
  waits: rateLimited,
});

it('renders the summary with both clients, per-record figures and verdicts', () => {
  const load = { records: 3_000, distinct: 3_000, expected: 3_000 };
  const markdown = renderSection({
    measures: [
      {
        name: 'patchbay',
        first: run('sync', 4, load),
        changes: run('sync', 2, {
          records: 500,
          distinct: 500,
          expected: 500,
          deletions: { expected: 20, seen: 20 },
        }),
      },
      {
        name: 'glue',
        first: run('rest', 52, load, 2),
        changes: run('rest', 9, {
          records: 500,
          distinct: 500,
          expected: 500,
          deletions: { expected: 20, seen: 0 },
        }),
      },
    ],
    sizes: undefined,
    accounts: 3_000,
    factor: 10,
    seconds: 60,
    machine: { date: '2026-12-07', node: 'v24', cpus: '2 × cpu', loadStart: 1, loadEnd: 1 },
  });
  expect(markdown).toContain(
    '| **requests per record, first load** (per 1 000) | **0.0013** (1.3) | **0.0173** (17.3) | — | — |',
  );
  expect(markdown).toContain('| 429s drawn, first load | 0 | 2 | 0 | met |');
  expect(markdown).toContain(
    '| busiest 60 s, first load: rolling / one clock minute (requests sent, 429s included) | 4 / 4 | 52 / 52 | ≤ 60 | met |',
  );
  expect(markdown).toContain(
    '| deletions handed out, next pull | 20 of 20 | 0 of 20 (a `Modified` filter cannot see them) | 20 | met |',
  );
  expect(markdown).toContain('| accounts handed out, first load | 3,000 of 3,000 (0 missed, 0 extra) |');
  expect(markdown).toContain('| 429s slept out until `X-RateLimit-Minutely-Reset` | — | 2 |');
  expect(markdown).toContain('exactly the edits');
  expect(markdown).not.toContain('Bundle target');
});

it('names records handed out twice', () => {
  expect(recordsText(run('sync', 1, { records: 12, distinct: 10, expected: 10 }))).toBe(
    '10 of 10 (0 missed, 0 extra, 2 handed out twice)',
  );
});
