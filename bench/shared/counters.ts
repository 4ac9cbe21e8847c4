// An emulator's per-route counters (route key → requests and their answers by status) as the benchmarks compare
// them: what was seen between two summaries, and requests folded by what they were for, each kind with its 429s.

/** Requests per route key (`PATCH /api/v2/persons/:id`) and answer (`'200'`, `'429'`…), as the kit counts them. */
export type RouteCounts = Record<string, { total: number; byOutcome: Record<string, number> }>;

/** Requests of one kind: all of them, and those answered 429. */
export interface KindCount {
  requests: number;
  rateLimited: number;
}

/** Counters folded by `kindOf(route)`, every kind of `kinds` present; `total` is the sum. */
export function countByKind<Kind extends string>(
  byRoute: RouteCounts,
  kinds: readonly Kind[],
  kindOf: (route: string) => Kind,
): Record<Kind | 'total', KindCount> {
  const out = Object.fromEntries(
    [...kinds, 'total'].map((kind) => [kind, { requests: 0, rateLimited: 0 }]),
  ) as Record<Kind | 'total', KindCount>;
  for (const [route, counts] of Object.entries(byRoute)) {
    const rateLimited = counts.byOutcome['429'] ?? 0;
    for (const kind of [kindOf(route), 'total'] as const) {
      out[kind].requests += counts.total;
      out[kind].rateLimited += rateLimited;
    }
  }
  return out;
}

/** Counters seen between two summaries: `after` less `before`, route by route (a route new in `after` kept whole). */
export function countersSince(before: RouteCounts, after: RouteCounts): RouteCounts {
  const out: RouteCounts = {};
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
