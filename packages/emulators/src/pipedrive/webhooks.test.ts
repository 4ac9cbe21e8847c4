import { describe, expect, it, vi } from 'vitest';
import { createWebhookRegistry, MAX_WEBHOOKS_PER_USER } from './webhooks.ts';

const at = '2026-01-05T12:00:00Z';
function registry(deliver: 'record' | 'fetch' = 'record', fetchFn?: typeof fetch) {
  let n = 0;
  return createWebhookRegistry({
    companyId: 9,
    userId: 1,
    deliver,
    uuid: () => `uuid-${++n}`,
    fetch: fetchFn,
  });
}
const hook = {
  subscription_url: 'https://hooks.example.test/p',
  event_action: '*',
  event_object: 'person',
  version: '2.0',
};

describe('createWebhookRegistry', () => {
  it('creates, lists and removes subscriptions', () => {
    const hooks = registry();
    const created = hooks.create({ ...hook, http_auth_user: 'u', http_auth_password: 'p' }, at);
    expect(created).toMatchObject({
      id: 1,
      company_id: 9,
      user_id: 1,
      version: '2.0',
      is_active: 1,
      http_auth_user: 'u',
    });
    expect(hooks.list()).toHaveLength(1);
    expect(hooks.remove(1)).toBe(true);
    expect(hooks.remove(1)).toBe(false);
  });

  it.each([
    [{ ...hook, subscription_url: 'ftp://x' }, /subscription_url/],
    [{ ...hook, event_action: 'updated' }, /event_action/],
    [{ ...hook, event_object: 'thing' }, /event_object/],
    [{ ...hook, version: '3.0' }, /version/],
    [[], /JSON object/],
  ])('refuses %j with a 400', (body, message) => {
    expect(() => registry().create(body, at)).toThrow(message);
  });

  it(`refuses a webhook past ${MAX_WEBHOOKS_PER_USER} per user`, () => {
    const hooks = registry();
    for (let i = 0; i < MAX_WEBHOOKS_PER_USER; i++) hooks.create(hook, at);
    expect(() => hooks.create(hook, at)).toThrow(/at most 40/);
    expect(hooks.create({ ...hook, user_id: 2 }, at).user_id).toBe(2);
  });

  it('builds v2 deliveries for matching hooks, with basic auth when configured', () => {
    const hooks = registry();
    hooks.create({ ...hook, http_auth_user: 'u', http_auth_password: 'p' }, at);
    hooks.create({ ...hook, event_object: 'deal' }, at);
    hooks.create({ ...hook, version: '1.0' }, at);
    const [delivery, ...rest] = hooks.announce(
      {
        action: 'change',
        entity: 'person',
        entityId: 5,
        source: 'api',
        data: { id: 5, name: 'B' },
        previous: { name: 'A' },
      },
      at,
    );
    expect(rest).toEqual([]);
    expect(delivery!.headers.authorization).toBe(`Basic ${btoa('u:p')}`);
    expect(delivery!.body).toEqual({
      meta: {
        action: 'change',
        entity: 'person',
        entity_id: '5',
        id: 'uuid-2',
        correlation_id: 'uuid-1',
        change_source: 'api',
        attempt: 1,
        timestamp: at,
        webhook_id: '1',
        company_id: '9',
        user_id: '1',
        version: '2.0',
      },
      data: { id: 5, name: 'B' },
      previous: { name: 'A' },
    });
    expect(hooks.deliveries()).toHaveLength(1);
  });

  it('POSTs deliveries with fetch when asked', async () => {
    const send = vi.fn(async () => new Response(null, { status: 200 }));
    const hooks = registry('fetch', send as unknown as typeof fetch);
    hooks.create(hook, at);
    hooks.announce(
      { action: 'delete', entity: 'person', entityId: 5, source: 'app', data: null, previous: { id: 5 } },
      at,
    );
    expect(send).toHaveBeenCalledWith(
      'https://hooks.example.test/p',
      expect.objectContaining({ method: 'POST' }),
    );
    const body = JSON.parse((send.mock.calls[0] as unknown as [string, RequestInit])[1].body as string);
    expect(body).toMatchObject({ meta: { action: 'delete', change_source: 'app' }, data: null });
    await vi.waitFor(() => expect(hooks.list()[0]!.last_http_status).toBe(200));
  });
});
