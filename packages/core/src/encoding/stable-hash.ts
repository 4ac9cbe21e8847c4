import { invalidInput } from '../input/caller-input.ts';
import { isIntegrationError } from '../result/errors.ts';
import { toHex, utf8 } from './encoding.ts';

/** The deepest nesting `stableStringify` follows; deeper (or cyclic) data is refused, not a stack overflow. */
const MAX_DEPTH = 1_000;

/**
 * JSON with object keys sorted at every depth, so equal data always serializes to the same text.
 * `undefined` members are dropped, as JSON.stringify does. What JSON.stringify would throw on, and what cannot
 * be read, throws a `VALIDATION_ERROR` naming the field (`people.3.name`, `(root)`): a BigInt, a cycle, nesting
 * deeper than 1 000, a getter, `toJSON` or Proxy trap that throws. Nothing else is ever thrown.
 */
export function stableStringify(value: unknown): string {
  // Written out directly rather than through a JSON.stringify replacer that builds a sorted copy of every
  // object: the sync hashes each record it sees, and the copies were a tenth of its allocations. The path and
  // ancestors are stacks pushed and popped in place; a throw leaves the path at the member that failed.
  const walk: Walk = { path: [], ancestors: [] };
  try {
    return serialize(value, false, walk) as string;
  } catch (error) {
    if (isIntegrationError(error)) throw error;
    throw invalidInput(fieldOf(walk.path), 'could not be read (a getter, toJSON or Proxy threw)');
  }
}

interface Walk {
  path: (string | number)[];
  ancestors: object[];
}

const fieldOf = (path: readonly (string | number)[]): string =>
  path.length === 0 ? '(root)' : path.join('.');

// JSON.stringify's rules: toJSON first; undefined, functions and symbols are left out of objects and become
// null in arrays; primitives (and their boxed forms) as JSON.stringify writes them.
function serialize(value: unknown, inArray: boolean, walk: Walk): string | undefined {
  let v = value;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
    v = (v as { toJSON: () => unknown }).toJSON();
  if (typeof v === 'bigint') throw invalidInput(fieldOf(walk.path), 'cannot be serialized (a bigint)');
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
  if (walk.ancestors.includes(v)) throw invalidInput(fieldOf(walk.path), 'must not contain itself (a cycle)');
  if (walk.ancestors.length >= MAX_DEPTH) {
    throw invalidInput(fieldOf(walk.path), `must not be nested more than ${MAX_DEPTH} deep`);
  }
  walk.ancestors.push(v);
  let out: string;
  if (Array.isArray(v)) {
    out = '[';
    const length = v.length;
    for (let i = 0; i < length; i++) {
      walk.path.push(i);
      out += (i > 0 ? ',' : '') + serialize(v[i], true, walk);
      walk.path.pop();
    }
    out += ']';
  } else {
    const keys = sortInPlace(Object.keys(v));
    out = '{';
    for (const key of keys) {
      walk.path.push(key);
      const member = serialize((v as Record<string, unknown>)[key], false, walk);
      walk.path.pop();
      if (member === undefined) continue;
      out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${member}`;
    }
    out += '}';
  }
  walk.ancestors.pop();
  return out;
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
 * whatever the key order. Data `stableStringify` refuses rejects with its `VALIDATION_ERROR` (an
 * IntegrationError naming the field; the promise has no other way to carry it), never with anything else.
 * @example if ((await stableHash(record)) === mapping.contentHash) skip(record);
 */
export async function stableHash(value: unknown): Promise<string> {
  // A value JSON leaves out entirely (undefined, a function, a symbol) hashes as the empty text, as before.
  const text = stableStringify(value) as string | undefined;
  const digest = await crypto.subtle.digest('SHA-256', utf8(text ?? ''));
  return toHex(new Uint8Array(digest));
}
