import { expect, it } from 'vitest';
import { countByKind, routeKind } from './routes.ts';

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
