import { expect, it } from 'vitest';
import { countByKind, countersSince } from './counters.ts';

const kindOf = (route: string) => (route.endsWith('/upsert') ? 'write' : 'other');

it('folds counters by kind, 429s counted apart, every kind present', () => {
  const counts = countByKind(
    {
      'POST /a/batch/upsert': { total: 12, byOutcome: { '200': 10, '429': 2 } },
      'POST /b/batch/upsert': { total: 3, byOutcome: { '200': 3 } },
      'GET /c': { total: 5, byOutcome: { '200': 4, '429': 1 } },
    },
    ['write', 'read', 'other'],
    kindOf,
  );
  expect(counts.write).toEqual({ requests: 15, rateLimited: 2 });
  expect(counts.other).toEqual({ requests: 5, rateLimited: 1 });
  expect(counts.read).toEqual({ requests: 0, rateLimited: 0 });
  expect(counts.total).toEqual({ requests: 20, rateLimited: 3 });
});

it('counts nothing for no requests', () => {
  expect(countByKind({}, ['write'], kindOf).total).toEqual({ requests: 0, rateLimited: 0 });
});

it('counts what was seen between two summaries, route by route', () => {
  const before = { 'POST /a/batch/read': { total: 10, byOutcome: { '200': 10 } } };
  const after = {
    'POST /a/batch/read': { total: 14, byOutcome: { '200': 13, '429': 1 } },
    'POST /a/batch/upsert': { total: 2, byOutcome: { '200': 2 } },
  };
  expect(countersSince(before, after)).toEqual({
    'POST /a/batch/read': { total: 4, byOutcome: { '200': 3, '429': 1 } },
    'POST /a/batch/upsert': { total: 2, byOutcome: { '200': 2 } },
  });
  expect(countersSince(after, after)).toEqual({});
});
