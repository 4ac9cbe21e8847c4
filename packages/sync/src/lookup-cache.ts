/** What the sync remembers about one record: where it lives in the remote service and what was last written. */
export interface CachedMapping {
  remoteId: string;
  contentHash: string | null;
}

/**
 * The first lookup tier: an in-process map with a TTL, bounded so a 100 000-record stream cannot grow it
 * without limit (the oldest entries go first; the mapping store still has them).
 */
export function createLookupCache(options: { ttlMs: number; maxEntries: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const { maxEntries } = options;
  // One flat object per entry (the mapping and its expiry), keyed by the bare externalId: a large sync keeps
  // tens of thousands of these, and a wrapper object plus a composed key per entry cost a third more.
  const entries = new Map<string, CachedMapping & { expiresAt: number }>();

  return {
    get(key: string): CachedMapping | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },
    set(key: string, value: CachedMapping): void {
      if (options.ttlMs <= 0) return;
      entries.delete(key);
      entries.set(key, {
        remoteId: value.remoteId,
        contentHash: value.contentHash,
        expiresAt: now() + options.ttlMs,
      });
      // Maps iterate in insertion order: the first key is the oldest.
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    delete(key: string): void {
      entries.delete(key);
    },
    clear(): void {
      entries.clear();
    },
    get size(): number {
      return entries.size;
    },
  };
}

/** The sync's lookup cache. */
export type LookupCache = ReturnType<typeof createLookupCache>;
