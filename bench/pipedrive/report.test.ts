import { expect, it } from 'vitest';
import { floorSeconds, renderSection } from './report.ts';

it('puts the floor at one 2-s window per 120 requests past the first 120', () => {
  expect(floorSeconds(120)).toBe(0);
  expect(floorSeconds(121)).toBe(2);
  expect(floorSeconds(11_000)).toBe(182);
});

const counts = (create: number, update: number, rateLimited = 0) => ({
  create: { requests: create, rateLimited },
  update: { requests: update, rateLimited: 0 },
  read: { requests: 0, rateLimited: 0 },
  search: { requests: 0, rateLimited: 0 },
  fields: { requests: 2, rateLimited: 0 },
  other: { requests: 0, rateLimited: 0 },
  total: { requests: create + update + 2, rateLimited },
});
const landed = {
  personsLost: 0,
  personsDuplicated: 0,
  organizationsLost: 0,
  organizationsDuplicated: 0,
  linksMissing: 0,
  linksWrong: 0,
};
const run = (create: number, update: number, rateLimited = 0) => ({
  outcome: { written: create + update, unchanged: 0, failed: 0, retries: rateLimited },
  ms: 5_000,
  counts: counts(create, update, rateLimited),
  byRoute: { 'POST /api/v2/persons': { total: create, byOutcome: { '200': create } } },
  tokens: 5 * (create + update),
  landed,
});

it('renders the summary with both clients, per-record figures and verdicts', () => {
  const markdown = renderSection({
    measures: [
      { name: 'patchbay', first: run(110, 0), second: { ...run(0, 0), tokens: 0 } },
      { name: 'pipedrive-sdk', first: run(110, 0, 3), second: run(0, 110) },
    ],
    sizes: undefined,
    persons: 100,
    organizations: 10,
    seconds: 60,
    versions: { sdk: '33.7.0' },
    machine: { date: '2026-12-07', node: 'v24', cpus: '2 × cpu', loadStart: 1, loadEnd: 1 },
  });
  expect(markdown).toContain(
    '| **requests per record, first sync** (all / record writes only) | **1.018** / 1.000 | **1.018** / 1.000 | — | — |',
  );
  expect(markdown).toContain('| 429s drawn, first sync | 0 | 3 | 0 | met |');
  expect(markdown).toContain('| tokens spent, unchanged re-sync | 0 | 550 | — | — |');
  expect(markdown).toContain('0 / 0 / 0 | 0 / 0 / 0 | 0 / 0 / 0 | met |');
  expect(markdown).toContain('| `POST /api/v2/persons` | 110 × 200 |');
  expect(markdown).not.toContain('Bundle target');
});
