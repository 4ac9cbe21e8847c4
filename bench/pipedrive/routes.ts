// The Pipedrive emulator's route keys (`POST /api/v2/persons`, `PATCH /api/v2/organizations/:id`,
// `GET /api/v2/persons/search`, `GET /api/v2/personFields`…) folded into what the tables compare: record creates,
// record updates, record reads (lists and single gets), searches, field definitions, and anything else.
import { countByKind as countByKindOf, type KindCount, type RouteCounts } from '../shared/counters.ts';

/** What a request was for. */
export type RouteKind = 'create' | 'update' | 'read' | 'search' | 'fields' | 'other';
/** Every kind, in the order the tables show them. */
export const ROUTE_KINDS: readonly RouteKind[] = ['create', 'update', 'read', 'search', 'fields', 'other'];

const RECORDS = /^\/api\/v2\/(persons|organizations)(\/:id)?$/;

/** The kind of a route key. */
export function routeKind(route: string): RouteKind {
  const [method = '', path = ''] = route.split(' ');
  if (/^\/api\/v2\/\w+\/search$/.test(path)) return 'search';
  if (/^\/api\/v2\/\w+Fields$/.test(path)) return 'fields';
  const records = RECORDS.exec(path);
  if (!records) return 'other';
  if (method === 'POST' && !records[2]) return 'create';
  if (method === 'PATCH' && records[2]) return 'update';
  if (method === 'GET') return 'read';
  return 'other';
}

/** Counters by route folded by kind, every kind present; `total` is the sum. */
export function countByKind(byRoute: RouteCounts): Record<RouteKind | 'total', KindCount> {
  return countByKindOf(byRoute, ROUTE_KINDS, routeKind);
}
