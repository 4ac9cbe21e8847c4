// What the reading client's tests share: a fetch that records every request and answers as the test says, and a
// client on it with quick retries and polls. (The msw tests write their handlers out instead.)
import { createPostHogClient, type PostHogClient } from '../src/query/client.ts';
import type { PostHogClientOptions } from '../src/query/client-options.ts';

/** A request as the fake server saw it. */
export interface SeenRequest {
  method: string;
  /** Path and query, e.g. `/api/projects/42/query/`. */
  path: string;
  url: string;
  headers: Headers;
  /** The JSON body, parsed (undefined when there is none). */
  body: Record<string, unknown> | undefined;
  /** `Date.now()` when it arrived (fake timers make it the fake clock). */
  at: number;
}

/** The personal API key every test client sends. */
export const TEST_KEY = 'phx_test_personal_key_5f0c2a9e7b';
/** The host every test client reads from. */
export const TEST_HOST = 'https://posthog.example.test';
/** The project every test client reads. */
export const TEST_PROJECT = 42;
/** The query endpoint of the test project. */
export const QUERY_PATH = `/api/projects/${TEST_PROJECT}/query/`;

/** A JSON response. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });

/**
 * A fetch that records each request and answers with `respond` (a thrown error is a network failure).
 * @example const { fetch, seen } = recordingFetch((request) => json({ results: [[1]] }));
 */
export function recordingFetch(
  respond: (request: SeenRequest, index: number) => Response | Promise<Response>,
): {
  fetch: typeof fetch;
  seen: SeenRequest[];
} {
  const seen: SeenRequest[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const text = request.body ? await request.text() : '';
    const url = new URL(request.url);
    const entry: SeenRequest = {
      method: request.method,
      path: `${url.pathname}${url.search}`,
      url: request.url,
      headers: request.headers,
      body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
      at: Date.now(),
    };
    seen.push(entry);
    const signal = init?.signal ?? request.signal;
    const answer = respond(entry, seen.length - 1);
    // An answer that never comes still ends when the client gives up (its timeout, the caller's abort).
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      Promise.resolve(answer).then(resolve, reject);
    });
  };
  return { fetch: fetchImpl as typeof fetch, seen };
}

/** A client on {@link recordingFetch}: the test host, key and project, retries and polls a millisecond apart. */
export function testClient(
  respond: (request: SeenRequest, index: number) => Response | Promise<Response>,
  options: Partial<PostHogClientOptions> = {},
): { client: PostHogClient; seen: SeenRequest[]; queries: () => SeenRequest[] } {
  const { fetch, seen } = recordingFetch(respond);
  const client = createPostHogClient({
    host: TEST_HOST,
    personalApiKey: TEST_KEY,
    projectId: TEST_PROJECT,
    retry: { retries: 2, initialDelayMs: 1, maxDelayMs: 4 },
    poll: { initialDelayMs: 1, maxDelayMs: 4 },
    fetch,
    ...options,
  });
  return { client, seen, queries: () => seen.filter((r) => r.method === 'POST' && r.path === QUERY_PATH) };
}

/** A HogQL answer with these rows. */
export const hogqlAnswer = (
  rows: unknown[][],
  columns: string[] = rows[0]?.map((_, i) => `c${i}`) ?? [],
) => ({
  results: rows,
  columns,
  types: columns.map((name) => [name, 'String']),
  hasMore: false,
});

/** The query node a request sent (its `query` field), for assertions; throws when it sent none. */
export function sentQuery(request: SeenRequest | undefined): Record<string, unknown> & {
  query: string;
  values: Record<string, unknown>;
} {
  const query = request?.body?.query;
  if (typeof query !== 'object' || query === null) throw new Error('no query node was sent');
  return query as Record<string, unknown> & { query: string; values: Record<string, unknown> };
}
