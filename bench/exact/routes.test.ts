import { expect, it } from 'vitest';
import { countByKind, routeKind } from './routes.ts';

it('tells bulk, sync, deletions, the row-version lookup, REST pages and token calls apart', () => {
  expect(routeKind('GET /api/v1/{division}/bulk/CRM/Accounts')).toBe('bulk');
  expect(routeKind('GET /api/v1/{division}/sync/CRM/Accounts')).toBe('sync');
  expect(routeKind('GET /api/v1/{division}/sync/Deleted')).toBe('deleted');
  expect(routeKind('GET /api/v1/{division}/read/sync/Sync/SyncTimestamp')).toBe('syncTimestamp');
  expect(routeKind('GET /api/v1/{division}/crm/Accounts')).toBe('rest');
  expect(routeKind('POST /api/oauth2/token')).toBe('token');
  expect(routeKind('GET /api/v1/current/Me')).toBe('other');
  expect(routeKind('PUT /api/v1/{division}/crm/Accounts({id})')).toBe('other');
});

it('folds the counters by kind with their 429s', () => {
  const counts = countByKind({
    'GET /api/v1/{division}/crm/Accounts': { total: 840, byOutcome: { '200': 834, '429': 6 } },
    'POST /api/oauth2/token': { total: 1, byOutcome: { '200': 1 } },
  });
  expect(counts.rest).toEqual({ requests: 840, rateLimited: 6 });
  expect(counts.token).toEqual({ requests: 1, rateLimited: 0 });
  expect(counts.total).toEqual({ requests: 841, rateLimited: 6 });
});
