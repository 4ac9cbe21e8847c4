// The client against the HubSpot emulator's msw handlers (no socket): batches with mixed outcomes, upsert by a
// unique property, search past 10 000 results, associations, rate limits and auth failures as HubSpot answers them.
import { createHubSpotEmulator } from '@patchbay/emulators';
import { hubspotMswHandlers } from '@patchbay/emulators/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHubSpotClient, type HubSpotClientOptions } from './client.ts';

const hubspot = createHubSpotEmulator({ rateLimit: false, searchPerSecond: false });
const limited = createHubSpotEmulator({
  baseUrl: 'http://limited.hubspot.test',
  rateLimit: { max: 4, intervalMs: 300 },
  searchPerSecond: false,
});
const daily = createHubSpotEmulator({ baseUrl: 'http://daily.hubspot.test', rateLimit: { daily: 2 } });
const searching = createHubSpotEmulator({
  baseUrl: 'http://search.hubspot.test',
  rateLimit: false,
  searchPerSecond: 5,
});
const scoped = createHubSpotEmulator({
  baseUrl: 'http://scoped.hubspot.test',
  scopes: ['crm.objects.contacts.read'],
});
const server = setupServer(
  ...hubspotMswHandlers(hubspot),
  ...hubspotMswHandlers(limited),
  ...hubspotMswHandlers(daily),
  ...hubspotMswHandlers(scoped),
  ...hubspotMswHandlers(searching),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  for (const emulator of [hubspot, limited, daily, scoped, searching]) emulator.reset();
});
afterAll(() => server.close());

const clientFor = (emulator = hubspot, options: Partial<HubSpotClientOptions> = {}) =>
  createHubSpotClient({
    accessToken: emulator.token,
    baseUrl: emulator.baseUrl,
    rateLimit: false,
    searchRateLimit: false,
    retry: { retries: 3, initialDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });

describe('against the HubSpot emulator', () => {
  it('upserts contacts by email, telling created from updated', async () => {
    const client = clientFor();
    const first = await client.contacts.batchUpsert(
      [{ id: 'ada@example.com', properties: { firstname: 'Ada' } }],
      { idProperty: 'email' },
    );
    expect(first.success && first.data.outcomes[0]).toMatchObject({ ok: true, created: true });
    const second = await client.contacts.batchUpsert(
      [
        { id: 'ada@example.com', properties: { lastname: 'Lovelace' } },
        { id: 'grace@example.com', properties: { firstname: 'Grace' } },
      ],
      { idProperty: 'email' },
    );
    expect(second.success && second.data.outcomes.map((o) => o.ok && o.created)).toEqual([false, true]);
    expect(hubspot.count('contacts')).toBe(2);
  });

  it("answers an upsert by a non-unique property as each input's error", async () => {
    const client = clientFor();
    const result = await client.companies.batchUpsert([{ id: 'example.com', properties: { name: 'Ex' } }], {
      idProperty: 'domain',
    });
    expect(result.success && result.data.outcomes[0]).toMatchObject({ ok: false, error: { status: 400 } });
  });

  it('creates with a 207 of mixed outcomes, each tied to its input', async () => {
    const client = clientFor();
    hubspot.seedRecords('contacts', [{ email: 'taken@example.com' }]);
    const result = await client.contacts.batchCreate([
      { properties: { email: 'new@example.com', firstname: 'New' } },
      { properties: { email: 'taken@example.com' } },
      { properties: { email: 'other@example.com', no_such_property: 'x' } },
    ]);
    expect(result.success).toBe(true);
    if (!result.success) return;
    const [fresh, taken, unknown] = result.data.outcomes;
    expect(fresh).toMatchObject({ ok: true, index: 0, record: { properties: { email: 'new@example.com' } } });
    expect(taken).toMatchObject({ ok: false, index: 1, error: { category: 'CONFLICT', status: 409 } });
    expect(unknown).toMatchObject({ ok: false, index: 2, error: { status: 400 } });
    expect(result.data).toMatchObject({ succeeded: 1, failed: 2 });
  });

  it('reads, updates, lists and archives in batches on the dated and v3 paths', async () => {
    for (const apiVersion of ['2026-03', 'v3'] as const) {
      const client = clientFor(hubspot, { apiVersion });
      const seeded = hubspot.seedRecords(
        'deals',
        Array.from({ length: 120 }, (_, i) => ({ dealname: `Deal ${i}` })),
      );
      const ids = seeded.map((record) => record.id);
      const read = await client.deals.batchRead([...ids.slice(0, 110), '999999999']);
      expect(read.success && [read.data.succeeded, read.data.failed]).toEqual([110, 1]);
      const updated = await client.deals.batchUpdate(ids.map((id) => ({ id, properties: { amount: 5 } })));
      expect(updated.success && updated.data.succeeded).toBe(120);
      let listed = 0;
      for await (const page of client.deals.list({ limit: 50 }))
        if (page.success) listed += page.data.results.length;
      expect(listed).toBe(120);
      const archived = await client.deals.batchArchive(ids);
      expect(archived.success && archived.data.succeeded).toBe(120);
      expect(hubspot.count('deals')).toBe(0);
    }
  });

  it('searches past the 10 000-result cap', async () => {
    const client = clientFor();
    hubspot.seedRecords(
      'contacts',
      Array.from({ length: 10_250 }, (_, i) => ({ email: `c${i}@example.com`, lifecyclestage: 'lead' })),
    );
    const ids = new Set<string>();
    for await (const page of client.search('contacts', {
      filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] }],
      properties: ['email'],
      limit: 200,
    })) {
      expect(page.success).toBe(true);
      if (page.success) for (const record of page.data.results) ids.add(record.id);
    }
    expect(ids.size).toBe(10_250);
  });

  it('creates and reads associations, ids as strings', async () => {
    const client = clientFor();
    const [contact] = hubspot.seedRecords('contacts', [{ email: 'a@example.com' }]);
    const [company] = hubspot.seedRecords('companies', [{ name: 'Acme' }]);
    const created = await client.associations.batchCreateDefault('contacts', 'companies', [
      { from: { id: contact!.id }, to: { id: company!.id } },
    ]);
    expect(created.success && created.data.succeeded).toBe(1);
    const read = await client.associations.batchRead('contacts', 'companies', [contact!.id]);
    expect(read.success && read.data.outcomes[0]).toMatchObject({
      ok: true,
      record: { to: [{ toObjectId: company!.id }] },
    });
  });

  it('follows the rate-limit headers and retries a TEN_SECONDLY_ROLLING 429', async () => {
    const client = clientFor(limited, { rateLimit: { limit: 100, intervalMs: 300 } });
    const [record] = limited.seedRecords('contacts', [{ email: 'a@example.com' }]);
    // Before the first answer the client knows only its option (100), so a burst draws 429s, which it retries.
    const results = await Promise.all(Array.from({ length: 10 }, () => client.contacts.get(record!.id)));
    expect(results.every((result) => result.success)).toBe(true);
    expect(limited.counters.count({ outcome: 429 })).toBeGreaterThan(0);
    // Once answered, it paces itself at X-HubSpot-RateLimit-Max (4 per 300 ms) and draws none.
    await new Promise((resolve) => setTimeout(resolve, 350));
    limited.counters.reset();
    const paced = await Promise.all(Array.from({ length: 8 }, () => client.contacts.get(record!.id)));
    expect(paced.every((result) => result.success)).toBe(true);
    expect(limited.counters.count({ outcome: 429 })).toBe(0);
  });

  it('keeps search within 5 per second on its own limiter: no secondly 429 drawn', async () => {
    const client = clientFor(searching, { searchRateLimit: undefined });
    searching.seedRecords('contacts', [{ email: 'a@example.com' }]);
    const pages = await Promise.all(
      Array.from({ length: 8 }, async () => {
        for await (const page of client.search('contacts')) return page;
      }),
    );
    expect(pages.every((page) => page?.success)).toBe(true);
    expect(searching.counters.count({ outcome: 429 })).toBe(0);
  });

  it("retries HubSpot's own TEN_SECONDLY_ROLLING and search SECONDLY 429s, and stops at once on DAILY", async () => {
    const [record] = limited.seedRecords('contacts', [{ email: 'a@example.com' }]);
    const client = clientFor(limited);
    limited.rateLimiter.force('TEN_SECONDLY_ROLLING', 1);
    expect((await client.contacts.get(record!.id)).success).toBe(true);
    expect(limited.counters.count({ outcome: 429 })).toBe(1);
    limited.rateLimiter.force('SECONDLY', 1);
    for await (const page of client.search('contacts')) expect(page.success).toBe(true);
    expect(limited.counters.count({ outcome: 429 })).toBe(2);
    limited.rateLimiter.force('DAILY', 1);
    const daily = await client.contacts.get(record!.id);
    expect(daily).toMatchObject({ success: false, error: { code: 'RATE_LIMIT', retryable: false } });
    expect(limited.counters.count({ outcome: 429 })).toBe(3);
  });

  it('stops on a DAILY 429 with a final RATE_LIMIT', async () => {
    const client = clientFor(daily);
    const [record] = daily.seedRecords('contacts', [{ email: 'a@example.com' }]);
    await client.contacts.get(record!.id);
    await client.contacts.get(record!.id);
    const third = await client.contacts.get(record!.id);
    expect(third).toMatchObject({ success: false, error: { code: 'RATE_LIMIT', retryable: false } });
  });

  it('reads MISSING_SCOPES as AUTH_ERROR and a wrong token as AUTH_ERROR', async () => {
    const write = await clientFor(scoped).contacts.batchCreate([{ properties: { email: 'x@example.com' } }]);
    expect(write.success && write.data.outcomes[0]).toMatchObject({
      ok: false,
      error: { category: 'AUTH_ERROR', status: 403, retryable: false },
    });
    const wrong = await clientFor(hubspot, { accessToken: 'pat-na1-wrong' }).contacts.get('1');
    expect(wrong).toMatchObject({ success: false, error: { code: 'AUTH_ERROR', status: 401 } });
  });
});
