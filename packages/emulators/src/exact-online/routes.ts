// The REST API's routes and the handler dispatching to them (Exact's reference, start.exactonline.nl/docs/
// HlpRestAPIResources.aspx, as picqer/exact-php-client mirrors it): `/api/v1/current/Me`, and under
// `/api/v1/{division}/`: `system/Divisions` (and `hrm/Divisions`), each entity's REST path with GET (list, or one by
// `(guid'…')`), POST, PUT and DELETE, `{entity}(guid'…')/{Lines}` for an invoice's lines, `bulk/…` and `sync/…` reads,
// `sync/Deleted`, `read/sync/Sync/SyncTimestamp`, and `webhooks/WebhookSubscriptions`. Bearer auth on every route (401 otherwise), then the error
// budget, then the rate limit, then the route. Answers are OData v2 JSON (`{ d: { results, __next } }` for lists,
// `{ d: {…} }` for one record, 201 with the record for a POST, 204 for PUT and DELETE) when the caller accepts
// `application/json`; otherwise Exact answers Atom XML, of which this emulator gives only a stub feed (a client must
// send the header; the stub is there so a client that forgets it fails). Guesses, each marked: 401 and 403 wording,
// a division the user cannot reach answering 403, `current/Me` counted against the user's current division, and the
// 429 and key-block wording.

import { readBodyText } from '../kit/body.ts';
import { type EntityDef, entityAt } from './entities.ts';
import { badRequest, ExactError, notFound } from './errors.ts';
import type { ExactLimits } from './limits.ts';
import type { ExactTokenService } from './oauth.ts';
import { authorize, type ExactApp, token } from './oauth-routes.ts';
import { orderRecords } from './order.ts';
import { parseReadQuery, type ReadKind, selectPage, shapeRecord } from './query.ts';
import type { ExactRecord, ExactStore } from './store.ts';
import { syncTimestamp } from './sync-timestamp.ts';
import type { ExactWebhooks } from './webhooks.ts';

/** The user the tokens act for. */
export interface ExactUser {
  UserID: string;
  FullName: string;
  Email: string;
  UserName: string;
  CurrentDivision: number;
}

/** What the handler works on. */
export interface ExactRouteContext {
  store: ExactStore;
  tokens: ExactTokenService;
  webhooks: ExactWebhooks;
  limits: ExactLimits | undefined;
  app: ExactApp;
  user: ExactUser;
  divisionInfo: (code: number) => Record<string, unknown>;
  baseUrl: string;
  maxBodyBytes: number;
  mandatoryFiltering: boolean;
  now: () => number;
  /** Extra access tokens accepted (e.g. a fixed one for tests); answers the client id they act for. */
  acceptToken?: (token: string) => string | undefined;
}

const DELETED_DEF: EntityDef = {
  path: 'sync/Deleted',
  key: 'ID',
  type: 'Exact.Web.Api.Models.Sync.Deleted',
  fields: ['ID', 'Division', 'EntityKey', 'EntityType', 'DeletedBy', 'DeletedDate'],
  required: [],
  readOnly: [],
};

const WEBHOOK_DEF: EntityDef = {
  path: 'webhooks/WebhookSubscriptions',
  key: 'ID',
  type: 'Exact.Web.Api.Models.Webhooks.WebhookSubscription',
  fields: [
    'ID',
    'CallbackURL',
    'ClientID',
    'Created',
    'Creator',
    'CreatorFullName',
    'Description',
    'Division',
    'Topic',
  ],
  required: [],
  readOnly: [],
};

// `system/Divisions` (the divisions the user can reach) and `hrm/Divisions` (those of the licence) have different
// properties (picqer/exact-php-client `SystemDivision.php` and `Division.php`): `Current`, `Hid`, `IsMainDivision`
// and an activity `Status` (1 active) on the first; `HID`, `Main`, `BlockingStatus` and a blocking `Status` (0 not
// blocked) on the second. A name from the other set is refused, as Exact refuses an unknown property.
const SYSTEM_DIVISION_DEF: EntityDef = {
  path: 'system/Divisions',
  key: 'Code',
  type: 'Exact.Web.Api.System.Division',
  fields: [
    'Code',
    'Current',
    'Customer',
    'CustomerCode',
    'CustomerName',
    'Description',
    'Hid',
    'IsMainDivision',
    'Status',
    'Country',
    'Currency',
    'Created',
    'Modified',
  ],
  required: [],
  readOnly: [],
};

const HRM_DIVISION_DEF: EntityDef = {
  path: 'hrm/Divisions',
  key: 'Code',
  type: 'Exact.Web.Api.Models.HRM.Division',
  fields: [
    'Code',
    'BlockingStatus',
    'Country',
    'Currency',
    'Customer',
    'Description',
    'HID',
    'Main',
    'Status',
    'Created',
    'Modified',
  ],
  required: [],
  readOnly: [],
};

const ME_FIELDS = [
  'UserID',
  'CurrentDivision',
  'FullName',
  'Email',
  'UserName',
  'LanguageCode',
  'Legislation',
];

/** The route key faults and counters see: method and path with the division and keys folded, e.g. `GET /api/v1/{division}/crm/Accounts`. */
export function exactOnlineRouteKey(request: Request): string {
  const path = new URL(request.url).pathname
    .replace(/^\/api\/v1\/\d+\//, '/api/v1/{division}/')
    .replace(/\(guid'[^']*'\)/gi, '({id})');
  return `${request.method} ${path}`;
}

/** The emulated API as one handler. */
export function createExactHandler(ctx: ExactRouteContext): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path.toLowerCase() === '/api/oauth2/auth' && request.method === 'GET')
      return authorize(url, ctx.tokens, ctx.app);
    if (path.toLowerCase() === '/api/oauth2/token' && request.method === 'POST')
      return token(request, ctx.tokens, ctx.app);
    if (!/^\/api\/v1\//i.test(path)) return notFound(`No route ${request.method} ${path}`).toResponse();
    return api(request, url, ctx);
  };
}

async function api(request: Request, url: URL, ctx: ExactRouteContext): Promise<Response> {
  const bearer = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const clientId =
    bearer === undefined ? undefined : (ctx.tokens.verify(bearer) ?? ctx.acceptToken?.(bearer));
  if (clientId === undefined) {
    // Wording guessed; Exact answers 401 for a missing, expired or revoked access token.
    return new ExactError(401, 'Unauthorized: the access token is missing, invalid or expired.', {
      'WWW-Authenticate': 'Bearer',
    }).toResponse();
  }
  const rest = url.pathname.replace(/^\/api\/v1\//i, '');
  const me = /^current\/Me\/?$/i.test(rest);
  const match = /^(\d{1,9})\/(.+?)\/?$/.exec(rest);
  if (!me && !match) return notFound(`No route ${request.method} ${url.pathname}`).toResponse();
  const division = me ? ctx.user.CurrentDivision : Number(match![1]);
  const route = me ? 'current/Me' : match![2]!;
  const endpoint = route.replace(/\(guid'[^']*'\).*$/i, '').toLowerCase();
  const budgetKey = `${clientId}|${division}|${endpoint}`;

  const headers: Record<string, string> = {};
  let response: Response;
  const blockedUntil = ctx.limits?.blockedUntil(budgetKey);
  if (blockedUntil !== undefined) {
    // Status and wording guessed: Exact documents the block, not its answer.
    return new ExactError(429, 'API key blocked: more than 10 errors on this endpoint within an hour.', {
      'Retry-After': String(Math.max(1, Math.ceil((blockedUntil - ctx.now()) / 1000))),
    }).toResponse();
  }
  if (!me && !ctx.store.hasDivision(division)) {
    response = new ExactError(403, `Forbidden: no access to division ${division}.`).toResponse();
  } else {
    const decision = ctx.limits?.take(division);
    if (decision) Object.assign(headers, decision.headers);
    if (decision && !decision.allowed) {
      response = new ExactError(429, 'Too many requests.').toResponse();
    } else {
      try {
        response = me ? meRoute(url, ctx) : await divisionRoute(request, url, ctx, division, route);
      } catch (error) {
        if (!(error instanceof ExactError)) throw error;
        response = error.toResponse();
      }
    }
  }
  ctx.limits?.recordStatus(budgetKey, response.status);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  if (!acceptsJson(request) && response.ok && response.status !== 204) return atomStub(response);
  return response;
}

function acceptsJson(request: Request): boolean {
  return /application\/json/i.test(request.headers.get('accept') ?? '');
}

// Exact answers Atom XML without `Accept: application/json`; only a stub feed here (see the file's head).
function atomStub(json: Response): Response {
  const headers = new Headers(json.headers);
  headers.set('Content-Type', 'application/atom+xml;type=feed;charset=utf-8');
  return new Response(
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Emulator: send Accept: application/json</title></feed>',
    { status: json.status, headers },
  );
}

function meRoute(url: URL, ctx: ExactRouteContext): Response {
  const meDef: EntityDef = {
    ...SYSTEM_DIVISION_DEF,
    path: 'current/Me',
    key: 'UserID',
    type: 'Exact.Web.Api.System.Me',
    fields: ME_FIELDS,
  };
  const query = parseReadQuery(url.searchParams, meDef, 'rest', { mandatoryFiltering: false });
  const record = { ...ctx.user, LanguageCode: 'nl-NL', Legislation: 1 };
  const uri = `${ctx.baseUrl}/api/v1/current/Me(guid'${ctx.user.UserID}')`;
  return Response.json({ d: { results: [shapeRecord(record, meDef, 'rest', query.select, uri)] } });
}

async function divisionRoute(
  request: Request,
  url: URL,
  ctx: ExactRouteContext,
  division: number,
  route: string,
): Promise<Response> {
  const lower = route.toLowerCase();
  const method = request.method;
  if (lower === 'system/divisions' || lower === 'hrm/divisions') {
    if (method !== 'GET') throw methodNotAllowed(method);
    const system = lower === 'system/divisions';
    const def = system ? SYSTEM_DIVISION_DEF : HRM_DIVISION_DEF;
    const query = parseReadQuery(url.searchParams, def, 'rest', { mandatoryFiltering: false });
    const rows = ctx.store.divisions().map((code) => {
      const info = ctx.divisionInfo(code);
      return { ...info, Status: system ? 1 : 0, Current: code === ctx.user.CurrentDivision };
    });
    return list(ctx, url, def, 'rest', query, rows, division, def.path);
  }
  if (lower === 'sync/deleted') {
    if (method !== 'GET') throw methodNotAllowed(method);
    const query = parseReadQuery(url.searchParams, DELETED_DEF, 'sync', { mandatoryFiltering: false });
    const rows = ctx.store.deleted(division) as unknown as readonly ExactRecord[];
    return list(ctx, url, DELETED_DEF, 'sync', query, rows, division, 'sync/Deleted');
  }
  if (lower === 'read/sync/sync/synctimestamp') {
    if (method !== 'GET') throw methodNotAllowed(method);
    const item = syncTimestamp(ctx.store, division, url.searchParams);
    const uri = `${ctx.baseUrl}/api/v1/${division}/read/sync/Sync/SyncTimestamp`;
    return Response.json({
      d: { results: [{ __metadata: { uri, type: 'Exact.Web.Api.Models.Sync.SyncTimestamp' }, ...item }] },
    });
  }
  const syncOrBulk = /^(sync|bulk)\/(.+)$/i.exec(route);
  if (syncOrBulk) {
    const kind = syncOrBulk[1]!.toLowerCase() as ReadKind;
    const def = entityAt(kind as 'sync' | 'bulk', syncOrBulk[2]!);
    if (!def) throw notFound(`Resource not found for the segment '${syncOrBulk[2]}'.`);
    if (method !== 'GET') throw methodNotAllowed(method);
    const query = parseReadQuery(url.searchParams, def, kind, { mandatoryFiltering: ctx.mandatoryFiltering });
    const rows = kind === 'sync' ? ctx.store.all(division, def.path) : ctx.store.byKey(division, def.path);
    return list(
      ctx,
      url,
      def,
      kind,
      query,
      rows,
      division,
      `${kind === 'sync' ? 'sync' : 'bulk'}/${kind === 'sync' ? def.sync : def.bulk}`,
    );
  }
  if (/^webhooks\/WebhookSubscriptions/i.test(route)) return webhookRoute(request, url, ctx, division, route);

  const keyed = /^([A-Za-z]+\/[A-Za-z]+)(?:\(guid'([^']*)'\)(?:\/([A-Za-z]+))?)?$/.exec(route);
  const def = keyed ? entityAt('rest', keyed[1]!) : undefined;
  if (!keyed || !def) throw notFound(`Resource not found for the segment '${route.split('/').at(-1)}'.`);
  const key = keyed[2];
  const navigation = keyed[3];
  const entityUri = (id: string) => `${ctx.baseUrl}/api/v1/${division}/${def.path}(guid'${id}')`;
  if (key === undefined) {
    if (method === 'GET') {
      const query = parseReadQuery(url.searchParams, def, 'rest', {
        mandatoryFiltering: ctx.mandatoryFiltering,
      });
      return list(ctx, url, def, 'rest', query, ctx.store.byKey(division, def.path), division, def.path);
    }
    if (method === 'POST') {
      if (def.readOnlyEntity) throw badRequest(`${def.path} cannot be created on its own.`);
      const created = ctx.store.create(division, def.path, await jsonBody(request, ctx.maxBodyBytes));
      const id = created[def.key] as string;
      return Response.json(
        { d: shapeRecord(created, def, 'rest', undefined, entityUri(id)) },
        { status: 201, headers: { Location: entityUri(id) } },
      );
    }
    throw methodNotAllowed(method);
  }
  const record = ctx.store.get(division, def.path, key);
  if (navigation !== undefined) {
    if (!record || navigation !== def.lines?.property || method !== 'GET') {
      throw notFound(`Resource not found for the segment '${navigation}'.`);
    }
    const linesDef = entityAt('rest', def.lines.entity)!;
    const query = parseReadQuery(url.searchParams, linesDef, 'rest', { mandatoryFiltering: false });
    const rows = ctx.store
      .byKey(division, linesDef.path)
      .filter((line) => line[def.lines!.parentKey] === record[def.key]);
    return list(ctx, url, linesDef, 'rest', query, rows, division, linesDef.path);
  }
  if (!record) throw notFound(`Resource not found for the segment '${keyed[1]!.split('/')[1]}'.`);
  const id = record[def.key] as string;
  switch (method) {
    case 'GET': {
      const query = parseReadQuery(url.searchParams, def, 'rest', { mandatoryFiltering: false });
      return Response.json({ d: shapeRecord(record, def, 'rest', query.select, entityUri(id)) });
    }
    case 'PUT':
      if (def.readOnlyEntity) throw badRequest(`${def.path} cannot be changed on its own.`);
      ctx.store.update(division, def.path, id, await jsonBody(request, ctx.maxBodyBytes));
      return new Response(null, { status: 204 });
    case 'DELETE':
      if (def.readOnlyEntity) throw badRequest(`${def.path} cannot be deleted on its own.`);
      ctx.store.remove(division, def.path, id);
      return new Response(null, { status: 204 });
    default:
      throw methodNotAllowed(method);
  }
}

async function webhookRoute(
  request: Request,
  url: URL,
  ctx: ExactRouteContext,
  division: number,
  route: string,
): Promise<Response> {
  const key = /\(guid'([^']*)'\)$/i.exec(route)?.[1];
  const uri = (id: string) => `${ctx.baseUrl}/api/v1/${division}/webhooks/WebhookSubscriptions(guid'${id}')`;
  if (key === undefined) {
    if (request.method === 'GET') {
      const query = parseReadQuery(url.searchParams, WEBHOOK_DEF, 'rest', { mandatoryFiltering: false });
      const rows = ctx.webhooks.list(division) as unknown as ExactRecord[];
      return list(ctx, url, WEBHOOK_DEF, 'rest', query, rows, division, WEBHOOK_DEF.path);
    }
    if (request.method === 'POST') {
      const created = ctx.webhooks.subscribe(division, await jsonBody(request, ctx.maxBodyBytes));
      return Response.json(
        {
          d: shapeRecord(created as unknown as ExactRecord, WEBHOOK_DEF, 'rest', undefined, uri(created.ID)),
        },
        { status: 201 },
      );
    }
    throw methodNotAllowed(request.method);
  }
  const found = ctx.webhooks.get(division, key);
  if (!found) throw notFound("Resource not found for the segment 'WebhookSubscriptions'.");
  if (request.method === 'GET') {
    return Response.json({
      d: shapeRecord(found as unknown as ExactRecord, WEBHOOK_DEF, 'rest', undefined, uri(found.ID)),
    });
  }
  if (request.method === 'DELETE') {
    ctx.webhooks.remove(division, key);
    return new Response(null, { status: 204 });
  }
  throw methodNotAllowed(request.method);
}

function list(
  ctx: ExactRouteContext,
  url: URL,
  def: EntityDef,
  kind: ReadKind,
  query: ReturnType<typeof parseReadQuery>,
  ordered: readonly ExactRecord[],
  division: number,
  path: string,
): Response {
  const page = selectPage(query.orderBy ? orderRecords(ordered, query.orderBy) : ordered, def, kind, query);
  const entityUri = (record: ExactRecord) =>
    `${ctx.baseUrl}/api/v1/${division}/${path}(${typeof record[def.key] === 'number' ? record[def.key] : `guid'${record[def.key] as string}'`})`;
  const d: Record<string, unknown> = {
    ...(page.count === undefined ? {} : { __count: String(page.count) }),
    results: page.rows.map((record) => shapeRecord(record, def, kind, query.select, entityUri(record))),
  };
  if (page.nextToken !== undefined) {
    // The caller's query text kept as sent, `$skiptoken` unencoded as Exact writes it (`$skiptoken=guid'…'`).
    const kept = url.search
      .slice(1)
      .split('&')
      .filter((part) => part !== '' && !/^(?:\$|%24)(?:skiptoken|top)=/i.test(part));
    const top = page.nextTop === undefined ? [] : [`$top=${page.nextTop}`];
    const token = `$skiptoken=${encodeURI(page.nextToken).replaceAll('&', '%26').replaceAll('#', '%23').replaceAll('+', '%2B')}`;
    d.__next = `${ctx.baseUrl}${url.pathname}?${[...kept, ...top, token].join('&')}`;
  }
  return Response.json({ d });
}

async function jsonBody(request: Request, maxBodyBytes: number): Promise<Record<string, unknown>> {
  const text = await readBodyText(request, maxBodyBytes);
  if (text === undefined) throw new ExactError(413, 'The request body is too large.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('Error processing request stream. The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('Error processing request stream. A JSON object was expected.');
  }
  return parsed as Record<string, unknown>;
}

function methodNotAllowed(method: string): ExactError {
  return new ExactError(405, `The method ${method} is not allowed here.`);
}
