// The routes of the emulated API and the handler dispatching to them. v2: `/api/v2/{persons,organizations,deals,
// activities}` with GET list, GET one, POST, PATCH and DELETE, `/api/v2/persons/search`, and the field definitions
// at `/api/v2/{person,organization,deal,activity}Fields` (pipedrive/client-nodejs `src/versions/v2/api/persons-api.ts`,
// `person-fields-api.ts`…; base path `/api/v2`). v1 only where v2 has none (wire notes): `/v1/notes`, `/v1/leads`
// (GET with `start`/`limit` and `additional_data.pagination`, POST; notes also GET and DELETE `/:id`) and `/v1/webhooks` (POST, GET, DELETE `/:id`;
// `src/versions/v1/api/webhooks-api.ts`). Auth: the `x-api-token` header, or `Authorization: Bearer` for OAuth; v1
// also takes `?api_token=` (wire notes). Success bodies are `{ success: true, data, additional_data }`; v1 webhook
// answers add `status: 'ok'` (`base-response.ts` of v1). Status codes: 200 for v2 writes and v1 notes, 201 for a new
// lead and webhook (guessed from the v1 spec's habits); an unknown path is a 404 in the failure envelope (guessed).
// v1 also creates custom fields: `POST /v1/{person,organization,deal}Fields` (v2's fields API creates them too, but
// clients use v1's; see fields.ts), 200 as the v1 spec says, and the field is at once in v2's lists and writes.

import { readBodyText } from '../kit/body.ts';
import { readRequest } from '../kit/route-key.ts';
import type { EmulatorHandler } from '../kit/types.ts';
import { badRequest, notFound, PipedriveError, unauthorized } from './errors.ts';
import {
  type FieldRegistry,
  type PipedriveEntity,
  type PipedriveFieldType,
  readV1FieldInput,
  v1FieldView,
} from './fields.ts';
import type { CostKind, PipedriveLimits } from './limits.ts';
import { tokenCost } from './limits.ts';
import { pageOf, parseListQuery } from './list-params.ts';
import type { PipedriveRecord } from './records.ts';
import { searchPersons } from './search.ts';
import type { PipedriveStore } from './store.ts';
import type { WebhookRegistry } from './webhooks.ts';

const PLURAL: Record<string, PipedriveEntity> = {
  persons: 'person',
  organizations: 'organization',
  deals: 'deal',
  activities: 'activity',
};
const FIELD_PATHS: Record<string, PipedriveEntity> = {
  personFields: 'person',
  organizationFields: 'organization',
  dealFields: 'deal',
  activityFields: 'activity',
};
const NAMES: Record<PipedriveEntity, string> = {
  person: 'Person',
  organization: 'Organization',
  deal: 'Deal',
  activity: 'Activity',
};

/** A request's place in the API. */
export type PipedriveRoute =
  | { kind: 'records'; entity: PipedriveEntity; id?: number; plural: string }
  | { kind: 'search' }
  | { kind: 'fields'; entity: PipedriveEntity; path: string }
  | { kind: 'v1fields'; entity: PipedriveEntity }
  | { kind: 'notes' | 'leads' | 'webhooks'; id?: number };

/** Parses a path, or undefined for one the API does not have. */
export function parsePipedrivePath(pathname: string): PipedriveRoute | undefined {
  const v2 = /^\/api\/v2\/([A-Za-z]+)(?:\/([^/]+))?\/?$/.exec(pathname);
  if (v2) {
    const [, first, second] = v2 as unknown as [string, string, string | undefined];
    if (first === 'persons' && second === 'search') return { kind: 'search' };
    const entity = PLURAL[first];
    if (entity) {
      if (second === undefined) return { kind: 'records', entity, plural: first };
      return /^\d+$/.test(second)
        ? { kind: 'records', entity, id: Number(second), plural: first }
        : undefined;
    }
    const fieldsOf = FIELD_PATHS[first];
    if (fieldsOf && second === undefined) return { kind: 'fields', entity: fieldsOf, path: first };
    return undefined;
  }
  const v1Fields = /^\/(?:api\/)?v1\/(personFields|organizationFields|dealFields)\/?$/.exec(pathname);
  if (v1Fields) return { kind: 'v1fields', entity: FIELD_PATHS[v1Fields[1]!]! };
  const v1 = /^\/(?:api\/)?v1\/(notes|leads|webhooks)(?:\/(\d+))?\/?$/.exec(pathname);
  if (v1) {
    const kind = v1[1] as 'notes' | 'leads' | 'webhooks';
    return v1[2] === undefined ? { kind } : { kind, id: Number(v1[2]) };
  }
  return undefined;
}

/**
 * The route key of a Pipedrive request for faults and counters: method and path with ids as `:id`, e.g.
 * `PATCH /api/v2/persons/:id`, `GET /api/v2/persons/search`, `POST /v1/notes`.
 */
export function pipedriveRouteKey(request: Request): string {
  const { method, url } = readRequest(request);
  const path = new URL(url).pathname.replace(/\/\d+(?=\/|$)/g, '/:id').replace(/\/+$/, '');
  return `${method} ${path === '' ? '/' : path}`;
}

/** What the handler needs from the emulator. */
export interface PipedriveHandlerOptions {
  store: PipedriveStore;
  fields: FieldRegistry;
  webhooks: WebhookRegistry;
  limits: PipedriveLimits | undefined;
  /** 'token' for the API token, 'oauth' for an accepted OAuth access token, false otherwise. */
  accepts: (token: string) => 'token' | 'oauth' | false;
  maxBodyBytes: number;
  now: () => string;
}

function tokenOf(request: Request, url: URL, v1: boolean): string {
  const header = request.headers.get('x-api-token');
  if (header) return header.trim();
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  if (bearer) return bearer[1]!;
  return v1 ? (url.searchParams.get('api_token') ?? '') : '';
}

function costKindOf(route: PipedriveRoute, method: string): CostKind {
  if (route.kind === 'search') return 'search';
  if (method === 'DELETE') return 'delete';
  if (method !== 'GET') return 'write';
  return 'id' in route && route.id !== undefined ? 'get' : 'list';
}

async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const text = await readBodyText(request, maxBytes);
  if (text === undefined) throw new PipedriveError(413, 'Request body too large');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON');
  }
}

const ok = (data: unknown, additional?: unknown, status = 200) =>
  Response.json(
    additional === undefined ? { success: true, data } : { success: true, data, additional_data: additional },
    {
      status,
    },
  );

/** A record as a read answers it: only the asked custom fields, and the asked optional fields. */
function present(record: PipedriveRecord, params: URLSearchParams): PipedriveRecord {
  const custom = params.get('custom_fields');
  if (custom !== null) {
    const keys = new Set(custom.split(',').map((key) => key.trim()));
    if (keys.size > 15) throw badRequest('custom_fields accepts at most 15 keys');
    record.custom_fields = Object.fromEntries(
      Object.entries(record.custom_fields).filter(([key]) => keys.has(key)),
    );
  }
  for (const name of params.get('include_fields')?.split(',') ?? []) {
    const key = name.trim();
    // Counts start at 0; the other optional fields (ids, times, statuses) are unknown here.
    if (key !== '' && !(key in record)) record[key] = key.endsWith('_count') ? 0 : null;
  }
  return record;
}

function v1Page<T>(items: T[], params: URLSearchParams) {
  const start = Number(params.get('start') ?? '0');
  const limit = Number(params.get('limit') ?? '100');
  if (!Number.isInteger(start) || start < 0) throw badRequest('start must be a non-negative integer');
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw badRequest('limit must be an integer from 1 to 500');
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return {
    data: page,
    additional_data: {
      pagination: {
        start,
        limit,
        more_items_in_collection: more,
        ...(more ? { next_start: start + limit } : {}),
      },
    },
  };
}

function dispatch(
  options: PipedriveHandlerOptions,
  route: PipedriveRoute,
  method: string,
  url: URL,
  body: unknown,
): Response {
  const { store, fields, webhooks } = options;
  const params = url.searchParams;
  const refuse = () => new PipedriveError(405, `Method ${method} is not allowed here`);
  switch (route.kind) {
    case 'records': {
      const { entity, id } = route;
      if (id === undefined) {
        if (method === 'GET') {
          const query = parseListQuery(params);
          const { items, nextCursor } = pageOf(store.all(entity), query);
          return ok(
            items.map((record) => present(record, params)),
            { next_cursor: nextCursor },
          );
        }
        if (method === 'POST') return ok(store.create(entity, body, 'api'));
        throw refuse();
      }
      if (method === 'GET') {
        const record = store.get(entity, id);
        if (!record) throw notFound(NAMES[entity]);
        return ok(present(record, params));
      }
      if (method === 'PATCH') {
        const record = store.update(entity, id, body, 'api');
        if (!record) throw notFound(NAMES[entity]);
        return ok(record);
      }
      if (method === 'DELETE') {
        if (!store.remove(entity, id, 'api')) throw notFound(NAMES[entity]);
        return ok({ id });
      }
      throw refuse();
    }
    case 'search': {
      if (method !== 'GET') throw refuse();
      const { data, nextCursor } = searchPersons(
        store.all('person'),
        (orgId) => store.get('organization', orgId),
        fields,
        params,
      );
      return ok(data, { next_cursor: nextCursor });
    }
    case 'fields': {
      if (method === 'GET') return ok(fields.list(route.entity), { next_cursor: null });
      if (method !== 'POST') throw refuse();
      const input = (body ?? {}) as { field_name?: unknown; field_type?: unknown; options?: unknown };
      const options = Array.isArray(input.options)
        ? input.options.map((option: unknown) => String((option as { label?: unknown })?.label ?? option))
        : undefined;
      return ok(
        fields.define(route.entity, {
          name: input.field_name as string,
          type: input.field_type as PipedriveFieldType,
          ...(options ? { options } : {}),
        }),
      );
    }
    case 'v1fields': {
      if (method !== 'POST') throw refuse();
      const { addVisible, ...input } = readV1FieldInput(body);
      const field = fields.define(route.entity, input);
      const list = fields.list(route.entity);
      return ok(
        v1FieldView(field, {
          id: fields.idOf(route.entity, field.field_code)!,
          orderNr: list.findIndex((item) => item.field_code === field.field_code),
          // v1 times are `YYYY-MM-DD HH:MM:SS` in UTC.
          addTime: options.now().slice(0, 19).replace('T', ' '),
          addVisible,
        }),
      );
    }
    case 'notes': {
      if (method === 'POST' && route.id === undefined) return ok(store.createNote(body, 'api'));
      if (method === 'DELETE' && route.id !== undefined) {
        if (!store.removeNote(route.id, 'api')) throw notFound('Note');
        return ok({ id: route.id });
      }
      if (method !== 'GET') throw refuse();
      if (route.id !== undefined) {
        const note = store.notes().find((item) => item.id === route.id);
        if (!note) throw notFound('Note');
        return ok(note);
      }
      const person = params.get('person_id');
      const notes = store.notes().filter((note) => person === null || String(note.person_id) === person);
      return Response.json({ success: true, ...v1Page(notes, params) });
    }
    case 'leads': {
      if (method === 'POST' && route.id === undefined)
        return ok(store.createLead(body, 'api'), undefined, 201);
      if (method !== 'GET' || route.id !== undefined) throw refuse();
      return Response.json({ success: true, ...v1Page(store.leads(), params) });
    }
    case 'webhooks': {
      if (route.id !== undefined) {
        if (method !== 'DELETE') throw refuse();
        if (!webhooks.remove(route.id)) throw notFound('Webhook');
        return Response.json({ success: true, status: 'ok' });
      }
      if (method === 'GET') return Response.json({ success: true, status: 'ok', data: webhooks.list() });
      if (method === 'POST') {
        return Response.json(
          { success: true, status: 'ok', data: webhooks.create(body, options.now()) },
          { status: 201 },
        );
      }
      throw refuse();
    }
  }
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  if (Object.keys(headers).length === 0) return response;
  const merged = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return new Response(response.body, { status: response.status, headers: merged });
}

/** The API as one fetch-style handler (without faults and counters: the emulator adds those). */
export function createPipedriveHandler(options: PipedriveHandlerOptions): EmulatorHandler {
  return async (request) => {
    let headers: Record<string, string> = {};
    try {
      const { method, url: href } = readRequest(request);
      const url = new URL(href);
      const route = parsePipedrivePath(url.pathname);
      const v1 = !url.pathname.startsWith('/api/v2/');
      const token = tokenOf(request, url, v1);
      const verdict = token === '' ? false : options.accepts(token);
      if (!verdict) throw unauthorized();
      if (!route) throw new PipedriveError(404, `Unknown method ${method} ${url.pathname}`);
      if (options.limits) {
        const kind = costKindOf(route, method);
        const taken = options.limits.take(token, tokenCost(kind, v1 ? 1 : 2), {
          search: kind === 'search',
          oauth: verdict === 'oauth',
        });
        if (taken.refusal) return taken.refusal;
        headers = taken.headers;
      }
      const body =
        method === 'POST' || method === 'PATCH' ? await readJson(request, options.maxBodyBytes) : undefined;
      return withHeaders(dispatch(options, route, method, url, body), headers);
    } catch (error) {
      if (error instanceof PipedriveError) return withHeaders(error.toResponse(), headers);
      throw error;
    }
  };
}
