// readCurrentDivision and isDivision on their own (the request sent, both answer shapes, malformed answers), and the
// client's default division: read once even when asked concurrently, a failed read shared by the callers waiting
// on it but not kept, and no `current/Me` read when a division is given.
import { createHttpClient, ok, toSecret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createExactClient } from './client.ts';
import { isDivision, readCurrentDivision } from './division.ts';

const BASE = 'https://start.exactonline.nl';

function stub(answer: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push(request);
    return answer(request);
  };
  return { fetch, requests };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function http(answer: (request: Request) => Response | Promise<Response>) {
  const { fetch, requests } = stub(answer);
  return { client: createHttpClient({ baseUrl: BASE, fetch, retry: false }), requests };
}

describe('readCurrentDivision', () => {
  it('asks current/Me for CurrentDivision only, in JSON', async () => {
    const { client, requests } = http(() => json({ d: { results: [{ CurrentDivision: 1234567 }] } }));
    expect(await readCurrentDivision(client)).toEqual({ success: true, data: 1234567 });
    expect(requests).toHaveLength(1);
    const url = new URL(requests[0]?.url ?? '');
    expect(requests[0]?.method).toBe('GET');
    expect(url.pathname).toBe('/api/v1/current/Me');
    expect([...url.searchParams]).toEqual([['$select', 'CurrentDivision']]);
    expect(requests[0]?.headers.get('accept')).toBe('application/json');
  });

  it('reads a single entity too, takes the first of several results, and ignores other members', async () => {
    const single = http(() => json({ d: { CurrentDivision: 42, __metadata: { uri: 'x' } } }));
    expect(await readCurrentDivision(single.client)).toEqual({ success: true, data: 42 });
    const several = http(() =>
      json({ d: { results: [{ CurrentDivision: 7, FullName: 'A' }, { CurrentDivision: 8 }] } }),
    );
    expect(await readCurrentDivision(several.client)).toEqual({ success: true, data: 7 });
  });

  it('answers INVALID_RESPONSE for an answer that names no division', async () => {
    const bodies: unknown[] = [
      { d: { results: [] } },
      { d: { results: [{}] } },
      { d: { results: [{ CurrentDivision: 0 }] } },
      { d: { results: [{ CurrentDivision: -5 }] } },
      { d: { results: [{ CurrentDivision: 1.5 }] } },
      { d: { results: [{ CurrentDivision: '1234567' }] } },
      { d: { results: [{ CurrentDivision: null }] } },
      { d: { CurrentDivision: 0 } },
      { d: { CurrentDivision: 'x' } },
      { d: null },
      { d: [] },
      { value: [{ CurrentDivision: 1 }] },
      [],
      null,
    ];
    for (const body of bodies) {
      const { client } = http(() => json(body));
      const result = await readCurrentDivision(client);
      expect(result.success ? body : result.error.code).toBe('INVALID_RESPONSE');
    }
    const text = http(() => new Response('<feed/>', { headers: { 'content-type': 'application/xml' } }));
    const result = await readCurrentDivision(text.client);
    expect(result.success).toBe(false);
  });

  it("passes the HTTP client's failure on, and honours the signal", async () => {
    const refused = http(() => json({ error: { message: { value: 'Unauthorized' } } }, 401));
    expect(await readCurrentDivision(refused.client)).toMatchObject({
      success: false,
      error: { code: 'AUTH_ERROR' },
    });
    const aborted = http(() => json({ d: { CurrentDivision: 1 } }));
    const controller = new AbortController();
    controller.abort();
    const result = await readCurrentDivision(aborted.client, controller.signal);
    expect(result.success).toBe(false);
    expect(aborted.requests).toHaveLength(0);
  });
});

describe('isDivision', () => {
  it('takes whole numbers from 1 to Int32 max, nothing else', () => {
    for (const value of [1, 42, 1_234_567, 2_147_483_647]) expect(isDivision(value)).toBe(true);
    for (const value of [
      0,
      -1,
      1.5,
      2_147_483_648,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '1',
      1n,
      null,
      undefined,
      {},
    ]) {
      expect(isDivision(value)).toBe(false);
    }
  });
});

describe("the client's default division", () => {
  const oauth = { getAccessToken: async () => ok(toSecret('access-0')) };

  it('reads current/Me once for concurrent callers', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { fetch, requests } = stub(async () => {
      await gate;
      return json({ d: { results: [{ CurrentDivision: 99 }] } });
    });
    const client = createExactClient({ oauth, fetch, rateLimit: false, retry: false });
    const pending = [client.division(), client.division(), client.division()];
    release();
    expect(await Promise.all(pending)).toEqual(pending.map(() => ({ success: true, data: 99 })));
    expect(await client.division()).toEqual({ success: true, data: 99 });
    expect(requests).toHaveLength(1);
  });

  it('shares a failed read with the callers waiting on it, then reads again', async () => {
    let answer: unknown = { d: { results: [] } };
    const { fetch, requests } = stub(() => json(answer));
    const client = createExactClient({ oauth, fetch, rateLimit: false, retry: false });
    const [a, b] = await Promise.all([client.division(), client.division()]);
    expect(a).toMatchObject({ success: false, error: { code: 'INVALID_RESPONSE' } });
    expect(b).toEqual(a);
    expect(requests).toHaveLength(1);
    answer = { d: { results: [{ CurrentDivision: 5 }] } };
    expect(await client.division()).toEqual({ success: true, data: 5 });
    expect(await client.division()).toEqual({ success: true, data: 5 });
    expect(requests).toHaveLength(2);
  });

  it('reads no current/Me when a division is given, nor for inDivision', async () => {
    const { fetch, requests } = stub(() => json({ d: { results: [] } }));
    const given = createExactClient({ oauth, fetch, rateLimit: false, retry: false, division: 3 });
    expect(await given.division()).toEqual({ success: true, data: 3 });
    const other = createExactClient({ oauth, fetch, rateLimit: false, retry: false });
    expect(await other.inDivision(8).division()).toEqual({ success: true, data: 8 });
    for await (const page of other.inDivision(8).accounts.list({ top: 1 })) expect(page.success).toBe(true);
    expect(requests.map((request) => new URL(request.url).pathname)).toEqual(['/api/v1/8/crm/Accounts']);
  });
});
