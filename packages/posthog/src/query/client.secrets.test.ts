// The personal API key × every way out of the client (the result's error in every rendering, hooks, the logger,
// the client object itself): a key PostHog echoes back in any body never reaches any of them.
import { inspect } from 'node:util';
import { type IntegrationError, type LogFields, Secret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { json, recordingFetch, type SeenRequest, TEST_HOST } from '../../test-support/query-fetch.ts';
import { createPostHogClient } from './client.ts';

const KEY = 'phx_secret_9f8e7d6c5b4a3928170655aa';

function renderings(error: IntegrationError): string {
  const cause =
    error.cause instanceof Error ? `${error.cause.message}\n${error.cause.stack}` : String(error.cause);
  return [
    error.message,
    String(error),
    error.stack,
    JSON.stringify(error),
    JSON.stringify(error.toJSON()),
    inspect(error, { depth: 10, showHidden: true }),
    cause,
    error.path,
    error.requestId,
    JSON.stringify(error.issues),
  ].join('\n');
}

// Every exit of a client, captured.
function exits() {
  const seen: unknown[] = [];
  const errors: IntegrationError[] = [];
  const log = (level: string) => (message: string, fields?: LogFields) =>
    void seen.push({ level, message, fields });
  return {
    hooks: {
      beforeRequest: ({ url, headers }: { url: string; headers: Headers }) =>
        void seen.push({ beforeRequest: url, headers: [...headers] }),
      afterResponse: (event: unknown) => void seen.push({ afterResponse: event }),
      beforeRetry: (event: { error: IntegrationError }) => {
        seen.push({ beforeRetry: { ...event, error: undefined } });
        errors.push(event.error);
      },
      onError: (error: IntegrationError) => void errors.push(error),
    },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    text: () => [JSON.stringify(seen), ...errors.map(renderings)].join('\n'),
  };
}

// What a careless server sends back: the Authorization header it received, in every body PostHog answers.
const echo = (request: SeenRequest) => request.headers.get('authorization') ?? '';
const answers: [string, (request: SeenRequest, index: number) => Response][] = [
  [
    'a HogQL validation error',
    (r) => json({ type: 'validation_error', code: 'x', detail: `bad ${echo(r)}`, attr: echo(r) }, 400),
  ],
  ['a 401', (r) => json({ type: 'authentication_error', detail: `Invalid key ${echo(r)}` }, 401)],
  [
    'a throttled body, retried',
    (r, i) =>
      i === 0
        ? json(
            {
              type: 'throttled_error',
              detail: `Request was throttled (${echo(r)}). Expected available in 0.01 seconds.`,
            },
            429,
          )
        : json({ detail: echo(r) }, 503),
  ],
  [
    'a plain-text 500',
    (r) => new Response(`crash ${echo(r)} ${encodeURIComponent(echo(r))}`, { status: 500 }),
  ],
  [
    'a failed async query (400 poll)',
    (r) =>
      r.method === 'POST'
        ? json({ query_status: { id: 'q', complete: false } }, 202)
        : json(
            {
              query_status: { id: 'q', complete: true, error: true, error_message: `failed for ${echo(r)}` },
            },
            400,
          ),
  ],
  [
    'a failed query in a 2xx body',
    (r) =>
      json(
        { query_status: { id: 'q', complete: true, error: true, error_message: `failed for ${echo(r)}` } },
        202,
      ),
  ],
  ['a malformed success', (r) => json({ results: echo(r) })],
];

describe('the personal API key never leaves the client', () => {
  it.each(answers)('through %s', async (_, respond) => {
    for (const key of [KEY, new Secret(KEY)]) {
      const out = exits();
      const { fetch } = recordingFetch(respond);
      const client = createPostHogClient({
        host: TEST_HOST,
        personalApiKey: key,
        projectId: 42,
        fetch,
        hooks: out.hooks,
        logger: out.logger,
        retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1_500 },
        poll: { initialDelayMs: 1 },
      });
      const result = await client.hogql('select 1');
      expect(result.success).toBe(false);
      const text = [out.text(), result.success ? '' : renderings(result.error)].join('\n');
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(encodeURIComponent(KEY));
      // The hooks heard of the call: the capture did see something.
      expect(text).toContain('/api/projects/42/query/');
    }
  });

  it('is not in the client object, however it is printed', () => {
    const client = createPostHogClient({ personalApiKey: KEY, projectId: 42 });
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(KEY);
    expect(JSON.stringify(client)).not.toContain(KEY);
    expect(String(Object.values(client))).not.toContain(KEY);
  });

  it('is not quoted by a configuration error', () => {
    let caught: unknown;
    try {
      createPostHogClient({ personalApiKey: KEY, projectId: KEY, host: KEY });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'CONFIG_ERROR' });
    expect(renderings(caught as IntegrationError)).not.toContain(KEY);
  });
});
