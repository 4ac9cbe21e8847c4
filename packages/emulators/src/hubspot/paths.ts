// The CRM paths the emulator serves, parsed. HubSpot serves each API twice: semantic versions (`/crm/v3/objects/…`,
// `/crm/v4/associations/…`, `/crm/v4/objects/{type}/{id}/associations/…`) and, since 2026-03-30, date versions
// (`/crm/objects/2026-03/…`, `/crm/associations/2026-03/…`; the associations-on-a-record routes live under the dated
// objects path). Sources: the wire notes and the 2026-03 / v4 specs' `paths`. Dated versions known here are those
// of HubSpot-public-api-spec-collection (2025-09, 2026-03, 2026-09).

/** Date versions the emulator answers. */
export const HUBSPOT_DATE_VERSIONS: readonly string[] = ['2025-09', '2026-03', '2026-09'];

/** A parsed CRM path. `id` segments are decoded; `type`s are as written (resolved against the schema later). */
export type HubSpotPath =
  | { kind: 'list' | 'create'; type: string }
  | { kind: 'search'; type: string }
  | { kind: 'batch'; type: string; op: 'read' | 'create' | 'update' | 'upsert' | 'archive' }
  | { kind: 'record'; type: string; id: string }
  | { kind: 'association-default'; type: string; id: string; toType: string; toId: string }
  | { kind: 'association-list'; type: string; id: string; toType: string }
  | { kind: 'association-pair'; type: string; id: string; toType: string; toId: string }
  | {
      kind: 'association-batch';
      type: string;
      toType: string;
      op: 'create' | 'read' | 'archive' | 'default';
    }
  | { kind: 'association-labels'; type: string; toType: string };

const BATCH_OPS = new Set(['read', 'create', 'update', 'upsert', 'archive']);

function segmentsOf(path: string): string[] | undefined {
  const parts = path.replace(/\/+$/, '').split('/').slice(1);
  try {
    return parts.map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}

function recordAssociations(type: string, id: string, rest: string[]): HubSpotPath | undefined {
  if (rest[0] !== 'associations') return undefined;
  if (rest[1] === 'default' && rest.length === 4) {
    return { kind: 'association-default', type, id, toType: rest[2]!, toId: rest[3]! };
  }
  if (rest.length === 2) return { kind: 'association-list', type, id, toType: rest[1]! };
  if (rest.length === 3) return { kind: 'association-pair', type, id, toType: rest[1]!, toId: rest[2]! };
  return undefined;
}

function objectsPath(
  rest: string[],
  withAssociations: boolean,
  withRecords: boolean,
): HubSpotPath | undefined {
  const [type, second, third, ...more] = rest;
  if (!type) return undefined;
  if (withRecords) {
    if (second === undefined) return { kind: 'list', type };
    if (second === 'search' && third === undefined) return { kind: 'search', type };
    if (second === 'batch' && third !== undefined && BATCH_OPS.has(third) && more.length === 0) {
      return { kind: 'batch', type, op: third as 'read' };
    }
    if (third === undefined) return { kind: 'record', type, id: second };
  }
  if (withAssociations && second !== undefined && third !== undefined) {
    return recordAssociations(type, second, [third, ...more]);
  }
  return undefined;
}

function associationsPath(rest: string[]): HubSpotPath | undefined {
  const [type, toType, batch, op, extra, ...more] = rest;
  if (type && toType && batch === 'labels' && op === undefined)
    return { kind: 'association-labels', type, toType };
  if (!type || !toType || batch !== 'batch' || more.length > 0) return undefined;
  if (op === 'associate' && extra === 'default')
    return { kind: 'association-batch', type, toType, op: 'default' };
  if ((op === 'create' || op === 'read' || op === 'archive') && extra === undefined) {
    return { kind: 'association-batch', type, toType, op };
  }
  return undefined;
}

/** Parses a URL path into a CRM route, or undefined when the emulator serves no such path. */
export function parseHubSpotPath(path: string): HubSpotPath | undefined {
  const segments = segmentsOf(path);
  if (segments?.[0] !== 'crm') return undefined;
  const [, api, version, ...rest] = segments;
  if (api === 'v3' && version === 'objects') return objectsPath(rest, false, true);
  if (api === 'v4' && version === 'objects') return objectsPath(rest, true, false);
  if (api === 'v4' && version === 'associations') return associationsPath(rest);
  if (api === 'objects' && version !== undefined && HUBSPOT_DATE_VERSIONS.includes(version)) {
    return objectsPath(rest, true, true);
  }
  if (api === 'associations' && version !== undefined && HUBSPOT_DATE_VERSIONS.includes(version)) {
    return associationsPath(rest);
  }
  return undefined;
}

/**
 * The route key faults and counters see: method and path with record ids replaced by `:id` (and `:toId`), e.g.
 * `GET /crm/v3/objects/contacts/:id`, so one fault spec covers every record.
 */
export function hubspotPathKey(method: string, path: string): string {
  const parsed = parseHubSpotPath(path);
  if (!parsed || !('id' in parsed)) return `${method} ${path}`;
  const segments = path.replace(/\/+$/, '').split('/');
  const at = segments.indexOf('associations');
  const idIndex = at === -1 ? segments.length - 1 : at - 1;
  segments[idIndex] = ':id';
  if ('toId' in parsed) segments[segments.length - 1] = ':toId';
  return `${method} ${segments.join('/')}`;
}
