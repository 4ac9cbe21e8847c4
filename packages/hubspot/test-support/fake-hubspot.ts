// A small in-memory HubSpot for the client's tests (until and beside the emulator): objects with get, list, the
// batch endpoints and their 200/201/207 bodies, search with paging and the 10 000 cap, associations, rate-limit
// headers, and scripted answers for failure paths. Bodies follow HubSpot's (StandardError, batch envelopes).

export interface SentRequest {
  method: string;
  url: string;
  path: string;
  headers: Headers;
  body: unknown;
}

interface Stored {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface FakeHubSpot {
  fetch: typeof fetch;
  sent: SentRequest[];
  /** Records by object type. */
  records: Map<string, Map<string, Stored>>;
  /** Answers the next matching request (by path suffix) with this response instead. */
  script(match: string, response: () => Response): void;
  /** Unique properties (for upsert) by type. */
  unique: Record<string, string[]>;
  associations: { from: string; to: string; fromId: string; toId: string; typeId: number }[];
  seed(type: string, count: number, properties?: (index: number) => Record<string, string>): void;
}

// biome-ignore lint/suspicious/noExplicitAny: the request bodies of a test fake, shaped by the client under test
type Json = any;

const TIME = '2026-03-01T10:00:00.000Z';
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const error = (status: number, category: string, message: string, context?: Record<string, string[]>) =>
  json(status, {
    status: 'error',
    message,
    correlationId: 'corr-1',
    category,
    ...(context ? { context } : {}),
  });

export function createFakeHubSpot(options: { token?: string } = {}): FakeHubSpot {
  const token = options.token ?? 'pat-na1-test-token';
  const sent: SentRequest[] = [];
  const records = new Map<string, Map<string, Stored>>();
  const scripts: { match: string; response: () => Response }[] = [];
  const unique: Record<string, string[]> = { contacts: ['email'], companies: [] };
  const associations: FakeHubSpot['associations'] = [];
  let nextId = 1000;
  const table = (type: string) => {
    let map = records.get(type);
    if (!map) {
      map = new Map();
      records.set(type, map);
    }
    return map;
  };
  const view = (record: Stored, extra: Record<string, unknown> = {}) => ({
    id: record.id,
    properties: { ...record.properties, hs_object_id: record.id },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: false,
    ...extra,
  });
  const create = (type: string, properties: Record<string, string>): Stored => {
    const id = String(nextId++);
    const record = { id, properties, createdAt: TIME, updatedAt: TIME };
    table(type).set(id, record);
    return record;
  };
  const findBy = (type: string, property: string, value: string) =>
    [...table(type).values()].find(
      (record) => (record.properties[property] ?? '').toLowerCase() === value.toLowerCase(),
    );
  const batchBody = (results: unknown[], errors: unknown[]) => ({
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt: TIME,
    completedAt: TIME,
  });
  const batchAnswer = (okStatus: number, results: unknown[], errors: unknown[]) =>
    json(errors.length > 0 ? 207 : okStatus, batchBody(results, errors));

  function route(method: string, path: string, url: URL, body: Json): Response {
    const objects = /^\/crm\/(?:objects\/2026-03|v3\/objects)\/([^/]+)(?:\/(.+))?$/.exec(path);
    const assoc = /^\/crm\/(?:associations\/2026-03|v4\/associations)\/([^/]+)\/([^/]+)\/batch\/(.+)$/.exec(
      path,
    );
    if (assoc) {
      const [, from, to, action] = assoc as unknown as [string, string, string, string];
      if (action === 'create' || action === 'associate/default') {
        const results = body.inputs.map((input: Json) => {
          associations.push({
            from,
            to,
            fromId: input.from.id,
            toId: input.to.id,
            typeId: input.types?.[0]?.associationTypeId ?? 1,
          });
          return action === 'create'
            ? {
                fromObjectTypeId: '0-1',
                fromObjectId: Number(input.from.id),
                toObjectTypeId: '0-2',
                toObjectId: Number(input.to.id),
                labels: [],
              }
            : {
                from: { id: input.from.id },
                to: { id: input.to.id },
                associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 },
              };
        });
        return json(action === 'create' ? 201 : 200, batchBody(results, []));
      }
      if (action === 'read') {
        const results: unknown[] = [];
        const missing: string[] = [];
        for (const input of body.inputs) {
          const found = associations.filter((a) => a.from === from && a.to === to && a.fromId === input.id);
          if (found.length === 0) missing.push(input.id);
          else
            results.push({
              from: { id: input.id },
              to: found.map((a) => ({
                toObjectId: Number(a.toId),
                associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: a.typeId, label: null }],
              })),
            });
        }
        const errors =
          missing.length > 0
            ? [
                {
                  status: 'error',
                  category: 'OBJECT_NOT_FOUND',
                  subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
                  message: 'No associations found',
                  context: { fromObjectId: missing },
                },
              ]
            : [];
        return batchAnswer(200, results, errors);
      }
    }
    if (!objects) return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
    const [, type, rest] = objects as unknown as [string, string, string | undefined];
    if (method === 'GET' && rest === undefined) {
      const limit = Number(url.searchParams.get('limit') ?? 10);
      const after = Number(url.searchParams.get('after') ?? 0);
      const all = [...table(type).values()];
      const page = all.slice(after, after + limit).map((record) => view(record));
      const next =
        after + limit < all.length
          ? {
              paging: {
                next: { after: String(after + limit), link: `${url.origin}${path}?after=${after + limit}` },
              },
            }
          : {};
      return json(200, { results: page, ...next });
    }
    if (method === 'GET' && rest) {
      const idProperty = url.searchParams.get('idProperty');
      const record = idProperty ? findBy(type, idProperty, decodeURIComponent(rest)) : table(type).get(rest);
      return record ? json(200, view(record)) : new Response(null, { status: 404 });
    }
    if (method === 'DELETE' && rest) {
      table(type).delete(rest);
      return new Response(null, { status: 204 });
    }
    if (rest === 'batch/read') {
      const results: unknown[] = [];
      const missing: string[] = [];
      for (const input of body.inputs) {
        const record = body.idProperty ? findBy(type, body.idProperty, input.id) : table(type).get(input.id);
        if (record) results.push(view(record));
        else missing.push(input.id);
      }
      const errors =
        missing.length > 0
          ? [
              {
                status: 'error',
                category: 'OBJECT_NOT_FOUND',
                message:
                  'Could not get some CRM objects, they may be deleted or not exist. Check that ids are valid.',
                context: { ids: missing },
              },
            ]
          : [];
      return batchAnswer(200, results, errors);
    }
    if (rest === 'batch/create') {
      const traced = body.inputs.every((input: Json) => typeof input.objectWriteTraceId === 'string');
      const results: unknown[] = [];
      const errors: unknown[] = [];
      for (const input of body.inputs) {
        const email = input.properties.email;
        const existing = email ? findBy(type, 'email', email) : undefined;
        if (existing || (email !== undefined && !/@/.test(email))) {
          const failure = existing
            ? {
                status: 'error',
                category: 'CONFLICT',
                message: `Contact already exists. Existing ID: ${existing.id}`,
                context: { objectWriteTraceId: [input.objectWriteTraceId] },
              }
            : {
                status: 'error',
                category: 'VALIDATION_ERROR',
                message: `Property values were not valid: [{"isValid":false,"message":"Email address ${email} is invalid","error":"INVALID_EMAIL","name":"email"}]`,
                context: { objectWriteTraceId: [input.objectWriteTraceId] },
              };
          // Without a trace id on every input, one bad input fails the whole batch.
          if (!traced) return json(existing ? 409 : 400, { ...failure, correlationId: 'corr-2' });
          errors.push(failure);
          continue;
        }
        const record = create(type, input.properties);
        results.push(view(record, { objectWriteTraceId: input.objectWriteTraceId }));
      }
      // HubSpot answers batch creates in any order.
      results.reverse();
      return batchAnswer(201, results, errors);
    }
    if (rest === 'batch/update') {
      const results: unknown[] = [];
      const missing: string[] = [];
      for (const input of body.inputs) {
        const record = input.idProperty
          ? findBy(type, input.idProperty, input.id)
          : table(type).get(input.id);
        if (!record) {
          missing.push(input.id);
          continue;
        }
        Object.assign(record.properties, input.properties);
        results.push(view(record, { objectWriteTraceId: input.objectWriteTraceId }));
      }
      const errors =
        missing.length > 0
          ? [
              {
                status: 'error',
                category: 'OBJECT_NOT_FOUND',
                message: 'Object not found',
                context: { ids: missing },
              },
            ]
          : [];
      return batchAnswer(200, results, errors);
    }
    if (rest === 'batch/upsert') {
      const idProperty = body.inputs[0]?.idProperty;
      if (!(unique[type] ?? []).includes(idProperty)) {
        return json(400, {
          status: 'error',
          message: `Unable to perform update/upsert by non-unique 0-1 property ${idProperty}`,
          correlationId: 'corr-3',
          category: 'VALIDATION_ERROR',
        });
      }
      const results = body.inputs.map((input: Json) => {
        const existing = findBy(type, idProperty, input.id);
        if (existing) {
          Object.assign(existing.properties, input.properties);
          return view(existing, { new: false });
        }
        return view(create(type, input.properties), { new: true });
      });
      return json(200, batchBody(results, []));
    }
    if (rest === 'batch/archive') {
      for (const input of body.inputs) table(type).delete(input.id);
      return new Response(null, { status: 204 });
    }
    if (rest === 'search') return search(type, body);
    return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
  }

  function search(type: string, body: Json): Response {
    const after = Number(body.after ?? 0);
    const limit = body.limit ?? 10;
    if (after + limit > 10_000) {
      return error(400, 'VALIDATION_ERROR', 'There was a problem with the request.', {
        after: [String(after)],
      });
    }
    const matches = [...table(type).values()]
      .filter(
        (record) =>
          (body.filterGroups ?? []).length === 0 ||
          body.filterGroups.some((group: Json) =>
            group.filters.every((filter: Json) => {
              const value =
                filter.propertyName === 'hs_object_id' ? record.id : record.properties[filter.propertyName];
              if (filter.operator === 'EQ') return value === String(filter.value);
              if (filter.operator === 'GT') return Number(value) > Number(filter.value);
              return true;
            }),
          ),
      )
      .sort((a, b) => Number(a.id) - Number(b.id));
    const page = matches.slice(after, after + limit).map((record) => view(record));
    const next = after + limit < matches.length ? { paging: { next: { after: String(after + limit) } } } : {};
    return json(200, { total: matches.length, results: page, ...next });
  }

  const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text();
    const body = text ? JSON.parse(text) : undefined;
    sent.push({
      method: request.method,
      url: request.url,
      path: url.pathname,
      headers: request.headers,
      body,
    });
    const scripted = scripts.findIndex((s) => url.pathname.endsWith(s.match));
    if (scripted !== -1) return scripts.splice(scripted, 1)[0]!.response();
    if (request.headers.get('authorization') !== `Bearer ${token}`) {
      return json(401, {
        status: 'error',
        message: 'Authentication credentials not found.',
        correlationId: 'corr-auth',
        category: 'INVALID_AUTHENTICATION',
      });
    }
    const response = route(request.method, url.pathname, url, body);
    response.headers.set('X-HubSpot-RateLimit-Max', '100');
    response.headers.set('X-HubSpot-RateLimit-Remaining', '99');
    response.headers.set('X-HubSpot-RateLimit-Interval-Milliseconds', '10000');
    return response;
  }) as typeof fetch;

  return {
    fetch: fakeFetch,
    sent,
    records,
    unique,
    associations,
    script: (match, response) => scripts.push({ match, response }),
    seed(type, count, properties = () => ({})) {
      for (let i = 0; i < count; i++) create(type, properties(i));
    },
  };
}

/** A HubSpot 429 body and headers for one policy. */
export function rateLimited(policyName: 'TEN_SECONDLY_ROLLING' | 'DAILY', intervalMs = 20): Response {
  return json(
    429,
    {
      status: 'error',
      message: `You have reached your ${policyName.toLowerCase()} limit.`,
      errorType: 'RATE_LIMIT',
      correlationId: 'corr-429',
      policyName,
    },
    {
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(intervalMs),
      'X-HubSpot-RateLimit-Remaining': '0',
      'X-HubSpot-RateLimit-Max': '100',
    },
  );
}

export { error as hubspotError, json as jsonResponse };
