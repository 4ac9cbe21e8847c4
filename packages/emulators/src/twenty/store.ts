// In-memory records of the emulated workspace, with the indexes that keep id and unique-field lookups O(1) at
// 100k records: a sorted id list (Twenty's default order), one hash index per unique constraint, and one per
// many-to-one join column. Writes are atomic per call: every check runs before anything changes, as a failed
// Postgres INSERT of a batch leaves no row behind.

import { EmulatorConfigError, functionOption, readOptionsObject } from '../kit/options.ts';
import { duplicateEntry, recordNotFound, TwentyError } from './errors.ts';
import {
  COMPOSITE_TYPES,
  type CustomFieldInput,
  createSchema,
  type FieldDef,
  type ObjectDef,
  type ObjectName,
  readPath,
  type TwentySchema,
  type UniqueGroup,
} from './schema.ts';
import { completeComposite, defaultValueOf, normalizeRecordInput, type TwentyRecord } from './values.ts';

/** Who a write is attributed to (`createdBy` / `updatedBy`), Twenty's ACTOR composite. */
export interface Actor {
  source: string;
  workspaceMemberId: string | null;
  name: string;
  context: Record<string, unknown>;
}

/** Options of {@link createTwentyStore}. */
export interface TwentyStoreOptions {
  /** Clock in epoch ms, for createdAt/updatedAt/deletedAt. Default `Date.now`. */
  now?: () => number;
  /** Id generator for records created without an id. Default `crypto.randomUUID`. */
  newId?: () => string;
}

/** A value held by more than one live record. */
export interface DuplicateGroup {
  value: unknown;
  ids: string[];
}

/** The emulator's records and schema, with a small inspection API for tests. */
export interface TwentyStore {
  readonly schema: TwentySchema;
  /** Records of an object, live only unless `withDeleted`, in creation order; copies. */
  list(object: ObjectName, options?: { withDeleted?: boolean }): TwentyRecord[];
  /** One record (soft-deleted ones too); a copy. */
  get(object: ObjectName, id: string): TwentyRecord | undefined;
  /** Live records (all with `withDeleted`). */
  count(object: ObjectName, options?: { withDeleted?: boolean }): number;
  /** Values of `fieldPath` (`emails.primaryEmail`, `name.lastName`, `city`) held by more than one live record. */
  duplicates(object: ObjectName, fieldPath: string): DuplicateGroup[];
  /** Drops every record (custom fields stay). */
  clear(): void;
  /**
   * Inserts records without HTTP, validated like a `POST /rest/batch/{object}` body (fast test fixtures).
   * @throws TwentyError when an input is invalid or violates a unique constraint.
   */
  seed(object: ObjectName, inputs: Record<string, unknown>[]): TwentyRecord[];

  // --- Engine API, used by the request handlers. Returned records are the stored objects: don't mutate them. ---
  /** The stored record, without copying. */
  peek(object: ObjectName, id: string): TwentyRecord | undefined;
  /** Inserts normalized inputs atomically. */
  insert(object: ObjectName, inputs: Record<string, unknown>[], actor: Actor): TwentyRecord[];
  /** Applies a normalized patch to a live record (or any record with `allowDeleted`, which also restores it). */
  update(
    object: ObjectName,
    id: string,
    patch: Record<string, unknown>,
    actor: Actor,
    options?: { allowDeleted?: boolean },
  ): TwentyRecord;
  /** Soft-deletes a live record. */
  softDelete(object: ObjectName, id: string): TwentyRecord;
  /** Puts back a record exactly as it was (undoes an update when a later step of the same request fails). */
  overwrite(object: ObjectName, record: TwentyRecord): void;
  /** Ids of records (deleted too) whose unique `group` holds `values`. */
  lookupUnique(object: ObjectName, group: UniqueGroup, values: unknown[]): ReadonlySet<string> | undefined;
  /** Ids of records (deleted too) whose join column holds `id`. */
  lookupJoin(object: ObjectName, joinColumn: string, id: string): ReadonlySet<string> | undefined;
  /** Every id, deleted ones too, in ascending order (Twenty's default sort). */
  sortedIds(object: ObjectName): readonly string[];
  /** Adds a custom field and backfills its default on every record. */
  addField(objectId: string, input: CustomFieldInput): FieldDef;
  /** Drops a custom field and its values; undefined when no custom field has this id. */
  removeField(fieldId: string): FieldDef | undefined;
  /** Increments on every write; caches key on it. */
  readonly version: number;
}

interface Table {
  def: ObjectDef;
  records: Map<string, TwentyRecord>;
  /** Ids in ascending order, except for `unsorted`, merged in when the order is next asked for. */
  sorted: string[];
  unsorted: string[];
  /** Per unique group (keyed by its paths), value key → ids (deleted records included). */
  unique: Map<string, Map<string, Set<string>>>;
  /** Per many-to-one join column, target id → ids. */
  joins: Map<string, Map<string, Set<string>>>;
  minPosition: number;
  maxPosition: number;
}

const groupId = (group: UniqueGroup) => group.paths.join('+');

/**
 * The key a record holds in a unique index, or undefined when it takes no part in it: an empty or null value never
 * conflicts (Twenty turns an empty e-mail into NULL, and Postgres NULLs are distinct).
 */
export function uniqueKey(values: unknown[]): string | undefined {
  if (values.some((value) => value === null || value === undefined)) return undefined;
  if (values.every((value) => value === '')) return undefined;
  return values.length === 1 && typeof values[0] === 'string' ? values[0] : JSON.stringify(values);
}

// Merges two ascending id lists in O(n + m): a batch of new ids joins the order without re-sorting everything.
function mergeSorted(left: string[], right: string[]): string[] {
  if (left.length === 0) return right;
  const merged = new Array<string>(left.length + right.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < left.length && j < right.length) merged[k++] = left[i]! <= right[j]! ? left[i++]! : right[j++]!;
  while (i < left.length) merged[k++] = left[i++]!;
  while (j < right.length) merged[k++] = right[j++]!;
  return merged;
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  let ids = index.get(key);
  if (!ids) {
    ids = new Set();
    index.set(key, ids);
  }
  ids.add(id);
}

function removeFrom(index: Map<string, Set<string>>, key: string, id: string): void {
  const ids = index.get(key);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) index.delete(key);
}

/**
 * Creates an empty store over the standard schema.
 * @example
 * const store = createTwentyStore();
 * store.seed('people', [{ name: { firstName: 'Ada', lastName: 'Lovelace' }, emails: { primaryEmail: 'ada@x.io' } }]);
 * store.count('people'); // 1
 */
export function createTwentyStore(options: TwentyStoreOptions = {}): TwentyStore {
  const read = readOptionsObject(options, ['now', 'newId'], 'options');
  const clock = read.now === undefined ? () => Date.now() : functionOption<() => number>(read.now, 'now');
  const newId =
    read.newId === undefined ? () => crypto.randomUUID() : functionOption<() => string>(read.newId, 'newId');
  // A clock that answers no finite time would fail deep in a write (an Invalid Date); refuse it by name instead.
  const now = (): number => {
    const at = clock();
    if (typeof at !== 'number' || !Number.isFinite(at))
      throw new EmulatorConfigError('now', 'must return a finite number');
    return at;
  };
  const schema = createSchema();
  const tables = new Map<ObjectName, Table>();
  let version = 0;

  const emptyTable = (def: ObjectDef): Table => ({
    def,
    records: new Map(),
    sorted: [],
    unsorted: [],
    unique: new Map(def.uniqueGroups.filter((g) => g.field !== 'id').map((g) => [groupId(g), new Map()])),
    joins: new Map([...def.joinColumns.keys()].map((column) => [column, new Map()])),
    minPosition: Number.POSITIVE_INFINITY,
    maxPosition: Number.NEGATIVE_INFINITY,
  });
  for (const def of schema.objects) tables.set(def.namePlural, emptyTable(def));

  const table = (object: ObjectName): Table => {
    const found = typeof object === 'string' ? tables.get(object) : undefined;
    if (!found) throw new EmulatorConfigError('object', `must be one of ${[...tables.keys()].join(', ')}`);
    return found;
  };

  // The inspection API's options, read once: `withDeleted` only.
  const withDeleted = (options: unknown): boolean =>
    readOptionsObject(options, ['withDeleted'], 'options').withDeleted === true;

  const valuesOf = (record: Record<string, unknown>, group: UniqueGroup) =>
    group.paths.map((path) => readPath(record, path));

  function index(t: Table, record: TwentyRecord): void {
    for (const group of t.def.uniqueGroups) {
      if (group.field === 'id') continue;
      const key = uniqueKey(valuesOf(record, group));
      if (key !== undefined) addTo(t.unique.get(groupId(group))!, key, record.id);
    }
    for (const [column, joinIndex] of t.joins) {
      const target = record[column];
      if (typeof target === 'string') addTo(joinIndex, target, record.id);
    }
  }

  function unindex(t: Table, record: TwentyRecord): void {
    for (const group of t.def.uniqueGroups) {
      if (group.field === 'id') continue;
      const key = uniqueKey(valuesOf(record, group));
      if (key !== undefined) removeFrom(t.unique.get(groupId(group))!, key, record.id);
    }
    for (const [column, joinIndex] of t.joins) {
      const target = record[column];
      if (typeof target === 'string') removeFrom(joinIndex, target, record.id);
    }
  }

  // Whether a live record other than `self` already holds `key` in `group`.
  function liveHolder(t: Table, group: UniqueGroup, key: string, self?: string): boolean {
    const ids = t.unique.get(groupId(group))?.get(key);
    if (!ids) return false;
    for (const id of ids) {
      if (id !== self && t.records.get(id)?.deletedAt === null) return true;
    }
    return false;
  }

  // Foreign keys: a join column must name an existing record of its target (soft-deleted ones exist in Postgres).
  function checkForeignKeys(t: Table, record: Record<string, unknown>): void {
    for (const [column, relationField] of t.def.joinColumns) {
      const target = record[column];
      const targetObject = relationField.relation?.target;
      if (typeof target !== 'string' || !targetObject) continue;
      if (!table(targetObject).records.has(target)) {
        // A Postgres FK violation surfaces as a QueryFailedError, answered as a 400 with the driver's message.
        throw new TwentyError(
          400,
          `insert or update on table "${t.def.nameSingular}" violates foreign key constraint "FK_${t.def.nameSingular}_${column}"`,
        );
      }
    }
  }

  function nextPosition(t: Table, requested: unknown): number {
    let position: number;
    if (typeof requested === 'number') position = requested;
    else if (requested === 'last') position = Number.isFinite(t.maxPosition) ? t.maxPosition + 1 : 0;
    // Twenty backfills an omitted position as 'first' (record-position.service.ts).
    else position = Number.isFinite(t.minPosition) ? t.minPosition - 1 : 0;
    t.minPosition = Math.min(t.minPosition, position);
    t.maxPosition = Math.max(t.maxPosition, position);
    return position;
  }

  function build(t: Table, input: Record<string, unknown>, actor: Actor, at: string): TwentyRecord {
    const record: Record<string, unknown> = {};
    for (const def of t.def.fields) {
      const name = def.name;
      if (def.type === 'RELATION') {
        if (def.relation?.kind === 'MANY_TO_ONE')
          record[def.relation.joinColumn] = input[def.relation.joinColumn] ?? null;
        continue;
      }
      const given = input[name];
      switch (name) {
        case 'id':
          record.id = given ?? newId();
          continue;
        case 'createdAt':
        case 'updatedAt':
          record[name] = given ?? at;
          continue;
        case 'deletedAt':
          record[name] = given ?? null;
          continue;
        case 'position':
          record[name] = given;
          continue;
        case 'createdBy':
        case 'updatedBy':
          record[name] = completeComposite(def, (given as Record<string, unknown> | undefined) ?? {}, {
            ...actor,
          });
          continue;
      }
      if (COMPOSITE_TYPES[def.type]) {
        record[name] =
          given === undefined
            ? defaultValueOf(def)
            : completeComposite(def, given as Record<string, unknown> | null);
      } else {
        record[name] = given === undefined ? defaultValueOf(def) : given;
      }
    }
    return record as TwentyRecord;
  }

  function merge(t: Table, base: TwentyRecord, patch: Record<string, unknown>): TwentyRecord {
    const next: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      const def = t.def.fieldsByName.get(key);
      if (def && COMPOSITE_TYPES[def.type]) {
        next[key] = completeComposite(
          def,
          value as Record<string, unknown> | null,
          base[key] as Record<string, unknown> | null,
        );
      } else {
        next[key] = value;
      }
    }
    return next as TwentyRecord;
  }

  const clone = (record: TwentyRecord): TwentyRecord => structuredClone(record);

  const store: TwentyStore = {
    schema,
    get version() {
      return version;
    },
    list(object, listOptions) {
      const records = [...table(object).records.values()];
      return (withDeleted(listOptions) ? records : records.filter((r) => r.deletedAt === null)).map(clone);
    },
    get(object, id) {
      const t = table(object);
      if (typeof id !== 'string') throw new EmulatorConfigError('id', 'must be a string');
      const record = t.records.get(id.toLowerCase());
      return record ? clone(record) : undefined;
    },
    count(object, countOptions) {
      const { records } = table(object);
      if (withDeleted(countOptions)) return records.size;
      let live = 0;
      for (const record of records.values()) if (record.deletedAt === null) live += 1;
      return live;
    },
    duplicates(object, fieldPath) {
      if (typeof fieldPath !== 'string') throw new EmulatorConfigError('fieldPath', 'must be a string');
      const holders = new Map<string, { value: unknown; ids: string[] }>();
      for (const record of table(object).records.values()) {
        if (record.deletedAt !== null) continue;
        const value = readPath(record, fieldPath);
        if (value === null || value === undefined || value === '') continue;
        const key = JSON.stringify(value);
        const entry = holders.get(key);
        if (entry) entry.ids.push(record.id);
        else holders.set(key, { value: structuredClone(value), ids: [record.id] });
      }
      return [...holders.values()].filter((entry) => entry.ids.length > 1);
    },
    clear() {
      for (const [name, t] of tables) tables.set(name, emptyTable(t.def));
      version += 1;
    },
    seed(object, inputs) {
      const { def } = table(object);
      const normalized = seedInputs(inputs).map((input) => normalizeRecordInput(def, input));
      return store
        .insert(object, normalized, { source: 'API', workspaceMemberId: null, name: 'Seed', context: {} })
        .map(clone);
    },
    peek(object, id) {
      return table(object).records.get(id);
    },
    insert(object, inputs, actor) {
      const t = table(object);
      const at = new Date(now()).toISOString();
      const built = inputs.map((input) => build(t, input, actor, at));
      // Checks first (primary key, unique constraints among live rows and within the batch, foreign keys).
      const batchIds = new Set<string>();
      const batchKeys = new Map<string, Set<string>>();
      for (const record of built) {
        if (t.records.has(record.id) || batchIds.has(record.id)) throw duplicateEntry();
        batchIds.add(record.id);
        if (record.deletedAt === null) {
          for (const group of t.def.uniqueGroups) {
            if (group.field === 'id') continue;
            const key = uniqueKey(valuesOf(record, group));
            if (key === undefined) continue;
            let seen = batchKeys.get(groupId(group));
            if (!seen) {
              seen = new Set();
              batchKeys.set(groupId(group), seen);
            }
            if (seen.has(key) || liveHolder(t, group, key)) throw duplicateEntry();
            seen.add(key);
          }
        }
        checkForeignKeys(t, record);
      }
      for (const record of built) {
        record.position = nextPosition(t, record.position);
        t.records.set(record.id, record);
        t.unsorted.push(record.id);
        index(t, record);
      }
      version += 1;
      return built;
    },
    update(object, id, patch, actor, updateOptions = {}) {
      const t = table(object);
      const base = t.records.get(id);
      if (!base || (base.deletedAt !== null && !updateOptions.allowDeleted)) throw recordNotFound();
      const next = merge(t, base, patch);
      next.id = base.id;
      next.updatedAt = patch.updatedAt ?? new Date(now()).toISOString();
      next.updatedBy = { ...actor };
      if (updateOptions.allowDeleted) next.deletedAt = null;
      if (next.deletedAt === null) {
        for (const group of t.def.uniqueGroups) {
          if (group.field === 'id') continue;
          const key = uniqueKey(valuesOf(next, group));
          if (key !== undefined && liveHolder(t, group, key, id)) throw duplicateEntry();
        }
      }
      checkForeignKeys(t, next);
      if (typeof next.position === 'number') {
        t.minPosition = Math.min(t.minPosition, next.position);
        t.maxPosition = Math.max(t.maxPosition, next.position);
      } else {
        next.position = base.position;
      }
      unindex(t, base);
      t.records.set(id, next);
      index(t, next);
      version += 1;
      return next;
    },
    softDelete(object, id) {
      const t = table(object);
      const base = t.records.get(id);
      if (!base || base.deletedAt !== null) throw recordNotFound();
      const next = { ...base, deletedAt: new Date(now()).toISOString() };
      t.records.set(id, next);
      version += 1;
      return next;
    },
    overwrite(object, record) {
      const t = table(object);
      const current = t.records.get(record.id);
      if (current) unindex(t, current);
      else t.unsorted.push(record.id);
      t.records.set(record.id, record);
      index(t, record);
      version += 1;
    },
    lookupUnique(object, group, values) {
      const key = uniqueKey(values);
      return key === undefined ? undefined : table(object).unique.get(groupId(group))?.get(key);
    },
    lookupJoin(object, joinColumn, id) {
      return table(object).joins.get(joinColumn)?.get(id);
    },
    sortedIds(object) {
      const t = table(object);
      if (t.unsorted.length > 0) {
        t.sorted = mergeSorted(t.sorted, t.unsorted.sort());
        t.unsorted = [];
      }
      return t.sorted;
    },
    addField(objectId, input) {
      const createdAt = new Date(now()).toISOString();
      const def = schema.addField(objectId, input, createdAt);
      const t = [...tables.values()].find((candidate) => candidate.def.id === objectId.toLowerCase())!;
      for (const group of t.def.uniqueGroups) {
        if (group.field !== 'id' && !t.unique.has(groupId(group))) t.unique.set(groupId(group), new Map());
      }
      for (const [id, record] of t.records) {
        const next = { ...record, [def.name]: defaultValueOf(def) };
        unindex(t, record);
        t.records.set(id, next);
        index(t, next);
      }
      version += 1;
      return def;
    },
    removeField(fieldId) {
      const found = schema.fieldById(fieldId);
      if (!found?.field.isCustom) return undefined;
      const t = table(found.object.namePlural);
      for (const record of t.records.values()) unindex(t, record);
      schema.removeField(fieldId);
      t.unique = new Map(
        t.def.uniqueGroups.filter((g) => g.field !== 'id').map((g) => [groupId(g), new Map()]),
      );
      for (const [id, record] of t.records) {
        const { [found.field.name]: _dropped, ...rest } = record;
        const next = rest as TwentyRecord;
        t.records.set(id, next);
        index(t, next);
      }
      version += 1;
      return found.field;
    },
  };
  return store;
}

/**
 * Seed inputs as a request body would bring them: plain JSON, copied once, so a getter, a Proxy, a cycle or a
 * BigInt is an EmulatorConfigError naming the input instead of a TypeError halfway through a batch.
 */
function seedInputs(inputs: unknown): Record<string, unknown>[] {
  let isArray = false;
  try {
    isArray = Array.isArray(inputs);
  } catch {
    isArray = false;
  }
  if (!isArray) throw new EmulatorConfigError('inputs', 'must be an array of record inputs');
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(inputs));
  } catch {
    throw new EmulatorConfigError(
      'inputs',
      'must be JSON data (no cycle, BigInt, or getter or Proxy that throws)',
    );
  }
  (copy as unknown[]).forEach((input, index) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new EmulatorConfigError(`inputs.${index}`, 'must be an object');
    }
  });
  return copy as Record<string, unknown>[];
}
