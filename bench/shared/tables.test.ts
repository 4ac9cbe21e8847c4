import { expect, it } from 'vitest';
import { kindRows, routeRows } from './tables.ts';

it('prints a row per kind and the total, 429s beside the requests', () => {
  const a = { write: { requests: 1200, rateLimited: 3 }, total: { requests: 1200, rateLimited: 3 } };
  const b = { write: { requests: 5, rateLimited: 0 }, total: { requests: 5, rateLimited: 0 } };
  expect(kindRows(['write'], { write: 'writes' }, [a, b])).toEqual([
    '| writes | 1,200 (3 × 429) | 5 |',
    '| **total** | 1,200 (3 × 429) | 5 |',
  ]);
});

it('prints every route of a run in order, with its answers', () => {
  expect(
    routeRows('ours', 'first', {
      'POST /b': { total: 3, byOutcome: { '200': 2, '429': 1 } },
      'GET /a': { total: 1, byOutcome: { '200': 1 } },
    }),
  ).toEqual(['| ours | first | `GET /a` | 1 × 200 |', '| ours | first | `POST /b` | 2 × 200, 1 × 429 |']);
});
