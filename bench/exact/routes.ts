// The Exact emulator's route keys (`GET /api/v1/{division}/bulk/CRM/Accounts`, `POST /api/oauth2/token`…) folded
// into what the tables compare: bulk pages, Sync API pages, deletions (`sync/Deleted`), the row-version lookup
// (`read/sync/Sync/SyncTimestamp`), REST list pages (`crm/Accounts`, 60 a page), token calls, and anything else
// (`current/Me`…).
import { countByKind as countByKindOf, type KindCount, type RouteCounts } from '../shared/counters.ts';

/** What a request was for. */
export type RouteKind = 'bulk' | 'sync' | 'deleted' | 'syncTimestamp' | 'rest' | 'token' | 'other';
/** Every kind, in the order the tables show them. */
export const ROUTE_KINDS: readonly RouteKind[] = [
  'bulk',
  'sync',
  'deleted',
  'syncTimestamp',
  'rest',
  'token',
  'other',
];

/** The kind of a route key. */
export function routeKind(route: string): RouteKind {
  const [method = '', path = ''] = route.split(' ');
  if (method === 'POST' && /^\/api\/oauth2\/token$/i.test(path)) return 'token';
  const api = /^\/api\/v1\/\{division\}\/(.+)$/.exec(path);
  if (method !== 'GET' || !api) return 'other';
  const rest = api[1]!.toLowerCase();
  if (rest === 'sync/deleted') return 'deleted';
  if (rest === 'read/sync/sync/synctimestamp') return 'syncTimestamp';
  if (rest.startsWith('bulk/')) return 'bulk';
  if (rest.startsWith('sync/')) return 'sync';
  if (/^crm\/accounts$/.test(rest)) return 'rest';
  return 'other';
}

/** Counters by route folded by kind, every kind present; `total` is the sum. */
export function countByKind(byRoute: RouteCounts): Record<RouteKind | 'total', KindCount> {
  return countByKindOf(byRoute, ROUTE_KINDS, routeKind);
}
