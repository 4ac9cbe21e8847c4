// The emulator's per-route counters folded into what the tables compare: record writes (batch upsert), record
// lookups (batch read), association writes and reads, and anything else, each with its 429s. Route keys are the
// emulator's (`POST /crm/v3/objects/contacts/batch/upsert`, `POST /crm/objects/2026-03/…`, `/crm/v4/associations/…`).

/** What a request was for. */
export type RouteKind = 'upsert' | 'read' | 'associate' | 'association-read' | 'other';
/** Every kind, in the order the tables show them. */
export const ROUTE_KINDS: readonly RouteKind[] = ['upsert', 'read', 'associate', 'association-read', 'other'];

/** Requests of one kind: all of them, and those answered 429. */
export interface KindCount {
  requests: number;
  rateLimited: number;
}

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
export function countByKind(
  byRoute: Record<string, { total: number; byOutcome: Record<string, number> }>,
): Record<RouteKind | 'total', KindCount> {
  const out = Object.fromEntries(
    [...ROUTE_KINDS, 'total'].map((kind) => [kind, { requests: 0, rateLimited: 0 }]),
  ) as Record<RouteKind | 'total', KindCount>;
  for (const [route, counts] of Object.entries(byRoute)) {
    const rateLimited = counts.byOutcome['429'] ?? 0;
    for (const kind of [routeKind(route), 'total'] as const) {
      out[kind].requests += counts.total;
      out[kind].rateLimited += rateLimited;
    }
  }
  return out;
}

/** Counters seen between two summaries: `after` less `before`, route by route (a route new in `after` kept whole). */
export function countersSince(
  before: Record<string, { total: number; byOutcome: Record<string, number> }>,
  after: Record<string, { total: number; byOutcome: Record<string, number> }>,
): Record<string, { total: number; byOutcome: Record<string, number> }> {
  const out: Record<string, { total: number; byOutcome: Record<string, number> }> = {};
  for (const [route, counts] of Object.entries(after)) {
    const earlier = before[route];
    const total = counts.total - (earlier?.total ?? 0);
    if (total === 0) continue;
    const byOutcome: Record<string, number> = {};
    for (const [outcome, n] of Object.entries(counts.byOutcome)) {
      const diff = n - (earlier?.byOutcome[outcome] ?? 0);
      if (diff !== 0) byOutcome[outcome] = diff;
    }
    out[route] = { total, byOutcome };
  }
  return out;
}
