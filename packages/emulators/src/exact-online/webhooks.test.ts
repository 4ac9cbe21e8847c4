import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../kit/random.ts';
import { entity } from './entities.ts';
import { ExactError } from './errors.ts';
import { createExactWebhooks, signExactWebhook } from './webhooks.ts';

function setup(deliver: 'record' | 'fetch' = 'record', fetchFn?: typeof fetch) {
  return createExactWebhooks({
    clientId: 'client-1',
    secret: 's3cret',
    userId: 'u1',
    userName: 'Emu Lator',
    baseUrl: 'https://start.exactonline.test',
    now: () => Date.UTC(2026, 0, 5, 9),
    random: createRandom(3),
    deliver,
    ...(fetchFn ? { fetch: fetchFn } : {}),
  });
}

describe('Exact webhooks', () => {
  it('signs deliveries as picqer verifies them: upper-case hex HMAC-SHA256 of the raw Content text', () => {
    const webhooks = setup();
    webhooks.subscribe(7, { CallbackURL: 'https://app.test/hook', Topic: 'Accounts' });
    webhooks.announce({ division: 7, entity: entity('crm/Accounts'), action: 'Update', key: 'k-1' });
    webhooks.announce({ division: 8, entity: entity('crm/Accounts'), action: 'Update', key: 'k-2' });
    webhooks.announce({ division: 7, entity: entity('crm/Contacts'), action: 'Create', key: 'k-3' });
    const [delivery, ...rest] = webhooks.deliveries();
    expect(rest).toEqual([]);
    const match = /^{"Content":(.*),"HashCode":"(.*)"}$/.exec(delivery!.body)!;
    const expected = createHmac('sha256', 's3cret').update(match[1]!).digest('hex').toUpperCase();
    expect(match[2]).toBe(expected);
    expect(signExactWebhook(match[1]!, 's3cret')).toBe(expected);
    expect(JSON.parse(match[1]!)).toEqual({
      Topic: 'Accounts',
      ClientId: 'client-1',
      Division: 7,
      Action: 'Update',
      Key: 'k-1',
      ExactOnlineEndpoint: "https://start.exactonline.test/api/v1/7/crm/Accounts(guid'k-1')",
      EventCreatedOn: '2026-01-05T10:00:00.000',
    });
  });

  it('stores, lists and removes subscriptions per division, refusing bad topics and URLs', () => {
    const webhooks = setup();
    const sub = webhooks.subscribe(7, { CallbackURL: 'https://app.test/hook', Topic: 'Contacts' });
    expect(sub).toMatchObject({
      ClientID: 'client-1',
      Division: 7,
      Topic: 'Contacts',
      CreatorFullName: 'Emu Lator',
    });
    expect(webhooks.list(8)).toEqual([]);
    expect(webhooks.get(7, sub.ID.toUpperCase())).toEqual(sub);
    expect(() => webhooks.subscribe(7, { CallbackURL: 'https://app.test', Topic: 'Nope' })).toThrow(
      ExactError,
    );
    expect(() => webhooks.subscribe(7, { CallbackURL: 'ftp://x', Topic: 'Accounts' })).toThrow(/CallbackURL/);
    expect(webhooks.remove(7, sub.ID)).toBe(true);
    expect(webhooks.list(7)).toEqual([]);
  });

  it('POSTs deliveries with fetch when asked, recording the status', async () => {
    const seen: string[] = [];
    const webhooks = setup('fetch', async (_url, init) => {
      seen.push(String(init?.body));
      return new Response(null, { status: 204 });
    });
    webhooks.subscribe(7, { CallbackURL: 'https://app.test/hook', Topic: 'Accounts' });
    webhooks.announce({ division: 7, entity: entity('crm/Accounts'), action: 'Delete', key: 'k' });
    await webhooks.settled();
    expect(seen).toEqual([webhooks.deliveries()[0]!.body]);
    expect(webhooks.deliveries()[0]!.status).toBe(204);
  });
});
