// The sync's remote lookup against servers whose pagination never ends: it must stop, fast, with a typed error for
// the records concerned, instead of walking pages for ever (or core's 2 000 per chunk). People are upserted on
// their externalId without a lookup; lookups remain for the companies people point at (never created from a
// seed before Twenty is asked) and for recovery.
import type { IntegrationStore } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { useSyncFixture } from '../test-support/fixtures.ts';

const twenty = useSyncFixture({ lease: false, retry: false }, { setup: false });

type Endless = 'fresh cursors and records' | 'the same cursor' | 'the same records' | 'no cursor';

/**
 * The emulator, except that a lookup (`GET /rest/{plural}?filter=…`) always answers `hasNextPage: true`, with a
 * new cursor and new (unrelated) records each time, or the same cursor, or the same records, or no cursor.
 */
function endless(mode: Endless, plural: 'people' | 'companies' = 'people') {
  let lookups = 0;
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    if (request.method !== 'GET' || url.pathname !== `/rest/${plural}` || !url.searchParams.has('filter')) {
      return fetch(request);
    }
    lookups++;
    const page = mode === 'the same records' ? 1 : lookups;
    const people = Array.from({ length: 3 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(page * 10 + i).padStart(12, '0')}`,
      externalId: `stranger-${page}-${i}`,
    }));
    const endCursor =
      mode === 'no cursor' ? null : mode === 'the same cursor' ? 'cursor-0' : `cursor-${lookups}`;
    return Response.json({
      data: { [plural]: people },
      totalCount: 1_000_000,
      pageInfo: { hasNextPage: true, endCursor },
    });
  };
  return { fetch: fetchImpl, lookups: () => lookups };
}

const sync = (fetchImpl: typeof fetch) => twenty.sync({ fetch: fetchImpl });

describe('sync lookup against a server that always says hasNextPage', () => {
  it.each([
    ['fresh cursors and records', 'OPERATION_FAILED', 'maxPages'],
    ['the same cursor', 'INVALID_RESPONSE', undefined],
    ['the same records', 'INVALID_RESPONSE', undefined],
    ['no cursor', 'INVALID_RESPONSE', 'pageInfo.endCursor'],
  ] as const)(
    '%s: the company lookup stops within two pages and the people fail typed',
    async (mode, code, field) => {
      const server = endless(mode, 'companies');
      const s = sync(server.fetch as typeof fetch);
      expect((await s.setup()).success).toBe(true);
      const started = Date.now();
      const records = Array.from({ length: 130 }, (_, i) => ({
        externalId: `u${i}`,
        name: `Ada ${i}`,
        companyExternalId: `c${i}`,
      }));
      const result = await s.upsertManyPersons(records);
      expect(Date.now() - started).toBeLessThan(10_000);
      if (!result.success) throw result.error;
      // Three chunks of at most 60, one lookup each, two pages at most per lookup.
      expect(server.lookups()).toBeLessThanOrEqual(6);
      expect(result.data).toMatchObject({ failed: 130, created: 0 });
      for (const failure of result.data.failures) {
        expect(failure.error.code).toBe(code);
        if (field) expect(failure.error.field).toBe(field);
      }
      // Nothing was sent for records whose lookup failed: Twenty has no person or company, nothing is mapped.
      expect(twenty.emulator.store.count('people')).toBe(0);
      expect(twenty.emulator.store.count('companies')).toBe(0);
      const mapped = await twenty.store.mappings.count({ integration: 'twenty-crm', objectType: 'person' });
      expect(mapped).toEqual({ success: true, data: 0 });
    },
  );

  it('recovery against such a server stops too, and the sync still answers', async () => {
    const server = endless('fresh cursors and records');
    const s = sync(server.fetch as typeof fetch);
    expect((await s.setup()).success).toBe(true);
    // An entry a crash left in flight: recovery looks it up in Twenty first.
    await twenty.store.syncState.outboxPut({ integration: 'twenty-crm', objectType: 'person' }, [
      { externalId: 'u1', operation: 'create', contentHash: null, createdAt: 1 },
    ]);
    const recovered = await s.recover();
    expect(recovered.success || recovered.error).toMatchObject({
      code: 'OPERATION_FAILED',
      field: 'maxPages',
    });
    expect(server.lookups()).toBeLessThanOrEqual(2);
  });

  it('a store that lists cleared outbox entries again stops recovery instead of looping', async () => {
    const stuck: IntegrationStore = {
      ...twenty.store,
      syncState: {
        ...twenty.store.syncState,
        outboxDelete: async () => ({ success: true, data: undefined }),
      },
      commitMappings: async () => ({ success: true, data: { written: 0 } }),
    };
    await twenty.store.syncState.outboxPut({ integration: 'twenty-crm', objectType: 'person' }, [
      { externalId: 'never-cleared', operation: 'create', contentHash: null, createdAt: 1 },
    ]);
    const s = twenty.sync({ store: stuck });
    expect((await s.setup()).success).toBe(true);
    const recovered = await s.recover();
    expect(recovered.success || recovered.error).toMatchObject({ code: 'OPERATION_FAILED', retryable: true });
    // The sync itself still runs: the stuck recovery is retryable, and upserts match on externalId anyway.
    const synced = await s.upsertPerson({ externalId: 'u1', name: 'Ada' });
    expect(synced.success && synced.data.created).toBe(true);
  });

  it('a lookup answer listing records nobody asked for maps none of them', async () => {
    const strangers = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const url = new URL(request.url);
      if (request.method !== 'GET' || url.pathname !== '/rest/people' || !url.searchParams.has('filter')) {
        return fetch(request);
      }
      return Response.json({
        data: {
          people: [
            { id: '00000000-0000-4000-8000-000000000001', externalId: 'someone-else' },
            { id: '00000000-0000-4000-8000-000000000002', externalId: 'u2-not-asked' },
          ],
        },
        totalCount: 2,
        pageInfo: { hasNextPage: false, endCursor: null },
      });
    };
    const s = sync(strangers as typeof fetch);
    expect((await s.setup()).success).toBe(true);
    // Writes a crash left in flight: recovery looks them up first.
    await twenty.store.syncState.outboxPut({ integration: 'twenty-crm', objectType: 'person' }, [
      { externalId: 'u1', operation: 'upsert', contentHash: null, createdAt: 1 },
      { externalId: 'u2', operation: 'upsert', contentHash: null, createdAt: 1 },
    ]);
    const result = await s.upsertManyPersons([
      { externalId: 'u1', name: 'Ada' },
      { externalId: 'u2', name: 'Grace' },
    ]);
    if (!result.success) throw result.error;
    // Both were written through the upsert (Twenty matched nothing we asked for) and mapped to what it answered.
    expect(result.data).toMatchObject({ created: 2, failed: 0 });
    const scope = { integration: 'twenty-crm', objectType: 'person' };
    const mapped = await twenty.store.mappings.getMany(scope, ['someone-else', 'u2-not-asked', 'u1', 'u2']);
    if (!mapped.success) throw mapped.error;
    expect([...mapped.data.keys()].sort()).toEqual(['u1', 'u2']);
    for (const mapping of mapped.data.values()) expect(mapping.remoteId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
