// The subscription calls against a hand-made fetch: the exact request each sends (method, path, $select, body),
// the answer typed, every page of the list read, bad input refused by field before any request, and no token or
// callback secret in an error. webhook-receiver.test.ts runs the same calls against the emulator end to end.
import { describe, expect, it } from 'vitest';
import { stubbedExactClient } from '../test-support/emulated-client.ts';
import {
  deleteExactWebhook,
  type ExactWebhookSubscribeInput,
  listExactWebhooks,
  subscribeExactWebhook,
} from './webhook-subscriptions.ts';

const PATH = '/api/v1/1/webhooks/WebhookSubscriptions';
const ID = '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const CALLBACK = 'https://hooks.example.test/exact';
const TOKEN = 'access-token-do-not-leak';

interface Sent {
  method: string;
  url: URL;
  body: string;
  authorization: string | null;
}

function stub(answer: (sent: Sent) => Response) {
  const sent: Sent[] = [];
  const client = stubbedExactClient(async (input, init) => {
    const request = new Request(input, init);
    const one = {
      method: request.method,
      url: new URL(request.url),
      body: await request.text(),
      authorization: request.headers.get('authorization'),
    };
    sent.push(one);
    return answer(one);
  }, TOKEN);
  return { client, sent };
}

const subscription = (n: number) => ({
  __metadata: {
    uri: `https://start.exactonline.test${PATH}(guid'x')`,
    type: 'Exact.Web.Api.Models.Webhooks',
  },
  ID: `${ID.slice(0, -1)}${n}`.toUpperCase(),
  CallbackURL: CALLBACK,
  ClientID: '11111111-2222-4333-8444-555555555555',
  Created: `/Date(${Date.UTC(2026, 0, 15, 10)})/`,
  Division: 1,
  Topic: 'Accounts',
});

describe('subscribeExactWebhook', () => {
  it('posts Topic and CallbackURL (Description only when given), and types the answer', async () => {
    const { client, sent } = stub(() => Response.json({ d: subscription(1) }, { status: 201 }));
    const created = await subscribeExactWebhook(client, { topic: 'Accounts', callbackUrl: CALLBACK });
    expect(created).toEqual({
      success: true,
      data: {
        ID: `${ID.slice(0, -1)}1`,
        CallbackURL: CALLBACK,
        ClientID: '11111111-2222-4333-8444-555555555555',
        Created: '2026-01-15T09:00:00.000Z',
        Division: 1,
        Topic: 'Accounts',
      },
    });
    await subscribeExactWebhook(
      client,
      { topic: 'SalesInvoices', callbackUrl: 'http://localhost:8080/hook', description: 'dev' },
      { division: 42 },
    );
    expect(sent.map((one) => [one.method, one.url.pathname, JSON.parse(one.body)])).toEqual([
      ['POST', PATH, { Topic: 'Accounts', CallbackURL: CALLBACK }],
      [
        'POST',
        '/api/v1/42/webhooks/WebhookSubscriptions',
        { Topic: 'SalesInvoices', CallbackURL: 'http://localhost:8080/hook', Description: 'dev' },
      ],
    ]);
    expect(sent[0]?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('answers INVALID_RESPONSE for a creation answered without a GUID ID', async () => {
    for (const d of [
      { ...subscription(1), ID: null },
      { Topic: 'Accounts' },
      { ...subscription(1), ID: 'x' },
    ]) {
      const { client } = stub(() => Response.json({ d }, { status: 201 }));
      const created = await subscribeExactWebhook(client, { topic: 'Accounts', callbackUrl: CALLBACK });
      expect(created).toMatchObject({ success: false, error: { code: 'INVALID_RESPONSE' } });
    }
  });

  it('refuses bad input and options by field, before any request', async () => {
    const { client, sent } = stub(() => Response.json({ d: subscription(1) }, { status: 201 }));
    const throwing = Object.defineProperty({}, 'division', {
      get() {
        throw new Error('trap');
      },
    });
    const cases: [Partial<ExactWebhookSubscribeInput> | null, unknown, string][] = [
      [{ topic: '', callbackUrl: CALLBACK }, undefined, 'input.topic'],
      [{ topic: 'Accounts2', callbackUrl: CALLBACK }, undefined, 'input.topic'],
      [{ topic: 'A'.repeat(101), callbackUrl: CALLBACK }, undefined, 'input.topic'],
      [{ callbackUrl: CALLBACK }, undefined, 'input.topic'],
      [{ topic: 'Accounts' }, undefined, 'input.callbackUrl'],
      [{ topic: 'Accounts', callbackUrl: '/hooks/exact' }, undefined, 'input.callbackUrl'],
      [{ topic: 'Accounts', callbackUrl: 'ftp://hooks.example.test/x' }, undefined, 'input.callbackUrl'],
      [
        { topic: 'Accounts', callbackUrl: `${CALLBACK}?q=${'x'.repeat(2_000)}` },
        undefined,
        'input.callbackUrl',
      ],
      [
        { topic: 'Accounts', callbackUrl: CALLBACK, description: 'd'.repeat(256) },
        undefined,
        'input.description',
      ],
      [{ topic: 'Accounts', callbackUrl: CALLBACK, description: 7 as never }, undefined, 'input.description'],
      [null, undefined, 'input'],
      [{ topic: 'Accounts', callbackUrl: CALLBACK }, { division: 0 }, 'options.division'],
      [{ topic: 'Accounts', callbackUrl: CALLBACK }, { division: 1.5 }, 'options.division'],
      [{ topic: 'Accounts', callbackUrl: CALLBACK }, { division: '1' }, 'options.division'],
      [{ topic: 'Accounts', callbackUrl: CALLBACK }, throwing, 'options.division'],
      [{ topic: 'Accounts', callbackUrl: CALLBACK }, { signal: 'soon' }, 'options.signal'],
    ];
    for (const [input, options, field] of cases) {
      const result = await subscribeExactWebhook(client, input as never, options as never);
      expect(result.success ? undefined : [result.error.code, result.error.field]).toEqual([
        'VALIDATION_ERROR',
        field,
      ]);
    }
    expect(sent).toEqual([]);
  });

  it('keeps a secret in the callback URL and the access token out of its errors', async () => {
    const { client } = stub(() => Response.json({ d: subscription(1) }, { status: 201 }));
    const refused = await subscribeExactWebhook(client, {
      topic: 'Accounts',
      callbackUrl: 'ftp://user:callback-secret@hooks.example.test/x?key=callback-secret',
    });
    expect(refused.success).toBe(false);
    expect(
      JSON.stringify(refused.success ? null : { ...refused.error, message: refused.error.message }),
    ).not.toContain('callback-secret');

    // Exact echoing the request's Authorization header in its refusal.
    const echoing = stub((one) =>
      Response.json(
        { error: { code: '', message: { lang: '', value: `Forbidden: ${one.authorization}` } } },
        {
          status: 403,
        },
      ),
    );
    for (const result of [
      await subscribeExactWebhook(echoing.client, { topic: 'Accounts', callbackUrl: CALLBACK }),
      await listExactWebhooks(echoing.client),
      await deleteExactWebhook(echoing.client, ID),
    ]) {
      expect(result.success).toBe(false);
      if (result.success) continue;
      expect(result.error.message).toContain('Forbidden');
      expect(`${result.error.message} ${JSON.stringify(result.error)}`).not.toContain(TOKEN);
    }
  });
});

describe('listExactWebhooks', () => {
  it('reads every page with the subscription fields selected, typed and without __metadata', async () => {
    const next = `https://start.exactonline.test${PATH}?$skiptoken=guid'${ID}'`;
    const { client, sent } = stub((one) =>
      one.url.searchParams.has('$skiptoken')
        ? Response.json({ d: { results: [subscription(2)] } })
        : Response.json({ d: { results: [subscription(1)], __next: next } }),
    );
    const listed = await listExactWebhooks(client, { division: 1 });
    expect(listed.success && listed.data.map((one) => [one.ID, one.Created])).toEqual([
      [`${ID.slice(0, -1)}1`, '2026-01-15T09:00:00.000Z'],
      [`${ID.slice(0, -1)}2`, '2026-01-15T09:00:00.000Z'],
    ]);
    expect(listed.success && listed.data.some((one) => '__metadata' in one)).toBe(false);
    expect(sent.map((one) => [one.method, one.url.pathname])).toEqual([
      ['GET', PATH],
      ['GET', PATH],
    ]);
    expect(sent[0]?.url.searchParams.get('$select')).toBe(
      'ID,CallbackURL,ClientID,Created,Creator,CreatorFullName,Description,Division,Topic',
    );
  });

  it('answers the failure, not the pages read before it, when a page fails', async () => {
    const next = `https://start.exactonline.test${PATH}?$skiptoken=x`;
    const { client } = stub((one) =>
      one.url.searchParams.has('$skiptoken')
        ? Response.json({ d: { results: [{ ...subscription(2), Created: 'yesterday' }] } })
        : Response.json({ d: { results: [subscription(1)], __next: next } }),
    );
    expect(await listExactWebhooks(client)).toMatchObject({
      success: false,
      error: { code: 'INVALID_RESPONSE' },
    });
    const foreign = stub(() =>
      Response.json({ d: { results: [subscription(1)], __next: 'https://evil.test/x' } }),
    );
    expect(await listExactWebhooks(foreign.client)).toMatchObject({
      success: false,
      error: { code: 'INVALID_RESPONSE' },
    });
    expect(foreign.sent).toHaveLength(1);
  });

  it('refuses bad options before any request', async () => {
    const { client, sent } = stub(() => Response.json({ d: { results: [] } }));
    expect(await listExactWebhooks(client, { signal: 'x' as never })).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field: 'options.signal' },
    });
    expect(await listExactWebhooks(client, { division: -3 })).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field: 'options.division' },
    });
    expect(sent).toEqual([]);
  });
});

describe('deleteExactWebhook', () => {
  it('sends DELETE to the subscription by its lower-cased GUID, with no body; 204 is success', async () => {
    const { client, sent } = stub(() => new Response(null, { status: 204 }));
    expect(await deleteExactWebhook(client, ID.toUpperCase(), { division: 9 })).toEqual({
      success: true,
      data: undefined,
    });
    expect(sent.map((one) => [one.method, decodeURIComponent(one.url.pathname), one.body])).toEqual([
      ['DELETE', `/api/v1/9/webhooks/WebhookSubscriptions(guid'${ID}')`, ''],
    ]);
  });

  it('passes on NOT_FOUND, and refuses what is not a GUID before any request', async () => {
    const { client, sent } = stub(() =>
      Response.json({ error: { code: '', message: { lang: '', value: 'Not found' } } }, { status: 404 }),
    );
    expect(await deleteExactWebhook(client, ID)).toMatchObject({
      success: false,
      error: { code: 'NOT_FOUND' },
    });
    sent.length = 0;
    for (const id of ["x') or ('1", `${ID}/../Accounts`, 42, undefined]) {
      expect(await deleteExactWebhook(client, id as string)).toMatchObject({
        success: false,
        error: { code: 'VALIDATION_ERROR', field: 'id' },
      });
    }
    expect(sent).toEqual([]);
  });
});
