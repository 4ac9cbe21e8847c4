import { describe, expect, it } from 'vitest';
import { hostileValues, thrownBy } from '../../test-support/hostile-values.ts';
import { createWindowRateLimiter } from '../kit/rate-limiter.ts';
import { createTwentyHandler, twentyRouteKey } from './routes.ts';
import { createTwentyStore } from './store.ts';

const KEY = 'secret';
const BASE = 'http://twenty.test';

function setup(
  rateLimit?: { limit: number; windowMs: number },
  now = () => Date.parse('2025-03-01T12:00:00Z'),
) {
  const store = createTwentyStore();
  const handler = createTwentyHandler({
    store,
    apiKey: KEY,
    apiKeyId: '00000000-0000-4000-8000-0000000000aa',
    apiKeyName: 'Routes test',
    bounds: { defaultLimit: 60, maxLimit: 200 },
    batchLimit: 60,
    rateLimiter: rateLimit ? createWindowRateLimiter({ ...rateLimit, now }) : undefined,
    rateLimit,
    metadataFormat: 'current',
  });
  async function call(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ) {
    const reply = await handler(
      new Request(`${BASE}${path}`, {
        method,
        headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', ...init.headers },
        body: init.body,
      }),
    );
    if ('kind' in reply) throw new Error(reply.kind);
    // biome-ignore lint/suspicious/noExplicitAny: wire bodies are inspected freely in assertions
    return { status: reply.status, headers: reply.headers, body: (await reply.json()) as any };
  }
  return { store, call };
}

describe('createTwentyHandler', () => {
  it('answers Nest 404s outside /rest and for unknown methods', async () => {
    const { call } = setup();
    expect(await call('GET', '/graphql')).toMatchObject({
      status: 404,
      body: { message: 'Cannot GET /graphql', error: 'Not Found', statusCode: 404 },
    });
    expect((await call('OPTIONS', '/rest/people')).status).toBe(404);
  });

  it('guards with the API key: 403 without a token, 401 with a wrong one', async () => {
    const { call } = setup();
    expect((await call('GET', '/rest/people', { headers: { Authorization: '' } })).body).toEqual({
      statusCode: 403,
      error: 'FORBIDDEN_EXCEPTION',
      messages: ['Missing authentication token'],
    });
    expect((await call('GET', '/rest/people', { headers: { Authorization: 'Bearer  ' } })).status).toBe(403);
    expect(
      (await call('GET', '/rest/metadata/objects', { headers: { Authorization: 'Bearer x' } })).body,
    ).toEqual({
      statusCode: 401,
      error: 'UNAUTHENTICATED',
      messages: ['Token invalid.'],
    });
    expect((await call('GET', '/rest/people', { headers: { Authorization: `bearer ${KEY}` } })).status).toBe(
      200,
    );
  });

  it('parses core paths as parse-core-path does', async () => {
    const { call } = setup();
    const invalid =
      "Query path '/rest/people/a/b' invalid. Valid examples: /rest/companies/id or /rest/companies or /rest/batch/companies";
    expect((await call('GET', '/rest/people/a/b')).body.messages).toEqual([invalid]);
    expect((await call('GET', '/rest')).status).toBe(400);
    expect((await call('GET', '/rest/people/not-a-uuid')).body.messages).toEqual([
      "'not-a-uuid' is not a valid UUID",
    ]);
    // GET through the batch prefix reads the list, as in Twenty.
    expect((await call('GET', '/rest/batch/people')).body.data.people).toEqual([]);
    expect((await call('GET', '/rest/people/groupBy')).status).toBe(501);
    expect((await call('PATCH', '/rest/people')).status).toBe(501);
  });

  it('decodes each segment after splitting: an encoded id never selects another route', async () => {
    const { store, call } = setup();
    const created = await call('POST', '/rest/people', { body: '{"city":"Paris"}' });
    const id: string = created.body.data.createPerson.id;
    const notUuid = (value: string) => [`'${value}' is not a valid UUID`];
    // An encoded slash stays inside the id: not /rest/people/<id>/restore, not /rest/people/a/b.
    expect((await call('GET', `/rest/people/${id}%2Frestore`)).body.messages).toEqual(
      notUuid(`${id}/restore`),
    );
    expect((await call('DELETE', '/rest/people/a%2Fb')).body.messages).toEqual(notUuid('a/b'));
    // %2F in the object name is not the batch route, nor is %2F in the metadata prefix a metadata route.
    expect((await call('POST', '/rest/batch%2Fpeople', { body: '[{}]' })).status).toBe(400);
    expect((await call('GET', '/rest/metadata%2Fobjects')).status).toBe(400);
    // Encoded query and fragment characters are part of the id, not a query.
    expect((await call('GET', '/rest/people/x%3Flimit%3D1')).body.messages).toEqual(notUuid('x?limit=1'));
    expect((await call('GET', '/rest/people/x%23y')).body.messages).toEqual(notUuid('x#y'));
    // A percent-encoded UUID is that UUID, as Express decodes route parameters.
    const encoded = [...id].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    expect((await call('GET', `/rest/people/${encoded}`)).body.data.person.id).toBe(id);
    // Malformed escapes and empty segments are invalid paths, never skipped.
    expect((await call('DELETE', '/rest/people/%zz')).status).toBe(400);
    expect((await call('DELETE', `/rest/people//${id}`)).status).toBe(400);
    expect((await call('DELETE', `/rest//people/${id}`)).status).toBe(400);
    // The one record is still there: nothing above reached its delete.
    expect(store.count('people')).toBe(1);
    // One trailing slash is tolerated, as Express's non-strict routing does.
    expect((await call('GET', '/rest/people/')).body.data.people).toHaveLength(1);
  });

  it('reads JSON bodies only for JSON content types, and refuses malformed JSON', async () => {
    const { call } = setup();
    const asText = await call('POST', '/rest/batch/people', {
      body: '[{}]',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(asText.body.messages).toEqual(['Body must be an array']);
    const malformed = await call('POST', '/rest/people', { body: '{"city":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('BadRequestException');
    expect((await call('POST', '/rest/people', { body: '"x"' })).status).toBe(400);
    // An empty JSON body is {}: an empty record.
    expect((await call('POST', '/rest/people', { body: '' })).status).toBe(201);
  });

  it('counts record requests against the rate limit after parsing, and answers Twenty 429s', async () => {
    const { call } = setup({ limit: 2, windowMs: 30_000 });
    expect((await call('GET', '/rest/people?limit=abc')).status).toBe(400);
    expect((await call('GET', '/rest/persons')).status).toBe(400);
    expect((await call('GET', '/rest/people')).status).toBe(200);
    expect((await call('GET', '/rest/metadata/objects')).status).toBe(200);
    expect((await call('GET', '/rest/people')).status).toBe(200);
    const denied = await call('POST', '/rest/people', { body: '{}' });
    expect(denied.status).toBe(429);
    expect(Object.fromEntries(denied.headers)).toMatchObject({
      'retry-after': '30',
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil((Date.parse('2025-03-01T12:00:00Z') + 30_000) / 1000)),
    });
    expect(denied.body).toEqual({
      statusCode: 429,
      error: 'RATE_LIMITED',
      messages: ['Rate limit exceeded for apiKey: 2 requests per 30s.'],
      limitKind: 'speed',
      exhaustedKind: 'limit',
      scope: {
        spenderType: 'apiKey',
        spenderId: '00000000-0000-4000-8000-0000000000aa',
        operationType: 'API_REQUEST',
      },
      limit: 2,
      remaining: 0,
      periodCount: 30,
      periodUnit: 'second',
      retryAfterSeconds: 30,
    });
  });

  it('opens a new window once the old one ends', async () => {
    let clock = 0;
    const { call } = setup({ limit: 1, windowMs: 1_000 }, () => clock);
    expect((await call('GET', '/rest/people')).status).toBe(200);
    expect((await call('GET', '/rest/people')).status).toBe(429);
    clock = 1_000;
    expect((await call('GET', '/rest/people')).status).toBe(200);
  });
});

describe('twentyRouteKey', () => {
  it('replaces ids with :id', () => {
    const id = '20202020-ef5a-4822-9e08-cf6e4a4dcd6b';
    expect(twentyRouteKey(new Request(`${BASE}/rest/people/${id}?depth=1`, { method: 'PATCH' }))).toBe(
      'PATCH /rest/people/:id',
    );
    expect(twentyRouteKey(new Request(`${BASE}/rest/batch/people`, { method: 'POST' }))).toBe(
      'POST /rest/batch/people',
    );
    const encoded = [...id].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    expect(twentyRouteKey(new Request(`${BASE}/rest/people/${encoded}`))).toBe('GET /rest/people/:id');
    expect(twentyRouteKey(new Request(`${BASE}/rest/people/%zz`))).toBe('GET /rest/people/%zz');
  });
});

describe('twentyRouteKey with hostile input', () => {
  it.each([...hostileValues(), ['a look-alike request', { method: 'GET', url: `${BASE}/rest/people` }]])(
    'refuses %s with an EmulatorConfigError naming request',
    (_, value) => {
      expect(thrownBy(() => twentyRouteKey(value as Request))).toMatchObject({
        code: 'CONFIG_ERROR',
        field: 'request',
      });
    },
  );
});
