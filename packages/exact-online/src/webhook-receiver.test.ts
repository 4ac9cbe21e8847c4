// The receiver against the Exact Online emulator: subscriptions through the client, deliveries the emulator records
// on writes (signed with its webhook secret), the changed record read back, a duplicate handled once, a tampered
// body refused, and the secret kept out of errors.
import { createMemorySeenIdStore, Secret } from '@patchbay/core';
import { createMemoryOAuth2TokenStore } from '@patchbay/core/oauth';
import { createMemoryStore } from '@patchbay/core/store';
import { createExactOnlineEmulator } from '@patchbay/emulators';
import { describe, expect, it } from 'vitest';
import { createExactClient } from './client.ts';
import { createExactWebhookReceiver, type ExactWebhookDelivery } from './webhook-receiver.ts';
import { deleteExactWebhook, listExactWebhooks, subscribeExactWebhook } from './webhook-subscriptions.ts';

const CALLBACK = 'https://hooks.example.test/exact';

function setup(intercept?: (request: Request) => Response | undefined) {
  const emulator = createExactOnlineEmulator({ divisions: [1234567, 7654321] });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const replaced = intercept?.(request);
    if (replaced) return replaced;
    const reply = await emulator.handler(request);
    if (reply instanceof Response) return reply;
    throw new TypeError('connection reset');
  };
  const grant = emulator.issueTokens();
  const tokens = createMemoryOAuth2TokenStore({
    accessToken: new Secret(grant.access_token),
    tokenType: 'bearer',
    expiresAt: Date.now() + 600_000,
    refreshToken: new Secret(grant.refresh_token),
    scope: null,
    obtainedAt: Date.now(),
  });
  const client = createExactClient({
    baseUrl: emulator.baseUrl,
    oauth: { clientId: emulator.clientId, clientSecret: emulator.clientSecret, tokens },
    store: createMemoryStore(),
    fetch,
    retry: false,
  });
  const received: ExactWebhookDelivery[] = [];
  const receiver = createExactWebhookReceiver({
    secret: emulator.webhookSecret,
    client,
    seen: createMemorySeenIdStore(),
    clientId: emulator.clientId,
    onEvent: (delivery) => {
      received.push(delivery);
    },
  });
  return { emulator, client, receiver, received };
}

describe('webhook subscriptions', () => {
  it('subscribes, lists and deletes', async () => {
    const { client } = setup();
    const created = await subscribeExactWebhook(client, {
      topic: 'Accounts',
      callbackUrl: CALLBACK,
      description: 'sync',
    });
    expect(created).toMatchObject({
      success: true,
      data: { Topic: 'Accounts', CallbackURL: CALLBACK, Description: 'sync', Division: 1234567 },
    });
    if (!created.success) return;
    expect(created.data).not.toHaveProperty('__metadata');
    const listed = await listExactWebhooks(client);
    expect(listed.success && listed.data.map((s) => s.ID)).toEqual([created.data.ID]);
    expect(await deleteExactWebhook(client, created.data.ID)).toEqual({ success: true, data: undefined });
    expect(await listExactWebhooks(client)).toEqual({ success: true, data: [] });
    const elsewhere = await listExactWebhooks(client, { division: 7654321 });
    expect(elsewhere).toEqual({ success: true, data: [] });
  });

  it('checks the input before any request, and passes on what Exact refuses', async () => {
    const { client } = setup();
    const bad = [
      await subscribeExactWebhook(client, { topic: 'Accounts', callbackUrl: 'not a url' }),
      await subscribeExactWebhook(client, { topic: "Accounts'", callbackUrl: CALLBACK }),
      await subscribeExactWebhook(client, null as never),
      await deleteExactWebhook(client, 'x'),
      await listExactWebhooks(client, { division: 0 }),
    ];
    expect(bad.map((r) => (r.success ? undefined : r.error.field))).toEqual([
      'input.callbackUrl',
      'input.topic',
      'input',
      'id',
      'options.division',
    ]);
    const unknown = await subscribeExactWebhook(client, { topic: 'Nonsense', callbackUrl: CALLBACK });
    expect(unknown.success ? undefined : unknown.error.code).toBe('VALIDATION_ERROR');
  });
});

describe('createExactWebhookReceiver', () => {
  it('verifies a delivery, reads the changed record, and handles a duplicate once', async () => {
    const { emulator, client, receiver, received } = setup();
    await subscribeExactWebhook(client, { topic: 'Accounts', callbackUrl: CALLBACK });
    const created = await client.accounts.create({ Name: 'Acme BV', City: 'Delft' });
    if (!created.success) throw created.error;
    const [delivery] = emulator.webhookDeliveries();
    if (!delivery) throw new Error('no delivery');
    expect(delivery.url).toBe(CALLBACK);
    const first = await receiver.handle({ body: delivery.body });
    expect(first.success && first.data.outcome).toBe('handled');
    const again = await receiver.fetch(new Request(CALLBACK, { method: 'POST', body: delivery.body }));
    expect(again.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]?.event.Content).toMatchObject({
      Topic: 'Accounts',
      Action: 'Create',
      Key: created.data.ID,
      Division: 1234567,
    });
    expect(received[0]?.record).toMatchObject({ ID: created.data.ID, Name: 'Acme BV', City: 'Delft' });
  });

  it('answers null for a deleted record, and reads in the delivery’s division', async () => {
    const { emulator, client, receiver, received } = setup();
    await subscribeExactWebhook(client, { topic: 'Contacts', callbackUrl: CALLBACK }, { division: 7654321 });
    const account = emulator.createRecord('crm/Accounts', { Name: 'Acme' }, 7654321);
    const contact = emulator.createRecord(
      'crm/Contacts',
      { Account: account.ID, LastName: 'Lovelace' },
      7654321,
    );
    emulator.updateRecord('crm/Contacts', String(contact.ID), { FirstName: 'Ada' }, 7654321);
    const handleAll = async () => {
      for (const delivery of emulator.webhookDeliveries().slice(received.length)) {
        const result = await receiver.handle({ body: delivery.body });
        expect(result.success).toBe(true);
      }
    };
    await handleAll();
    emulator.deleteRecord('crm/Contacts', String(contact.ID), 7654321);
    await handleAll();
    const fullName = { FullName: 'Ada Lovelace', ID: contact.ID };
    expect(received.map((d) => [d.event.Content.Action, d.event.Content.Division, d.record])).toEqual([
      ['Create', 7654321, expect.objectContaining(fullName)],
      ['Update', 7654321, expect.objectContaining(fullName)],
      ['Delete', 7654321, null],
    ]);
  });

  it('refuses a tampered body (401) and another app’s delivery, and keeps the secret out of errors', async () => {
    const { emulator, client, receiver, received } = setup();
    await subscribeExactWebhook(client, { topic: 'Accounts', callbackUrl: CALLBACK });
    await client.accounts.create({ Name: 'Acme' });
    const [delivery] = emulator.webhookDeliveries();
    if (!delivery) throw new Error('no delivery');
    const tampered = delivery.body.replace('"Create"', '"Delete"');
    const response = await receiver.fetch(new Request(CALLBACK, { method: 'POST', body: tampered }));
    expect(response.status).toBe(401);
    const result = await receiver.handle({ body: tampered });
    expect(result.success ? undefined : result.error.code).toBe('AUTH_ERROR');
    if (!result.success) expect(JSON.stringify(result.error.toJSON())).not.toContain(emulator.webhookSecret);
    expect((await receiver.fetch(new Request(CALLBACK, { method: 'POST', body: 'x' }))).status).toBe(400);
    const foreign = createExactWebhookReceiver({
      secret: emulator.webhookSecret,
      client,
      clientId: '11111111-2222-4333-8444-555555555555',
      onEvent: () => undefined,
    });
    const refused = await foreign.handle({ body: delivery.body });
    expect(refused.success ? undefined : refused.error.field).toBe('ClientId');
    expect(received).toEqual([]);
  });

  it('answers an error (not a duplicate later) when the record cannot be read, so Exact’s retry is handled', async () => {
    let failing = true;
    const { emulator, client, receiver, received } = setup((request) =>
      failing && request.method === 'GET' && request.url.includes('crm/Accounts')
        ? new Response(null, { status: 503 })
        : undefined,
    );
    await subscribeExactWebhook(client, { topic: 'Accounts', callbackUrl: CALLBACK });
    await client.accounts.create({ Name: 'Acme' });
    const [delivery] = emulator.webhookDeliveries();
    if (!delivery) throw new Error('no delivery');
    expect(
      (await receiver.fetch(new Request(CALLBACK, { method: 'POST', body: delivery.body }))).status,
    ).toBe(500);
    failing = false;
    const retried = await receiver.handle({ body: delivery.body });
    expect(retried.success && retried.data.outcome).toBe('handled');
    expect(received).toHaveLength(1);
  });

  it('refuses bad options with a CONFIG_ERROR naming the field, never the value', () => {
    const { client } = setup();
    const make = (options: Record<string, unknown>) => () =>
      createExactWebhookReceiver({
        secret: 's3cret-value',
        client,
        onEvent: () => undefined,
        ...options,
      } as never);
    expect(make({ secret: '' })).toThrow(/secret/);
    expect(make({ client: {} })).toThrow(/client/);
    expect(make({ onEvent: 1 })).toThrow(/onEvent/);
    expect(make({ seen: {} })).toThrow(/seen/);
    expect(make({ seenTtlMs: -1 })).toThrow(/seenTtlMs/);
    try {
      make({ onEvent: 1 })();
    } catch (error) {
      expect(String(error)).not.toContain('s3cret-value');
    }
  });
});
