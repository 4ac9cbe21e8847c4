// A small stand-in for Exact Online's API and token endpoint, with Exact's real shapes (OData v2 `d.results` and
// `__next` with `$skiptoken=guid'…'`, `/Date(ms)/`, padded codes, Int64 strings, OData error bodies, rate-limit
// headers in epoch ms, single-use refresh tokens), for the client's unit tests until the emulator lands.
import { Secret } from '@patchbay/core';
import type { OAuth2TokenSet } from '@patchbay/core/oauth';

export const BASE = 'https://start.exactonline.nl';

export interface FakeRequest {
  method: string;
  url: URL;
  authorization: string | null;
  accept: string | null;
  body: string;
}

type Handler = (request: FakeRequest) => Response | undefined | Promise<Response | undefined>;

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

export const odataError = (status: number, value: string, headers: Record<string, string> = {}) =>
  json({ error: { code: '', message: { lang: '', value } } }, status, headers);

const guidOf = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** An account as Exact answers it: `/Date(ms)/` dates (Amsterdam wall clock), a right-aligned code. */
export const accountRecord = (n: number, division: number) => ({
  __metadata: {
    uri: `${BASE}/api/v1/${division}/crm/Accounts(guid'${guidOf(n)}')`,
    type: 'Exact.Web.Api.Models.Account',
  },
  ID: guidOf(n),
  Code: String(n).padStart(18, ' '),
  Name: `Account ${n}`,
  Email: `a${n}@example.test`,
  Status: 'C',
  IsSupplier: false,
  Blocked: false,
  Division: division,
  Created: `/Date(${Date.UTC(2026, 0, 15, 10)})/`,
  Modified: `/Date(${Date.UTC(2026, 6, 15, 10)})/`,
  Timestamp: String(9_007_199_254_740_993n + BigInt(n)),
});

export interface FakeExactOptions {
  division?: number;
  accounts?: number;
  /** Access token accepted at first. */
  accessToken?: string;
  /** Refresh token accepted at first. */
  refreshToken?: string;
  now?: () => number;
}

export function createFakeExact(options: FakeExactOptions = {}) {
  const division = options.division ?? 123456;
  const now = options.now ?? (() => Date.now());
  const accounts = Array.from({ length: options.accounts ?? 130 }, (_, i) => i + 1);
  const requests: FakeRequest[] = [];
  const scripts: { match: (request: FakeRequest) => boolean; handler: Handler }[] = [];
  let accessToken = options.accessToken ?? 'access-0';
  let refreshToken = options.refreshToken ?? 'refresh-0';
  let rotations = 0;
  const tokenCalls: string[] = [];

  const limitHeaders = () => ({
    'X-RateLimit-Minutely-Limit': '60',
    'X-RateLimit-Minutely-Remaining': '59',
    'X-RateLimit-Minutely-Reset': String(now() + 60_000),
    'X-RateLimit-Limit': '5000',
    'X-RateLimit-Remaining': '4999',
    'X-RateLimit-Reset': String(now() + 86_400_000),
  });

  function page(url: URL, items: number[], size: number, render: (n: number) => Record<string, unknown>) {
    const skip = url.searchParams.get('$skiptoken');
    const token = /([0-9a-f]{12})'$/.exec(skip ?? '');
    const start = token?.[1] ? Number.parseInt(token[1], 16) : 0;
    const top = url.searchParams.get('$top');
    const rest = items.filter((n) => n > start);
    const slice = rest.slice(0, Math.min(size, top === null ? size : Number(top)));
    const select = url.searchParams.get('$select')?.split(',');
    const results = slice.map((n) => {
      const record = render(n);
      return select
        ? Object.fromEntries(Object.entries(record).filter(([key]) => select.includes(key)))
        : record;
    });
    const last = slice.at(-1);
    const more = top === null && last !== undefined && rest.length > slice.length;
    let next: string | undefined;
    if (more) {
      const nextUrl = new URL(url);
      nextUrl.searchParams.delete('$skiptoken');
      next = `${nextUrl.href}${nextUrl.search ? '&' : '?'}$skiptoken=guid'${guidOf(last)}'`;
    }
    return json({ d: { results, ...(next ? { __next: next } : {}) } }, 200, limitHeaders());
  }

  function filterOf(url: URL): number[] {
    const filter = url.searchParams.get('$filter');
    const id = filter && /^ID eq guid'([0-9a-f-]{36})'$/.exec(filter);
    if (id) return accounts.filter((n) => guidOf(n) === id[1]);
    return accounts;
  }

  async function handle(request: FakeRequest): Promise<Response> {
    for (const script of scripts) {
      if (script.match(request)) {
        const answer = await script.handler(request);
        if (answer) return answer;
      }
    }
    const path = request.url.pathname;
    if (path === '/api/oauth2/token') {
      const form = new URLSearchParams(request.body);
      tokenCalls.push(form.get('grant_type') ?? '');
      if (form.get('refresh_token') !== refreshToken) {
        return json({ error: 'unauthorized_client', error_description: 'Old refresh token used.' }, 401);
      }
      rotations++;
      accessToken = `access-${rotations}`;
      refreshToken = `refresh-${rotations}`;
      return json({
        access_token: accessToken,
        token_type: 'bearer',
        expires_in: '600',
        refresh_token: refreshToken,
      });
    }
    if (request.authorization !== `Bearer ${accessToken}`) {
      return odataError(401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
    }
    if (path === '/api/v1/current/Me') {
      return json({ d: { results: [{ __metadata: {}, CurrentDivision: division }] } }, 200, limitHeaders());
    }
    const match = /^\/api\/v1\/(\d+)\/(.+)$/.exec(path);
    if (!match) return odataError(404, 'Not found');
    const [, div, rest] = match;
    const number = Number(div);
    if (rest === 'crm/Accounts')
      return page(request.url, filterOf(request.url), 60, (n) => accountRecord(n, number));
    if (rest === 'bulk/CRM/Accounts') {
      if (!request.url.searchParams.get('$select')) return odataError(400, '$select is mandatory');
      return page(request.url, accounts, 1000, (n) => accountRecord(n, number));
    }
    if (rest === 'crm/Contacts') return page(request.url, [], 60, () => ({}));
    if (rest === 'system/Divisions') {
      return page(request.url, [1, 2], 60, (n) => ({
        Code: n === 1 ? division : division + 1,
        Description: `Division ${n}`,
        Hid: String(1000 + n),
        Current: n === 1,
      }));
    }
    return odataError(404, 'Resource not found');
  }

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const recorded: FakeRequest = {
      method: request.method,
      url: new URL(request.url),
      authorization: request.headers.get('authorization'),
      accept: request.headers.get('accept'),
      body: request.method === 'GET' ? '' : await request.clone().text(),
    };
    requests.push(recorded);
    return handle(recorded);
  };

  return {
    fetch,
    requests,
    tokenCalls,
    division,
    guidOf,
    get accessToken() {
      return accessToken;
    },
    get refreshToken() {
      return refreshToken;
    },
    script(match: string | ((request: FakeRequest) => boolean), handler: Handler) {
      scripts.unshift({
        match: typeof match === 'string' ? (request) => request.url.pathname.endsWith(match) : match,
        handler,
      });
    },
    /** API requests (not the token endpoint). */
    apiRequests: () => requests.filter((request) => request.url.pathname.startsWith('/api/v1/')),
  };
}

/** A stored token set expiring `inMs` from `now`. */
export function tokenSet(access: string, refresh: string, expiresAt: number): OAuth2TokenSet {
  return {
    accessToken: new Secret(access),
    tokenType: 'bearer',
    expiresAt,
    refreshToken: new Secret(refresh),
    scope: null,
    obtainedAt: expiresAt - 600_000,
  };
}
