// The emulator's per-route counters folded into what the tables compare: record writes (batch upsert), record
// lookups (batch read), association writes and reads, and anything else, each with its 429s. Route keys are the
// emulator's (`POST /crm/v3/objects/contacts/batch/upsert`, `POST /crm/objects/2026-03/…`, `/crm/v4/associations/…`).
import { countByKind as countByKindOf, type KindCount, type RouteCounts } from '../shared/counters.ts';

/** What a request was for. */
export type RouteKind = 'upsert' | 'read' | 'associate' | 'association-read' | 'other';
/** Every kind, in the order the tables show them. */
export const ROUTE_KINDS: readonly RouteKind[] = ['upsert', 'read', 'associate', 'association-read', 'other'];

/** The kind of a route key. */
export function routeKind(route: string): RouteKind {
  const [, path = ''] = route.split(' ');
  if (path.includes('/associations/')) {
    if (/\/batch\/(create|associate\/default)$/.test(path)) return 'associate';
    if (path.endsWith('/batch/read')) return 'association-read';
    return 'other';
  }
  if (path.startsWith('/crm/') && path.endsWith('/batch/upsert')) return 'upsert';
  if (path.startsWith('/crm/') && path.endsWith('/batch/read')) return 'read';
  return 'other';
}

/** Counters by route folded by kind, every kind present; `total` is the sum. */
export function countByKind(byRoute: RouteCounts): Record<RouteKind | 'total', KindCount> {
  return countByKindOf(byRoute, ROUTE_KINDS, routeKind);
}
