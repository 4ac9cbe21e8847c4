import { toHex, utf8 } from './encoding.ts';

/**
 * JSON with object keys sorted at every depth, so equal data always serializes to the same text.
 * `undefined` members are dropped, as JSON.stringify does.
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
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
