import { IntegrationError, stableHash, unexpectedFailure } from '@patchbay/core';
import { type EngineContext, recordKey } from './context.ts';
import { ensureParents, type WantedParents } from './parents.ts';
import { readRecord } from './read-record.ts';
import { UnreadableRecord } from './record-source.ts';
import type { ReportBuilder } from './report.ts';
import { resolve } from './resolve.ts';
import type { SyncParent } from './sync-object.ts';
import { type Prepared, write } from './write.ts';

/**
 * Syncs one chunk of a stream: reads and validates each record, resolves parents, skips what is unchanged and
 * writes the rest. Never rejects: whatever escapes (a store that throws past its guard, a bug) fails the
 * chunk's records that were not accounted for yet, so the counts still add up.
 */
export async function syncChunk(
  context: EngineContext,
  type: string,
  raw: readonly unknown[],
  firstPosition: number,
  builder: ReportBuilder,
): Promise<void> {
  const before = builder.accounted();
  try {
    const prepared = await prepare(context, type, raw, firstPosition, builder);
    if (prepared.length === 0) return;
    // A remote that upserts on the external id needs no lookup: the write itself matches what it has.
    const resolved = await resolve(
      context,
      type,
      prepared.map((item) => item.externalId),
      { lookup: context.remote.upsert === undefined },
    );
    if (!resolved.success) {
      builder.fail(
        prepared.map((item) => item.externalId),
        resolved.error,
      );
      return;
    }
    const changed: Prepared[] = [];
    for (const item of prepared) {
      const known = resolved.data.get(item.externalId);
      if (known && known.contentHash === item.hash) builder.report.unchanged++;
      else changed.push(known ? { ...item, remoteId: known.remoteId } : item);
    }
    await write(context, type, changed, builder);
  } catch (error) {
    // Only through a bug (as far as another chunk in flight lets this tell them apart).
    const missing = Math.max(0, raw.length - (builder.accounted() - before));
    const labels = Array.from(
      { length: missing },
      (_, index) => `#${firstPosition + raw.length - missing + index}`,
    );
    builder.fail(labels, unexpectedFailure(`Syncing ${type} records`, error));
  }
}

async function prepare(
  context: EngineContext,
  type: string,
  raw: readonly unknown[],
  firstPosition: number,
  builder: ReportBuilder,
): Promise<Prepared[]> {
  const object = context.objects.get(type)!;
  const valid: { externalId: string; record: unknown; parents: readonly SyncParent[] }[] = [];
  for (const [index, candidate] of raw.entries()) {
    if (UnreadableRecord.is(candidate)) {
      builder.fail([`#${firstPosition + index}`], candidate.error);
      continue;
    }
    // Each record is read once into a validated copy: nothing below touches the caller's object again.
    const read = await readRecord(object, type, candidate, firstPosition + index);
    if (!read.ok) {
      builder.fail([read.label], read.error);
      continue;
    }
    // The connector's mapping is code too: one that throws for a record fails that record alone, and the
    // chunk's counts stay exact (the catch-all above cannot tell its records from another chunk's).
    let parents: readonly SyncParent[];
    try {
      parents = object.parents?.(read.record) ?? [];
    } catch (error) {
      builder.fail([read.externalId], unexpectedFailure(`The parents of ${type} ${read.externalId}`, error));
      continue;
    }
    valid.push({ externalId: read.externalId, record: read.record, parents });
  }
  // The last occurrence of an id in a chunk wins, as it would had the records come one by one.
  const unique = [...new Map(valid.map((entry) => [entry.externalId, entry])).values()];

  const wanted: WantedParents = new Map();
  for (const { parents } of unique) {
    for (const parent of parents) {
      const seeds = wanted.get(parent.type) ?? new Map<string, unknown>();
      wanted.set(parent.type, seeds);
      seeds.set(parent.externalId, parent.seed);
    }
  }
  let parentIds = new Map<string, string>();
  if (wanted.size > 0) {
    const ensured = await ensureParents(context, wanted, builder);
    if (!ensured.success) {
      builder.fail(
        unique.map((entry) => entry.externalId),
        ensured.error,
      );
      return [];
    }
    parentIds = ensured.data;
  }

  const prepared: Prepared[] = [];
  for (const { externalId, record, parents } of unique) {
    const lost = parents.find((parent) => !parentIds.has(recordKey(parent.type, parent.externalId)));
    if (lost) {
      builder.fail(
        [externalId],
        new IntegrationError('OPERATION_FAILED', `The ${lost.type} ${lost.externalId} could not be created`, {
          field: lost.field,
        }),
      );
      continue;
    }
    try {
      const input = object.toInput(record, (parentType, parentId) =>
        parentIds.get(recordKey(parentType, parentId)),
      );
      prepared.push({ externalId, input, hash: await stableHash(input) });
    } catch (error) {
      builder.fail([externalId], unexpectedFailure(`Mapping ${type} ${externalId}`, error));
    }
  }
  return prepared;
}
