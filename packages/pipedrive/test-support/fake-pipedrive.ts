// A small in-memory Pipedrive for the client's tests (until and beside the emulator): the v2 record routes with
// cursor paging and `updated_since`, field definitions, search, v1 notes/leads with start/limit paging, v1
// webhooks, the rate-limit and daily-token headers, and scripted answers for failure paths. Bodies follow
// Pipedrive's (`{ success, data, additional_data }`, errors `{ success: false, error, error_info, data }`).

export interface SentRequest {
  method: string;
  url: string;
  path: string;
  headers: Headers;
  body: unknown;
}

type Row = Record<string, unknown> & { id: number | string; update_time: string };

export interface FakePipedrive {
  fetch: typeof fetch;
  sent: SentRequest[];
  /** Records by collection (`persons`, `organizations`, `deals`, `activities`, `notes`, `leads`, `webhooks`). */
  tables: Map<string, Map<string, Row>>;
  /** Field definitions by entity (`person`, …). */
  fields: Record<string, Record<string, unknown>[]>;
  /** Answers the next matching request (method and path suffix) with this response instead. */
  script(match: string, response: () => Response): void;
  /** Daily tokens left (reported in `x-daily-ratelimit-token-remaining`). */
  daily: { limit: number; remaining: number };
  seed(collection: string, count: number, fields?: (index: number) => Record<string, unknown>): void;
}

// biome-ignore lint/suspicious/noExplicitAny: the request bodies of a test fake, shaped by the client under test
type Json = any;

const BASE_TIME = Date.parse('2026-03-01T10:00:00Z');
export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
/** Pipedrive's error body. */
export const pipedriveError = (status: number, error: string, headers: Record<string, string> = {}) =>
  jsonResponse(
    status,
    {
      success: false,
      error,
      error_info: 'Please check developers.pipedrive.com for more information about Pipedrive API.',
      data: null,
      additional_data: null,
    },
    headers,
  );

export const PERSON_FIELDS = [
  { field_code: 'name', field_name: 'Name', field_type: 'varchar', is_custom_field: false, options: null },
  {
    field_code: 'a'.repeat(40),
    field_name: 'External ID',
    field_type: 'varchar',
    is_custom_field: true,
    options: null,
  },
  {
    field_code: 'b'.repeat(40),
    field_name: 'Tier',
    field_type: 'enum',
    is_custom_field: true,
    options: [
      { id: 11, label: 'Gold' },
      { id: 12, label: 'Silver' },
    ],
  },
  {
    field_code: 'c'.repeat(40),
    field_name: 'Interests',
    field_type: 'set',
    is_custom_field: true,
    options: [
      { id: 21, label: 'CRM' },
      { id: 22, label: 'Sync' },
    ],
  },
  {
    field_code: 'd'.repeat(40),
    field_name: 'Score',
    field_type: 'double',
    is_custom_field: true,
    options: null,
  },
  {
    field_code: 'e'.repeat(40),
    field_name: 'Renewal',
    field_type: 'date',
    is_custom_field: true,
    options: null,
  },
  {
    field_code: 'f'.repeat(40),
    field_name: 'Budget',
    field_type: 'monetary',
    is_custom_field: true,
    options: null,
  },
];

const COSTS: Record<string, number> = { GET1: 1, LIST: 10, SEARCH: 20, POST: 5, PATCH: 5, DELETE: 3 };
const V2 = ['persons', 'organizations', 'deals', 'activities'];
const FIELD_PATHS: Record<string, string> = {
  personFields: 'person',
  organizationFields: 'organization',
  dealFields: 'deal',
  activityFields: 'activity',
};

export function createFakePipedrive(options: { token?: string } = {}): FakePipedrive {
  const token = options.token ?? 'pipedrive-test-token';
  const sent: SentRequest[] = [];
  const tables = new Map<string, Map<string, Row>>();
  const scripts: { match: string; response: () => Response }[] = [];
  const fields: Record<string, Record<string, unknown>[]> = {
    person: PERSON_FIELDS,
    organization: [],
    deal: [],
    activity: [],
  };
  const daily = { limit: 30_000, remaining: 30_000 };
  let nextId = 1;
  let clock = 0;
  const table = (name: string) => {
    let map = tables.get(name);
    if (!map) {
      map = new Map();
      tables.set(name, map);
    }
    return map;
  };
  const stamp = () => new Date(BASE_TIME + 1000 * clock++).toISOString().replace('.000', '');
  const insert = (collection: string, data: Record<string, unknown>): Row => {
    const id = collection === 'leads' ? globalThis.crypto.randomUUID() : nextId++;
    const time = stamp();
    const row: Row = { ...data, id, add_time: time, update_time: time };
    if (V2.includes(collection)) row.custom_fields = { ...((data.custom_fields as object) ?? {}) };
    table(collection).set(String(id), row);
    return row;
  };
  const headers = (cost: number) => {
    daily.remaining = Math.max(0, daily.remaining - cost);
    return {
      'x-ratelimit-limit': '20',
      'x-ratelimit-remaining': '19',
      'x-ratelimit-reset': '2',
      'x-daily-ratelimit-token-limit': String(daily.limit),
      'x-daily-ratelimit-token-remaining': String(daily.remaining),
    };
  };
  const ok = (data: unknown, cost: number, additional?: unknown) =>
    jsonResponse(
      200,
      { success: true, data, ...(additional === undefined ? {} : { additional_data: additional }) },
      headers(cost),
    );
  const notFound = (what: string) => pipedriveError(404, `${what} not found`);

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname;
    let body: Json;
    const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text();
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    sent.push({ method: request.method, url: request.url, path, headers: request.headers, body });
    const scripted = scripts.findIndex(
      (s) => `${request.method} ${path}`.endsWith(s.match) || path.endsWith(s.match),
    );
    if (scripted >= 0) return scripts.splice(scripted, 1)[0]!.response();
    const bearer = request.headers.get('authorization');
    if (request.headers.get('x-api-token') !== token && bearer !== `Bearer ${token}`) {
      return pipedriveError(401, 'unauthorized access');
    }
    if (daily.remaining <= 0) return pipedriveError(429, 'Request over limit', headers(0));
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'api' && parts[1] === 'v2') {
      const [collection, id] = [parts[2]!, parts[3]];
      if (FIELD_PATHS[collection])
        return ok(fields[FIELD_PATHS[collection]!] ?? [], COSTS.LIST!, { next_cursor: null });
      if (!V2.includes(collection)) return notFound('Route');
      const rows = table(collection);
      if (id === 'search') {
        const term = (url.searchParams.get('term') ?? '').toLowerCase();
        const items = [...rows.values()]
          .filter((row) => JSON.stringify(row).toLowerCase().includes(term))
          .map((item) => ({ result_score: 1, item }));
        return ok({ items }, COSTS.SEARCH!, { next_cursor: null });
      }
      if (id === undefined && request.method === 'GET') {
        const limit = Number(url.searchParams.get('limit') ?? 100);
        const offset = Number(url.searchParams.get('cursor') ? atob(url.searchParams.get('cursor')!) : 0);
        const since = url.searchParams.get('updated_since');
        const all = [...rows.values()].filter(
          (row) => !since || Date.parse(row.update_time) >= Date.parse(since),
        );
        const page = all.slice(offset, offset + limit);
        const next = offset + limit < all.length ? btoa(String(offset + limit)) : null;
        return ok(page, COSTS.LIST!, { next_cursor: next });
      }
      if (id === undefined && request.method === 'POST')
        return ok(insert(collection, body ?? {}), COSTS.POST!);
      const row = rows.get(id ?? '');
      if (!row) return notFound(collection.replace(/s$/, '').replace(/^./, (c) => c.toUpperCase()));
      if (request.method === 'GET') return ok(row, COSTS.GET1!);
      if (request.method === 'PATCH') {
        const { custom_fields, ...rest } = body ?? {};
        Object.assign(row, rest, { update_time: stamp() });
        if (custom_fields) row.custom_fields = { ...(row.custom_fields as object), ...custom_fields };
        return ok(row, COSTS.PATCH!);
      }
      if (request.method === 'DELETE') {
        rows.delete(id!);
        return ok({ id: Number(id) }, COSTS.DELETE!);
      }
    }
    if (parts[0] === 'v1') {
      const [collection, id] = [parts[1]!, parts[2]];
      const rows = table(collection);
      if (id === undefined && request.method === 'GET') {
        const start = Number(url.searchParams.get('start') ?? 0);
        const limit = Number(url.searchParams.get('limit') ?? 100);
        const all = [...rows.values()];
        const more = start + limit < all.length;
        return ok(all.slice(start, start + limit), 20, {
          pagination: {
            start,
            limit,
            more_items_in_collection: more,
            ...(more ? { next_start: start + limit } : {}),
          },
        });
      }
      if (id === undefined && request.method === 'POST') {
        const row = insert(collection, body ?? {});
        if (collection === 'webhooks')
          Object.assign(row, { is_active: true, http_auth_password: body?.http_auth_password ?? null });
        return ok(row, 10);
      }
      const row = rows.get(id ?? '');
      if (!row) return notFound('Item');
      if (request.method === 'GET') return ok(row, 2);
      if (request.method === 'PUT' || request.method === 'PATCH') {
        Object.assign(row, body, { update_time: stamp() });
        return ok(row, 10);
      }
      if (request.method === 'DELETE') {
        rows.delete(id!);
        return ok({ id: row.id }, 6);
      }
    }
    return notFound('Route');
  };

  return {
    fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
      handle(new Request(input, init))) as typeof fetch,
    sent,
    tables,
    fields,
    daily,
    script(match, response) {
      scripts.push({ match, response });
    },
    seed(collection, count, make) {
      for (let i = 0; i < count; i++) insert(collection, { name: `Record ${i}`, ...(make?.(i) ?? {}) });
    },
  };
}
