import { expect, it } from 'vitest';
import { countByKind, routeKind } from './routes.ts';

it('tells creates, updates, reads, searches and field calls apart', () => {
  expect(routeKind('POST /api/v2/persons')).toBe('create');
  expect(routeKind('POST /api/v2/organizations')).toBe('create');
  expect(routeKind('PATCH /api/v2/persons/:id')).toBe('update');
  expect(routeKind('GET /api/v2/organizations')).toBe('read');
  expect(routeKind('GET /api/v2/persons/:id')).toBe('read');
  expect(routeKind('GET /api/v2/persons/search')).toBe('search');
  expect(routeKind('GET /api/v2/personFields')).toBe('fields');
  expect(routeKind('POST /api/v2/organizationFields')).toBe('fields');
  expect(routeKind('DELETE /api/v2/persons/:id')).toBe('other');
  expect(routeKind('POST /v1/notes')).toBe('other');
});

it('folds the counters by those kinds, 429s apart', () => {
  const counts = countByKind({
    'POST /api/v2/persons': { total: 12, byOutcome: { '200': 10, '429': 2 } },
    'PATCH /api/v2/persons/:id': { total: 3, byOutcome: { '200': 3 } },
    'GET /api/v2/personFields': { total: 1, byOutcome: { '200': 1 } },
  });
  expect(counts.create).toEqual({ requests: 12, rateLimited: 2 });
  expect(counts.update).toEqual({ requests: 3, rateLimited: 0 });
  expect(counts.fields).toEqual({ requests: 1, rateLimited: 0 });
  expect(counts.search).toEqual({ requests: 0, rateLimited: 0 });
  expect(counts.total).toEqual({ requests: 16, rateLimited: 2 });
});
