import type { RateLimiter } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createFakeHubSpot, jsonResponse } from '../test-support/fake-hubspot.ts';
import { createHubSpotClient } from './client.ts';

const TOKEN = 'pat-na1-test-token';

function setup() {
  const fake = createFakeHubSpot({ token: TOKEN });
  const client = createHubSpotClient({
    accessToken: TOKEN,
    baseUrl: 'https://api.hubapi.test',
    fetch: fake.fetch,
    rateLimit: false,
    searchRateLimit: false,
    retry: false,
  });
  return { fake, client };
}

async function collect<T>(pages: AsyncIterable<{ success: boolean; data?: T; error?: unknown }>) {
  const out: { success: boolean; data?: T; error?: unknown }[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('search', () => {
  it('sends filters, properties and the hs_object_id sort, and reads total and results', async () => {
    const { fake, client } = setup();
    fake.seed('contacts', 5, (i) => ({
      email: `p${i}@example.com`,
      lifecyclestage: i % 2 ? 'lead' : 'customer',
    }));
    const pages = await collect(
      client.search('contacts', {
        filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] }],
        properties: ['email'],
        limit: 10,
      }),
    );
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ success: true, data: { total: 2 } });
    expect(fake.sent[0]).toMatchObject({
      path: '/crm/objects/2026-03/contacts/search',
      body: {
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        properties: ['email'],
        limit: 10,
      },
    });
  });

  it('refuses a request over the limits before sending, naming the field', async () => {
    const { fake, client } = setup();
    const filter = { propertyName: 'email', operator: 'EQ' as const, value: 'x' };
    for (const [request, field] of [
      [{ filterGroups: Array.from({ length: 6 }, () => ({ filters: [filter] })) }, 'request.filterGroups'],
      [{ filterGroups: [{ filters: Array(7).fill(filter) }] }, 'request.filterGroups.0.filters'],
      [
        { filterGroups: Array.from({ length: 4 }, () => ({ filters: Array(5).fill(filter) })) },
        'request.filterGroups',
      ],
      [{ query: 'q'.repeat(3_001) }, 'request.query'],
      [{ limit: 201 }, 'request.limit'],
    ] as const) {
      const [page] = await collect(client.search('contacts', request as never));
      expect(page).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', field } });
    }
    expect(fake.sent).toHaveLength(0);
  });

  it('pages past the 10 000-result cap by keyset on hs_object_id', async () => {
    const { fake, client } = setup();
    fake.seed('contacts', 10_450);
    const ids: string[] = [];
    for await (const page of client.search('contacts', { limit: 200 })) {
      expect(page.success).toBe(true);
      if (page.success) ids.push(...page.data.results.map((record) => record.id));
    }
    expect(ids).toHaveLength(10_450);
    expect(new Set(ids).size).toBe(10_450);
    // The 51st request starts again after the last id seen, with no offset.
    const restart = fake.sent[50]?.body as { after?: string; filterGroups: unknown };
    expect(restart.after).toBeUndefined();
    expect(restart.filterGroups).toEqual([
      { filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: ids[9_999] }] },
    ]);
  });

  it("keeps the caller's filters in every group when restarting", async () => {
    const { fake, client } = setup();
    fake.seed('contacts', 10_300, () => ({ lifecyclestage: 'lead' }));
    let count = 0;
    const filter = { propertyName: 'lifecyclestage', operator: 'EQ' as const, value: 'lead' };
    for await (const page of client.search('contacts', {
      filterGroups: [{ filters: [filter] }],
      limit: 200,
    })) {
      if (page.success) count += page.data.results.length;
    }
    expect(count).toBe(10_300);
    const last = fake.sent.at(-1)?.body as { filterGroups: { filters: unknown[] }[] } | undefined;
    expect(last?.filterGroups[0]?.filters).toHaveLength(2);
  });

  it('stops at the cap with OPERATION_FAILED under another sort', async () => {
    const { fake, client } = setup();
    fake.seed('contacts', 10_100);
    const pages = await collect(
      client.search('contacts', {
        limit: 200,
        sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
      }),
    );
    expect(pages.at(-1)).toMatchObject({
      success: false,
      error: { code: 'OPERATION_FAILED', field: 'sorts' },
    });
    expect(pages.filter((page) => page.success)).toHaveLength(50);
  });

  it('yields a failed request once and ends', async () => {
    const { fake, client } = setup();
    fake.script('/search', () =>
      jsonResponse(400, {
        status: 'error',
        message: 'There was a problem with the request.',
        category: 'VALIDATION_ERROR',
      }),
    );
    const pages = await collect(client.search('deals'));
    expect(pages).toEqual([expect.objectContaining({ success: false })]);
  });

  it('spends from its own limiter and from the 10-second budget; other calls only from the budget', async () => {
    const fake = createFakeHubSpot({ token: TOKEN });
    fake.seed('contacts', 1);
    const counting = () => {
      const counter = { acquired: 0, observed: 0 };
      const limiter: RateLimiter = {
        acquire: async () => {
          counter.acquired++;
        },
        observe: () => {
          counter.observed++;
        },
        state: async () => ({ tokens: 0, queued: 0 }),
      };
      return { counter, limiter };
    };
    const search = counting();
    const budget = counting();
    const client = createHubSpotClient({
      accessToken: TOKEN,
      baseUrl: 'https://api.hubapi.test',
      fetch: fake.fetch,
      rateLimit: budget.limiter,
      searchRateLimit: search.limiter,
    });
    const [page] = await collect(client.search('contacts'));
    expect(page?.success).toBe(true);
    expect(search.counter.acquired).toBe(1);
    expect(budget.counter.acquired).toBe(1);
    await client.contacts.get('1000');
    expect(search.counter.acquired).toBe(1);
    expect(budget.counter.acquired).toBe(2);
  });

  it('waits on the default search limiter (5 per second) without failing', async () => {
    const { fake } = setup();
    fake.seed('contacts', 1);
    const client = createHubSpotClient({
      accessToken: TOKEN,
      baseUrl: 'https://api.hubapi.test',
      fetch: fake.fetch,
      rateLimit: false,
    });
    const pages = await Promise.all(Array.from({ length: 3 }, () => collect(client.search('contacts'))));
    expect(pages.every(([page]) => page?.success)).toBe(true);
  });
});
