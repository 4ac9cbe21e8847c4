// The emulator's data: divisions, each holding records per entity in wire form (dates `/Date(ms)/`, keys lower-case
// GUIDs, `Timestamp` as a string), a division-wide Int64 row version that every write bumps (what the Sync API's
// `Timestamp gt {n}L` filter reads), and the deletions `sync/Deleted` lists. Each entity's Map is kept in Timestamp
// order (a write moves its record to the end), so a sync read is one ordered scan; REST reads page by key and use a
// key-sorted copy rebuilt only after a create or delete. An account's `Code` is right-aligned and space-padded to 18
// characters as Exact stores it (wire notes); numbering from 1 when none is given is a guess.

import { type EntityDef, entity } from './entities.ts';
import { badRequest } from './errors.ts';
import { exactDate, guidFrom, isGuid } from './values.ts';

/** A record in wire form. */
export type ExactRecord = Record<string, unknown>;

/** A `sync/Deleted` row. */
export interface DeletedEntry {
  ID: string;
  Division: number;
  EntityKey: string;
  EntityType: number;
  Timestamp: string;
  DeletedBy: string;
  DeletedDate: string;
}

/** A write, for webhooks. */
export interface StoreChange {
  division: number;
  entity: EntityDef;
  action: 'Create' | 'Update' | 'Delete';
  key: string;
}

/** Options of {@link createExactStore}. */
export interface ExactStoreOptions {
  divisions: readonly number[];
  userId: string;
  now: () => number;
  random: () => number;
  /** The first row version handed out (a safe integer: Exact's are Int64, ours stay below 2^53). */
  firstTimestamp: number;
  onChange?: (change: StoreChange) => void;
}

/** The emulator's records. */
export interface ExactStore {
  hasDivision(division: number): boolean;
  divisions(): number[];
  /** Live records of an entity, in Timestamp order (oldest write first). */
  all(division: number, path: string): ExactRecord[];
  /** Records in key order (cached between creates and deletes). */
  byKey(division: number, path: string): readonly ExactRecord[];
  get(division: number, path: string, key: string): ExactRecord | undefined;
  /** Creates a record from a write body (checked: known properties, mandatory ones); lines in the same body. */
  create(division: number, path: string, body: Record<string, unknown>): ExactRecord;
  /** Updates a record; undefined when it does not exist. */
  update(division: number, path: string, key: string, body: Record<string, unknown>): ExactRecord | undefined;
  /** Deletes a record (and its lines), recording it for `sync/Deleted`; false when absent. */
  remove(division: number, path: string, key: string): boolean;
  /** Writes records straight in: no checks beyond the key, no webhook; fast for 50 000. */
  seed(division: number, path: string, records: readonly Record<string, unknown>[]): ExactRecord[];
  deleted(division: number): readonly DeletedEntry[];
  /** The division's newest row version. */
  lastTimestamp(division: number): number;
  clear(): void;
}

interface Division {
  tables: Map<string, Map<string, ExactRecord>>;
  sorted: Map<string, ExactRecord[]>;
  deleted: DeletedEntry[];
  rowVersion: number;
  nextCode: number;
}

/** Pads a code as Exact stores account codes: right-aligned in 18 characters. */
export function padCode(code: string): string {
  return code.trim().padStart(18, ' ');
}

/** Creates an empty store over `divisions`. */
export function createExactStore(options: ExactStoreOptions): ExactStore {
  const { now, random, userId } = options;
  let divisions = new Map<number, Division>();
  const init = () => {
    divisions = new Map(
      options.divisions.map((d) => [
        d,
        {
          tables: new Map(),
          sorted: new Map(),
          deleted: [],
          rowVersion: options.firstTimestamp - 1,
          nextCode: 1,
        },
      ]),
    );
  };
  init();

  const division = (d: number): Division => {
    const found = divisions.get(d);
    if (!found) throw new RangeError(`Unknown division ${d}`);
    return found;
  };
  const table = (div: Division, path: string) => {
    let map = div.tables.get(path);
    if (!map) {
      map = new Map();
      div.tables.set(path, map);
    }
    return map;
  };
  const bump = (div: Division) => {
    div.rowVersion += 1;
    return String(div.rowVersion);
  };
  const notify = (change: StoreChange) => options.onChange?.(change);

  function checkBody(
    def: EntityDef,
    body: Record<string, unknown>,
    creating: boolean,
  ): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(body)) {
      if (name === '__metadata') continue;
      if (!def.fields.includes(name) || name === def.lines?.property) {
        if (name === def.lines?.property && creating) continue;
        // WCF Data Services' wording, which Exact's API runs on (a guess for Exact's exact text).
        throw badRequest(
          `Error processing request stream. The property name '${name}' specified for type '${def.type}' is not valid.`,
        );
      }
      if (def.readOnly.includes(name)) continue;
      if (value !== null && typeof value === 'object') {
        throw badRequest(`Error processing request stream. The value of '${name}' is not a primitive value.`);
      }
      values[name] = value;
    }
    if (creating) {
      for (const name of def.required) {
        if (values[name] === undefined || values[name] === null || values[name] === '') {
          throw badRequest(`Mandatory: ${name}`);
        }
      }
    }
    return values;
  }

  function derive(div: Division, d: number, def: EntityDef, record: ExactRecord): void {
    if (def.path === 'crm/Accounts' && typeof record.Code === 'string') record.Code = padCode(record.Code);
    if (def.path === 'crm/Contacts') {
      const parts = [record.FirstName, record.MiddleName, record.LastName].filter(
        (p) => typeof p === 'string' && p,
      );
      record.FullName = parts.join(' ');
      const account =
        typeof record.Account === 'string'
          ? table(div, 'crm/Accounts').get(record.Account.toLowerCase())
          : undefined;
      if (typeof record.Account === 'string' && !account)
        throw badRequest(`Account not found: ${record.Account}`);
      record.Account = (record.Account as string).toLowerCase();
      record.AccountName = account?.Name ?? null;
    }
    record.Division = d;
  }

  function insert(div: Division, d: number, def: EntityDef, values: Record<string, unknown>): ExactRecord {
    const at = exactDate(now());
    const key = guidFrom(random);
    const record: ExactRecord = {
      [def.key]: key,
      ...values,
      Created: at,
      Creator: userId,
      Modified: at,
      Modifier: userId,
    };
    if (def.path === 'crm/Accounts' && record.Code === undefined) record.Code = String(div.nextCode++);
    derive(div, d, def, record);
    record.Timestamp = bump(div);
    table(div, def.path).set(key, record);
    div.sorted.delete(def.path);
    return record;
  }

  return {
    hasDivision: (d) => divisions.has(d),
    divisions: () => [...divisions.keys()],
    all: (d, path) => [...table(division(d), path).values()],
    byKey(d, path) {
      const div = division(d);
      let sorted = div.sorted.get(path);
      if (!sorted) {
        const key = entity(path).key;
        sorted = [...table(div, path).values()].sort((a, b) =>
          (a[key] as string) < (b[key] as string) ? -1 : 1,
        );
        div.sorted.set(path, sorted);
      }
      return sorted;
    },
    get: (d, path, key) => table(division(d), path).get(key.toLowerCase()),
    create(d, path, body) {
      const div = division(d);
      const def = entity(path);
      const values = checkBody(def, body, true);
      let lines: Record<string, unknown>[] = [];
      if (def.lines) {
        const raw = body[def.lines.property];
        if (raw !== undefined && !Array.isArray(raw))
          throw badRequest(`${def.lines.property} must be a collection`);
        lines = (raw ?? []) as Record<string, unknown>[];
        const lineDef = entity(def.lines.entity);
        // Checked before anything is written: a refused line refuses the whole invoice, as one request.
        lines = lines.map((line) => {
          if (typeof line !== 'object' || line === null) throw badRequest('A line must be an object');
          return checkBody(lineDef, line, true);
        });
      }
      if (def.path === 'crm/Contacts' && typeof values.Account === 'string' && !isGuid(values.Account)) {
        throw badRequest(`Account: not a guid`);
      }
      const record = insert(div, d, def, values);
      if (def.lines) {
        const lineDef = entity(def.lines.entity);
        let amount = 0;
        lines.forEach((line, index) => {
          const lineAmount = Number(line.Quantity ?? 1) * Number(line.UnitPrice ?? 0);
          amount += Number.isFinite(lineAmount) ? lineAmount : 0;
          insert(div, d, lineDef, {
            ...line,
            [def.lines!.parentKey]: record[def.key],
            LineNumber: index + 1,
            AmountDC: lineAmount,
          });
        });
        record.AmountDC = amount;
        record.InvoiceNumber = Number(String(div.rowVersion).slice(-8));
      }
      notify({ division: d, entity: def, action: 'Create', key: record[def.key] as string });
      return record;
    },
    update(d, path, key, body) {
      const div = division(d);
      const def = entity(path);
      const rows = table(div, path);
      const found = rows.get(key.toLowerCase());
      if (!found) return undefined;
      const values = checkBody(def, body, false);
      const record: ExactRecord = { ...found, ...values, Modified: exactDate(now()), Modifier: userId };
      derive(div, d, def, record);
      record.Timestamp = bump(div);
      // Delete then set: the record moves to the end, keeping the Map in Timestamp order.
      rows.delete(found[def.key] as string);
      rows.set(found[def.key] as string, record);
      div.sorted.delete(path);
      notify({ division: d, entity: def, action: 'Update', key: found[def.key] as string });
      return record;
    },
    remove(d, path, key) {
      const div = division(d);
      const def = entity(path);
      const rows = table(div, path);
      const found = rows.get(key.toLowerCase());
      if (!found) return false;
      const id = found[def.key] as string;
      rows.delete(id);
      div.sorted.delete(path);
      if (def.lines) {
        const lines = table(div, def.lines.entity);
        for (const [lineKey, line] of lines) if (line[def.lines.parentKey] === id) lines.delete(lineKey);
        div.sorted.delete(def.lines.entity);
      }
      if (def.deletedType !== undefined) {
        div.deleted.push({
          ID: guidFrom(random),
          Division: d,
          EntityKey: id,
          EntityType: def.deletedType,
          Timestamp: bump(div),
          DeletedBy: userId,
          DeletedDate: exactDate(now()),
        });
      }
      notify({ division: d, entity: def, action: 'Delete', key: id });
      return true;
    },
    seed(d, path, records) {
      const div = division(d);
      const def = entity(path);
      const rows = table(div, path);
      const at = exactDate(now());
      const out = records.map((input) => {
        const key =
          typeof input[def.key] === 'string' ? (input[def.key] as string).toLowerCase() : guidFrom(random);
        const record: ExactRecord = {
          ...input,
          [def.key]: key,
          Created: input.Created ?? at,
          Creator: userId,
          Modified: input.Modified ?? at,
          Modifier: userId,
          Division: d,
        };
        if (def.path === 'crm/Accounts') record.Code = padCode(String(record.Code ?? div.nextCode++));
        record.Timestamp = bump(div);
        rows.set(key, record);
        return record;
      });
      div.sorted.delete(path);
      return out;
    },
    deleted: (d) => division(d).deleted,
    lastTimestamp: (d) => division(d).rowVersion,
    clear: init,
  };
}
