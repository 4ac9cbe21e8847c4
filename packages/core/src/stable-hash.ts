import { toHex, utf8 } from './encoding.ts';

/**
 * JSON with object keys sorted at every depth, so equal data always serializes to the same text.
 * `undefined` members are dropped, as JSON.stringify does.
 */
export function stableStringify(value: unknown): string {
  // Written out directly rather than through a JSON.stringify replacer that builds a sorted copy of every
  // object: the sync hashes each record it sees, and the copies were a tenth of its allocations.
  return serialize(value, false) as string;
}

// JSON.stringify's rules: toJSON first; undefined, functions and symbols are left out of objects and become
// null in arrays; primitives (and their boxed forms) as JSON.stringify writes them.
function serialize(value: unknown, inArray: boolean): string | undefined {
  let v = value;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
    v = (v as { toJSON: () => unknown }).toJSON();
  if (
    v === null ||
    typeof v !== 'object' ||
    v instanceof String ||
    v instanceof Number ||
    v instanceof Boolean
  ) {
    const text = JSON.stringify(v) as string | undefined;
    return text === undefined && inArray ? 'null' : text;
  }
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + serialize(v[i], true);
    return `${out}]`;
  }
  const keys = sortInPlace(Object.keys(v));
  let out = '{';
  for (const key of keys) {
    const member = serialize((v as Record<string, unknown>)[key], false);
    if (member === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${member}`;
  }
  return `${out}}`;
}

// Insertion sort in code-unit order (Array#sort's default for strings): records have a handful of keys, and
// Array#sort allocates a work array on every call.
function sortInPlace(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/**
 * A content hash (SHA-256 hex of the stable JSON) for change detection: equal data, equal hash,
 * whatever the key order.
 * @example if ((await stableHash(record)) === mapping.contentHash) skip(record);
 */
export async function stableHash(value: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', utf8(stableStringify(value)));
  return toHex(new Uint8Array(digest));
}
