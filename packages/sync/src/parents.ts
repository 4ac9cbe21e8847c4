import { type ApiResult, ok, stableHash, validateSchema } from '@patchbay/core';
import { type EngineContext, recordKey } from './context.ts';
import { createReport, type ReportBuilder } from './report.ts';
import { resolve } from './resolve.ts';
import { type Prepared, write } from './write.ts';

/** The parents a chunk needs, by type: externalId → the seed record to create it from. */
export type WantedParents = Map<string, Map<string, unknown>>;

/**
 * Resolves the parent records a chunk points at, creating those the remote does not have from their seeds;
 * returns a map keyed by `recordKey(type, externalId)` → remote id. A parent is always looked up in the remote
 * before it is created: creating it from a seed would overwrite a richer record the remote already holds.
 * Two chunks in flight never create the same parent twice: the second waits for the first.
 */
export async function ensureParents(
  context: EngineContext,
  wanted: WantedParents,
  builder: ReportBuilder,
): Promise<ApiResult<Map<string, string>>> {
  const out = new Map<string, string>();
  for (const [type, seeds] of wanted) {
    const ensured = await ensureType(context, type, seeds, builder);
    if (!ensured.success) return ensured;
    for (const [externalId, remoteId] of ensured.data) out.set(recordKey(type, externalId), remoteId);
  }
  return ok(out);
}

async function ensureType(
  context: EngineContext,
  type: string,
  seeds: Map<string, unknown>,
  builder: ReportBuilder,
): Promise<ApiResult<Map<string, string>>> {
  const out = new Map<string, string>();
  const waiting: [string, Promise<string | undefined>][] = [];
  const mine = new Map<string, (remoteId: string | undefined) => void>();
  // Claim the ids before the first await, so a concurrent chunk waits for us instead of creating them too.
  for (const id of seeds.keys()) {
    const key = recordKey(type, id);
    const pending = context.creating.get(key);
    if (pending) {
      waiting.push([id, pending]);
      continue;
    }
    const { promise, resolve: settle } = Promise.withResolvers<string | undefined>();
    context.creating.set(key, promise);
    mine.set(id, settle);
  }
  try {
    const ids = [...mine.keys()];
    const resolved = await resolve(context, type, ids, { lookup: true });
    if (!resolved.success) return resolved;
    const missing: Prepared[] = [];
    const object = context.objects.get(type)!;
    for (const id of ids) {
      const known = resolved.data.get(id);
      if (known) {
        out.set(id, known.remoteId);
        continue;
      }
      // A seed that is not a valid record of its type cannot be created: its children fail, naming it.
      const checked = await validateSchema(object.schema, seeds.get(id));
      if (!checked.success) continue;
      let item: Prepared;
      try {
        const input = object.toInput(checked.value, () => undefined);
        item = { externalId: id, input, hash: await stableHash(input) };
      } catch {
        // Nor one the connector's mapping throws on: its children fail the same way, the chunk goes on.
        continue;
      }
      missing.push(item);
    }
    if (missing.length > 0) {
      const parentBuilder = createReport(type, context.mode, 0);
      const created = await write(context, type, missing, parentBuilder);
      const counts = builder.report.parentsCreated;
      counts[type] = (counts[type] ?? 0) + parentBuilder.report.created;
      for (const [id, remoteId] of created) out.set(id, remoteId);
    }
  } finally {
    for (const [id, settle] of mine) {
      settle(out.get(id));
      context.creating.delete(recordKey(type, id));
    }
  }
  for (const [id, pending] of waiting) {
    const remoteId = await pending;
    if (remoteId) out.set(id, remoteId);
  }
  return ok(out);
}
