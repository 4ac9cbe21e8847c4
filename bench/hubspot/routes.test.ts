import { expect, it } from 'vitest';
import { countByKind, countersSince, routeKind } from './routes.ts';

it('tells record writes, lookups and association calls apart on v3, v4 and dated paths', () => {
  expect(routeKind('POST /crm/v3/objects/contacts/batch/upsert')).toBe('upsert');
  expect(routeKind('POST /crm/objects/2026-03/companies/batch/upsert')).toBe('upsert');
  expect(routeKind('POST /crm/objects/2026-03/contacts/batch/read')).toBe('read');
  expect(routeKind('POST /crm/v4/associations/contacts/companies/batch/associate/default')).toBe('associate');
  expect(routeKind('POST /crm/associations/2026-03/contacts/companies/batch/create')).toBe('associate');
  expect(routeKind('POST /crm/associations/2026-03/contacts/companies/batch/read')).toBe('association-read');
  expect(routeKind('GET /crm/v4/associations/contacts/companies/labels')).toBe('other');
  expect(routeKind('POST /crm/v3/properties/companies')).toBe('other');
  expect(routeKind('GET /crm/v3/objects/contacts/:id')).toBe('other');
});

it('folds counters by kind, 429s counted apart, every kind present', () => {
  const counts = countByKind({
    'POST /crm/v3/objects/contacts/batch/upsert': { total: 12, byOutcome: { '200': 10, '429': 2 } },
    'POST /crm/v3/objects/companies/batch/upsert': { total: 3, byOutcome: { '200': 3 } },
    'POST /crm/v4/associations/contacts/companies/batch/associate/default': {
      total: 5,
      byOutcome: { '200': 4, '429': 1 },
    },
  });
  expect(counts.upsert).toEqual({ requests: 15, rateLimited: 2 });
  expect(counts.associate).toEqual({ requests: 5, rateLimited: 1 });
  expect(counts.read).toEqual({ requests: 0, rateLimited: 0 });
  expect(counts.total).toEqual({ requests: 20, rateLimited: 3 });
});

it('counts nothing for no requests', () => {
  expect(countByKind({}).total).toEqual({ requests: 0, rateLimited: 0 });
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
