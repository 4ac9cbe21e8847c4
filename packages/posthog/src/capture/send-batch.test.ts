import { gunzipSync } from 'node:zlib';
import { createHttpClient } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { sendBatch } from './send-batch.ts';

function client(answer: (request: Request, body: string) => Response | Promise<Response>) {
  return createHttpClient({
    baseUrl: 'https://us.i.posthog.com',
    retry: false,
    idempotency: false,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const raw = new Uint8Array(await request.clone().arrayBuffer());
      const body =
        request.headers.get('content-encoding') === 'gzip'
          ? gunzipSync(raw).toString('utf8')
          : new TextDecoder().decode(raw);
      return answer(request, body);
    },
  });
}

const send = (http: ReturnType<typeof client>, gzip = true) =>
  sendBatch(http, {
    projectApiKey: 'phc_key',
    payloads: ['{"event":"a","distinct_id":"1"}', '{"event":"b","distinct_id":"2"}'],
    now: Date.UTC(2026, 11, 7),
    gzip,
  });

describe('sendBatch', () => {
  it('posts { api_key, sent_at, batch } to /batch/, gzipped, joining the stored payloads as they are', async () => {
    let seen: { url: string; body: unknown; encoding: string | null } | undefined;
    const outcome = await send(
      client((request, body) => {
        seen = {
          url: request.url,
          body: JSON.parse(body),
          encoding: request.headers.get('content-encoding'),
        };
        return Response.json({ status: 'Ok' });
      }),
    );
    expect(outcome).toEqual({ kind: 'sent' });
    expect(seen).toEqual({
      url: 'https://us.i.posthog.com/batch/',
      encoding: 'gzip',
      body: {
        api_key: 'phc_key',
        sent_at: '2026-12-07T00:00:00.000Z',
        batch: [
          { event: 'a', distinct_id: '1' },
          { event: 'b', distinct_id: '2' },
        ],
      },
    });
  });

  it('takes any 2xx as success, whatever its body says (older servers answer {"status":1})', async () => {
    expect(
      await send(
        client(() => Response.json({ status: 1 })),
        false,
      ),
    ).toEqual({ kind: 'sent' });
    expect(
      await send(
        client(() => new Response('not json')),
        false,
      ),
    ).toEqual({ kind: 'sent' });
  });

  it('classifies refusals, auth failures and retryable answers', async () => {
    const kind = async (response: () => Response) => (await send(client(response))).kind;
    expect(await kind(() => new Response('bad', { status: 400 }))).toBe('refused');
    expect(
      await kind(() => Response.json({ status: 413, code: 'event_too_big', error: 'x' }, { status: 413 })),
    ).toBe('refused');
    expect(await kind(() => new Response('API key is not valid', { status: 401 }))).toBe('auth');
    expect(await kind(() => Response.json({ code: 'invalid_token' }, { status: 403 }))).toBe('auth');
    expect(await kind(() => new Response('down', { status: 503 }))).toBe('retry');
    expect(await kind(() => new Response('nope', { status: 404 }))).toBe('retry');
    const limited = await send(
      client(() => new Response('slow down', { status: 429, headers: { 'Retry-After': '7' } })),
    );
    expect(limited).toMatchObject({ kind: 'retry', delayMs: 7_000 });
  });

  it('keeps the key out of the error when the server echoes it', async () => {
    const outcome = await send(client(() => new Response('API key phc_key is not valid', { status: 401 })));
    if (outcome.kind === 'sent') throw new Error('expected a refusal');
    expect(outcome.kind).toBe('auth');
    expect(`${outcome.error.message} ${outcome.error.stack} ${JSON.stringify(outcome.error)}`).not.toContain(
      'phc_key',
    );
  });

  it('treats a network failure as retryable', async () => {
    const outcome = await send(
      client(() => {
        throw new TypeError('fetch failed');
      }),
    );
    expect(outcome.kind).toBe('retry');
  });
});
