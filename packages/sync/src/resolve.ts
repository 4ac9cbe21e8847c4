import { type ApiResult, ok, stableHash } from '@patchbay/core';
import type { Mapping } from '@patchbay/core/store';
import { cacheOf, type EngineContext, scopeOf } from './context.ts';
import type { CachedMapping } from './lookup-cache.ts';
import type { RemoteMatch } from './sync-remote.ts';

/**
 * What the sync knows of these records, from three tiers: the in-process cache, then the mapping store, then
 * (when `lookup` is set) the remote, in batches. Records the remote has are saved as mappings at once.
 * A remote that upserts on the external id skips the third tier on the write path: the write itself matches.
 */
export async function resolve(
  context: EngineContext,
  type: string,
  ids: readonly string[],
  options: { lookup: boolean },
): Promise<ApiResult<Map<string, CachedMapping>>> {
  const cache = cacheOf(context, type);
  const out = new Map<string, CachedMapping>();
  let misses: string[] = [];
  for (const id of ids) {
    const hit = cache.get(id);
    if (hit) out.set(id, hit);
    else misses.push(id);
  }
  if (misses.length === 0) return ok(out);

  const stored = await context.store.mappings.getMany(scopeOf(context, type), misses);
  if (!stored.success) return stored;
  for (const [id, mapping] of stored.data) {
    out.set(id, mapping);
    cache.set(id, mapping);
  }
  misses = misses.filter((id) => !stored.data.has(id));
  if (misses.length === 0 || !options.lookup) return ok(out);

  const learned = await learnFromRemote(context, type, misses);
  if (!learned.success) return learned;
  for (const mapping of learned.data) {
    out.set(mapping.externalId, mapping);
    cache.set(mapping.externalId, mapping);
  }
  return ok(out);
}

/**
 * Looks records up in the remote by external id and saves what it has as mappings (which also clears their
 * outbox entries: a write a crash left in flight that did land is then settled).
 */
export async function learnFromRemote(
  context: EngineContext,
  type: string,
  ids: readonly string[],
): Promise<ApiResult<Mapping[]>> {
  const learned: Mapping[] = [];
  for (let start = 0; start < ids.length; start += context.batchSize) {
    const group = ids.slice(start, start + context.batchSize);
    const found = await context.remote.find(type, group);
    if (!found.success) return found;
    for (const [externalId, match] of trusted(found.data, group)) {
      learned.push({
        externalId,
        remoteId: match.remoteId,
        contentHash: await comparableHash(context, type, match.record),
        syncedAt: context.now(),
      });
    }
  }
  if (learned.length > 0) {
    const saved = await context.store.commitMappings(scopeOf(context, type), learned);
    if (!saved.success) return saved;
  }
  return ok(learned);
}

// Only the records asked for, with a remote id: whatever else a faulty remote lists must never become a
// mapping (it would point a later record at someone else's remote record).
function* trusted(found: Map<string, RemoteMatch>, asked: readonly string[]) {
  const wanted = new Set(asked);
  for (const [externalId, match] of found) {
    if (wanted.has(externalId) && typeof match?.remoteId === 'string' && match.remoteId !== '') {
      yield [externalId, match] as const;
    }
  }
}

/** The hash a remote record would have as input, or null (always resent) when the object cannot tell. */
async function comparableHash(context: EngineContext, type: string, record: unknown): Promise<string | null> {
  const object = context.objects.get(type);
  if (!object?.comparable) return null;
  try {
    return await stableHash(object.comparable(record));
  } catch {
    return null;
  }
}
