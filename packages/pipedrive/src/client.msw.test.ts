// The client against the Pipedrive emulator's msw handlers (no socket): v2 CRUD and cursor paging, custom fields
// by name over hash keys, the daily token budget running out and coming back, the burst window with its headers,
// and webhooks v2 deliveries through the receiver (our own API writes skipped).
import { createMemorySeenIdStore } from '@patchbay/core';
import { createPipedriveEmulator } from '@patchbay/emulators';
import { pipedriveMswHandlers } from '@patchbay/emulators/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPipedriveClient, type PipedriveClientOptions } from './client.ts';
import { createPipedriveWebhookReceiver, type PipedriveWebhookEvent } from './webhook.ts';

const pipedrive = createPipedriveEmulator({
  rateLimit: false,
  baseUrl: 'https://acme.pipedrive.test',
  customFields: {
    person: [
      { name: 'External ID', type: 'varchar' },
      { name: 'Tier', type: 'enum', options: ['Gold', 'Silver'] },
    ],
  },
});
const budgeted = createPipedriveEmulator({ baseUrl: 'https://budget.pipedrive.test', dailyTokens: 35 });
const bursty = createPipedriveEmulator({ baseUrl: 'https://burst.pipedrive.test', burst: 6 });
const edgy = createPipedriveEmulator({ baseUrl: 'https://edge.pipedrive.test', burst: 2, edgeBlockAfter: 3 });
const server = setupServer(
  ...pipedriveMswHandlers(pipedrive),
  ...pipedriveMswHandlers(budgeted),
  ...pipedriveMswHandlers(bursty),
  ...pipedriveMswHandlers(edgy),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  for (const emulator of [pipedrive, budgeted, bursty, edgy]) emulator.reset();
});
afterAll(() => server.close());

const clientFor = (emulator = pipedrive, options: Partial<PipedriveClientOptions> = {}) =>
  createPipedriveClient({
    apiToken: emulator.apiToken,
    baseUrl: emulator.baseUrl,
    rateLimit: false,
    retry: { retries: 2, initialDelayMs: 1, maxDelayMs: 10 },
    customFields: { person: { externalId: 'External ID', tier: 'Tier' } },
    ...options,
  });

describe('client against the emulator', () => {
  it('creates, reads, updates and deletes, and lists every page', async () => {
    const client = clientFor();
    const created = await client.persons.create({
      name: 'Ada',
      custom: { externalId: 'ext-1', tier: 'Gold' },
    });
    expect(created.success).toBe(true);
    if (!created.success) return;
    expect(created.data.custom).toEqual({ externalId: 'ext-1', tier: 'Gold' });
    const updated = await client.persons.update(created.data.id, { custom: { tier: 'Silver' } });
    expect(updated.success && updated.data.custom.tier).toBe('Silver');
    const read = await client.persons.get(created.data.id);
    expect(read.success && read.data.custom).toEqual({ externalId: 'ext-1', tier: 'Silver' });
    expect((await client.persons.delete(created.data.id)).success).toBe(true);
    pipedrive.seed(
      'organization',
      Array.from({ length: 230 }, (_, i) => ({ name: `Org ${i}` })),
    );
    const sizes: number[] = [];
    for await (const page of client.organizations.list({ limit: 100 })) {
      expect(page.success).toBe(true);
      if (page.success) sizes.push(page.data.items.length);
    }
    expect(sizes).toEqual([100, 100, 30]);
  });

  it('stops with a typed RATE_LIMIT when the daily budget runs out, and resumes the next day', async () => {
    const client = clientFor(budgeted, { customFields: {} });
    budgeted.seed(
      'person',
      Array.from({ length: 40 }, (_, i) => ({ name: `P ${i}` })),
    );
    const outcomes: string[] = [];
    for await (const page of client.persons.list({ limit: 10 })) {
      outcomes.push(page.success ? 'page' : `${page.error.code}:${page.error.retryable}`);
    }
    expect(outcomes.at(-1)).toBe('RATE_LIMIT:false');
    expect(outcomes.filter((outcome) => outcome === 'page')).toHaveLength(3);
    budgeted.advanceToNextDay();
    const after = await clientFor(budgeted, { customFields: {} }).persons.get(1);
    expect(after.success).toBe(true);
  });

  it('stays inside the burst window: no 429 for 7 concurrent reads with the limiter on', async () => {
    const client = clientFor(bursty, { customFields: {}, rateLimit: { limit: 6 } });
    bursty.seed('deal', [{ title: 'D' }]);
    const results = await Promise.all(Array.from({ length: 7 }, () => client.deals.get(1)));
    expect(results.every((result) => result.success)).toBe(true);
    expect(bursty.counters.count({ outcome: 429 })).toBe(0);
  }, 20_000);

  it('reads the edge 403 HTML page after repeated 429s as a final RATE_LIMIT', async () => {
    const client = clientFor(edgy, { customFields: {}, retry: false });
    edgy.seed('person', [{ name: 'P' }]);
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const result = await client.persons.get(1);
      codes.push(
        result.success ? 'ok' : `${result.error.code}:${result.error.status}:${result.error.retryable}`,
      );
    }
    expect(codes.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(codes).toContain('RATE_LIMIT:429:true');
    expect(codes.at(-1)).toBe('RATE_LIMIT:403:false');
  });

  it('delivers webhooks: an app change reaches onEvent, our own API write is skipped', async () => {
    const client = clientFor();
    const registered = await client.registerWebhook({
      subscription_url: 'https://example.com/hooks',
      event_action: '*',
      event_object: 'person',
      http_auth_user: 'hook',
      http_auth_password: 'hook-password',
    });
    expect(registered.success).toBe(true);
    const created = await client.persons.create({ name: 'Ada' });
    expect(created.success).toBe(true);
    if (!created.success) return;
    pipedrive.appChange('person', {
      action: 'change',
      id: created.data.id,
      values: { name: 'Ada Lovelace' },
    });
    const handled: PipedriveWebhookEvent[] = [];
    const receiver = createPipedriveWebhookReceiver({
      username: 'hook',
      password: 'hook-password',
      seen: createMemorySeenIdStore(),
      onEvent: (event) => {
        handled.push(event);
      },
    });
    const deliveries = pipedrive.webhookDeliveries();
    expect(deliveries.length).toBeGreaterThanOrEqual(2);
    const outcomes: string[] = [];
    for (const delivery of deliveries) {
      const result = await receiver.handle({
        headers: delivery.headers,
        body: JSON.stringify(delivery.body),
      });
      outcomes.push(result.success ? result.data.outcome : result.error.code);
    }
    expect(outcomes).toContain('skipped-own-change');
    expect(handled.map((event) => event.meta.change_source)).toEqual(['app']);
    expect(handled[0]?.previous).toMatchObject({ name: 'Ada' });
  });
});
