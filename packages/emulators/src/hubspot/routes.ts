// The emulated server's front: authentication, the rate limits, path dispatch, body parsing and the error shape.
// Order as HubSpot answers: a request without valid credentials is a 401 before anything else (and uses no budget),
// then the limits (a 429 before the route is looked at), then the route, its scopes and its own checks.

import { readBodyText } from '../kit/body.ts';
import { readRequest } from '../kit/route-key.ts';
import type { EmulatorHandler } from '../kit/types.ts';
import type { HubSpotAccount } from './account.ts';
import {
  associateDefault,
  associateLabeled,
  associationsBatchArchive,
  associationsBatchCreate,
  associationsBatchDefault,
  associationsBatchRead,
  createLabel,
  listAssociations,
  listLabels,
  removeAssociation,
} from './association-routes.ts';
import { authenticate, requireScopes, scopesFor, type TokenVerdict } from './auth.ts';
import { batchArchive, batchCreate, batchRead, batchUpdate, batchUpsert } from './batch.ts';
import { HubSpotError, noRoute, validationError } from './errors.ts';
import { archiveOne, createOne, getOne, listRecords, updateOne } from './objects.ts';
import { type HubSpotPath, hubspotPathKey, parseHubSpotPath } from './paths.ts';
import { parsePropertyPath, propertyRoute } from './property-routes.ts';
import type { HubSpotRateLimiter } from './rate-limit.ts';
import { searchRecords } from './search.ts';

/** Options of {@link createHubSpotHandler}. */
export interface HubSpotHandlerOptions {
  account: HubSpotAccount;
  /** Whether the account accepts a Bearer token (`'expired'`: an OAuth token past its expiry). */
  accepts: (token: string) => TokenVerdict;
  /** The key the limits count a token under (one account's OAuth tokens share its limits). Default the token. */
  limitKey?: (token: string) => string;
  /** When set, the scopes the tokens hold (a call needing another is a 403 `MISSING_SCOPES`). */
  scopes?: ReadonlySet<string>;
  limiter: HubSpotRateLimiter;
  maxBodyBytes: number;
  /** A fresh correlation id per answer. */
  correlationId: () => string;
}

async function readJson(request: Request, maxBodyBytes: number): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'DELETE') return undefined;
  const text = await readBodyText(request, maxBodyBytes);
  if (text === undefined) return new HubSpotError(413, 'VALIDATION_ERROR', 'Request entity too large');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return validationError(`Invalid input JSON: ${error instanceof Error ? error.message : 'unparseable'}`);
  }
}

function isWrite(path: HubSpotPath, method: string): boolean {
  if (path.kind === 'search') return false;
  if (path.kind === 'batch') return path.op !== 'read';
  if (path.kind === 'association-batch') return path.op !== 'read';
  if (path.kind === 'association-labels') return method !== 'GET';
  return method !== 'GET';
}

function dispatch(
  account: HubSpotAccount,
  path: HubSpotPath,
  method: string,
  url: URL,
  body: unknown,
): Response {
  const def = account.schema.resolve(path.type);
  const params = url.searchParams;
  const expect = (...methods: string[]) => {
    if (!methods.includes(method)) throw noRoute(method, url.pathname);
  };
  switch (path.kind) {
    case 'list':
    case 'create':
      expect('GET', 'POST');
      return method === 'GET' ? listRecords(account, def, url) : createOne(account, def, body);
    case 'search':
      expect('POST');
      return searchRecords(account, def, body);
    case 'batch':
      expect('POST');
      switch (path.op) {
        case 'read':
          return batchRead(account, def, body, params);
        case 'create':
          return batchCreate(account, def, body);
        case 'update':
          return batchUpdate(account, def, body);
        case 'upsert':
          return batchUpsert(account, def, body);
        case 'archive':
          return batchArchive(account, def, body);
      }
      break;
    case 'record':
      expect('GET', 'PATCH', 'DELETE');
      if (method === 'GET') return getOne(account, def, path.id, params);
      if (method === 'PATCH') return updateOne(account, def, path.id, params, body);
      return archiveOne(account, def, path.id);
    case 'association-default':
      expect('PUT');
      return associateDefault(account, def, path.id, account.schema.resolve(path.toType), path.toId);
    case 'association-list':
      expect('GET');
      return listAssociations(account, def, path.id, account.schema.resolve(path.toType));
    case 'association-pair': {
      expect('PUT', 'DELETE');
      const to = account.schema.resolve(path.toType);
      return method === 'PUT'
        ? associateLabeled(account, def, path.id, to, path.toId, body)
        : removeAssociation(account, def, path.id, to, path.toId);
    }
    case 'association-batch': {
      expect('POST');
      const to = account.schema.resolve(path.toType);
      if (path.op === 'create') return associationsBatchCreate(account, def, to, body);
      if (path.op === 'read') return associationsBatchRead(account, def, to, body);
      if (path.op === 'archive') return associationsBatchArchive(account, def, to, body);
      return associationsBatchDefault(account, def, to, body);
    }
    case 'association-labels': {
      expect('GET', 'POST');
      const to = account.schema.resolve(path.toType);
      return method === 'GET' ? listLabels(account, def, to) : createLabel(account, def, to, body);
    }
  }
  throw noRoute(method, url.pathname);
}

function withHeaders(response: Response, headers: Record<string, string>, correlationId: string): Response {
  const merged = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  if (!merged.has('X-HubSpot-Correlation-Id')) merged.set('X-HubSpot-Correlation-Id', correlationId);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: merged,
  });
}

/** The HubSpot CRM as one fetch-style handler (without faults and counters: the emulator adds those). */
export function createHubSpotHandler(options: HubSpotHandlerOptions): EmulatorHandler {
  const { account, accepts, scopes, limiter, maxBodyBytes } = options;
  const limitKey = options.limitKey ?? ((token: string) => token);
  return async (request) => {
    const correlationId = options.correlationId();
    let rateHeaders: Record<string, string> = {};
    try {
      const { method, url: href } = readRequest(request);
      const url = new URL(href);
      const key = limitKey(authenticate(request, accepts));
      const path = parseHubSpotPath(url.pathname);
      const verdict = path?.kind === 'search' ? limiter.takeSearch(key) : limiter.take(key);
      if (!verdict.allowed) throw verdict.error;
      rateHeaders = verdict.headers;
      const propertyPath = path ? undefined : parsePropertyPath(url.pathname);
      if (!path && !propertyPath) throw noRoute(method, url.pathname);
      const body = await readJson(request, maxBodyBytes);
      if (body instanceof HubSpotError) throw body;
      if (propertyPath) {
        const answer = propertyRoute(account, propertyPath, method, url.pathname, body, scopes);
        return withHeaders(answer, rateHeaders, correlationId);
      }
      if (!path) throw noRoute(method, url.pathname);
      const def = account.schema.resolve(path.type);
      requireScopes(scopes, scopesFor(def, isWrite(path, method) ? 'write' : 'read'));
      return withHeaders(dispatch(account, path, method, url, body), rateHeaders, correlationId);
    } catch (error) {
      if (error instanceof HubSpotError) {
        return withHeaders(error.toResponse(correlationId), rateHeaders, correlationId);
      }
      throw error;
    }
  };
}

/**
 * The route key of a HubSpot request for faults and counters: method and path, record ids as `:id`, e.g.
 * `PATCH /crm/objects/2026-03/contacts/:id` or `POST /crm/v3/objects/contacts/batch/upsert`.
 */
export function hubspotRouteKey(request: Request): string {
  const { method, url } = readRequest(request);
  return hubspotPathKey(method, new URL(url).pathname);
}
