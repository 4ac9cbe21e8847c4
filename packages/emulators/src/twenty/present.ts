// How a stored record goes out on the wire: every field (or those named in `fields`, `id` always), relations as
// their join column (`companyId`) and, with `depth=1`, the related records themselves (`company`, `people`) without
// their own relations (twenty-docs `developers/extend/api.mdx` "Selecting fields"; rest-api-core-*.integration-spec).

import type { ObjectDef } from './schema.ts';
import type { TwentyStore } from './store.ts';
import type { TwentyRecord } from './values.ts';

/** Twenty caps to-many relations read with a record (twenty-shared `QUERY_MAX_RECORDS_FROM_RELATION`). */
export const MAX_RECORDS_FROM_RELATION = 60;

export interface PresentOptions {
  depth: 0 | 1;
  /** Field names to return; undefined = all. */
  fields?: string[];
}

/** The wire form of one record. */
export function presentRecord(
  store: TwentyStore,
  object: ObjectDef,
  record: TwentyRecord,
  options: PresentOptions,
): Record<string, unknown> {
  const wanted = options.fields ? new Set(['id', ...options.fields]) : undefined;
  const out: Record<string, unknown> = {};
  for (const field of object.fields) {
    if (wanted && !wanted.has(field.name)) continue;
    const relation = field.relation;
    if (!relation) {
      out[field.name] = record[field.name] ?? null;
      continue;
    }
    if (relation.kind === 'MANY_TO_ONE') {
      const targetId = record[relation.joinColumn] ?? null;
      out[relation.joinColumn] = targetId;
      if (options.depth === 1) {
        const targetObject = relation.target ? store.schema.byPlural(relation.target) : undefined;
        const target =
          targetObject && typeof targetId === 'string'
            ? store.peek(targetObject.namePlural, targetId)
            : undefined;
        out[field.name] =
          targetObject && target && target.deletedAt === null
            ? presentRecord(store, targetObject, target, { depth: 0 })
            : null;
      }
      continue;
    }
    if (options.depth === 1 && relation.target) {
      const targetObject = store.schema.byPlural(relation.target)!;
      const ids = store.lookupJoin(relation.target, relation.joinColumn, record.id);
      const related: TwentyRecord[] = [];
      for (const id of ids ?? []) {
        const candidate = store.peek(relation.target, id);
        if (candidate && candidate.deletedAt === null) related.push(candidate);
      }
      related.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      out[field.name] = related
        .slice(0, MAX_RECORDS_FROM_RELATION)
        .map((item) => presentRecord(store, targetObject, item, { depth: 0 }));
    }
  }
  return out;
}
