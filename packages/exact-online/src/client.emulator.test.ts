// The client against the Exact Online emulator of @patchbay/emulators (its OAuth2 rules, OData v2 reads, `$select`
// checks, mandatory filtering, limits and error budget), through its handler: no network.
import { Secret } from '@patchbay/core';
import { createMemoryOAuth2TokenStore } from '@patchbay/core/oauth';
import { createMemoryStore } from '@patchbay/core/store';
import { createExactOnlineEmulator, generateExactRecords } from '@patchbay/emulators';
import { describe, expect, it } from 'vitest';
import { createExactClient, type ExactClientOptions } from './client.ts';
import { exactFilter as f } from './filter.ts';

function setup(options: Partial<ExactClientOptions> = {}, expiresInMs = 600_000) {
  const emulator = createExactOnlineEmulator({ divisions: [1234567, 7654321] });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const reply = await emulator.handler(new Request(input, init));
    if (reply instanceof Response) return reply;
    throw new TypeError('connection reset');
  };
  const grant = emulator.issueTokens();
  const tokens = createMemoryOAuth2TokenStore({
    accessToken: new Secret(grant.access_token),
    tokenType: 'bearer',
    expiresAt: Date.now() + expiresInMs,
    refreshToken: new Secret(grant.refresh_token),
    scope: null,
    obtainedAt: Date.now(),
  });
  const client = createExactClient({
    baseUrl: emulator.baseUrl,
    oauth: { clientId: emulator.clientId, clientSecret: emulator.clientSecret, tokens },
    store: createMemoryStore(),
    fetch,
    retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 1 },
    ...options,
  });
  return { emulator, client, tokens };
}

async function all<T>(pages: AsyncIterable<{ success: boolean; data?: T[]; error?: unknown }>) {
  const items: T[] = [];
  for await (const page of pages) {
    if (!page.success) return { items, error: page.error as { code: string; message: string } };
    items.push(...(page.data ?? []));
  }
  return { items, error: undefined };
}

describe('against the Exact Online emulator', () => {
  it('reads the current division and the divisions of the licence', async () => {
    const { client } = setup();
    expect(await client.division()).toEqual({ success: true, data: 1234567 });
    const { items, error } = await all(client.divisions());
    expect(error).toBeUndefined();
    expect(items.map((division) => [division.Code, division.Current])).toEqual([
      [1234567, true],
      [7654321, false],
    ]);
  });

  it('pages accounts with a filter, and reads them in bulk', async () => {
    const { emulator, client } = setup();
    emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 150 }));
    const listed = await all(client.accounts.list({ filter: f.ne('Name', null) }));
    expect(listed.error).toBeUndefined();
    expect(listed.items).toHaveLength(150);
    expect(listed.items[0]?.ID).toMatch(/^[0-9a-f-]{36}$/);
    expect(listed.items[0]?.Created).toMatch(/^\d{4}-\d\d-\d\dT/);
    const bulk = await all(
      client.accounts.bulk({ filter: f.ne('Name', null), select: ['ID', 'Code', 'Name'] }),
    );
    expect(bulk.error).toBeUndefined();
    expect(bulk.items).toHaveLength(150);
    const one = await client.accounts.get(listed.items[3]?.ID ?? '');
    expect(one).toMatchObject({ success: true, data: { Name: listed.items[3]?.Name } });
  });

  it('syncs accounts by row version, and resumes from the checkpoint', async () => {
    const { emulator, client } = setup();
    emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 1_200 }));
    let checkpoint = '1';
    let count = 0;
    let pages = 0;
    for await (const page of client.accounts.sync()) {
      expect(page.success).toBe(true);
      if (!page.success) return;
      pages++;
      count += page.data.items.length;
      expect(BigInt(page.data.timestamp)).toBeGreaterThan(BigInt(checkpoint));
      checkpoint = page.data.timestamp;
    }
    expect([pages, count]).toEqual([2, 1_200]);
    const [first] = emulator.list('crm/Accounts');
    emulator.updateRecord('crm/Accounts', String(first?.ID), { Name: 'Renamed' });
    const changed: unknown[] = [];
    for await (const page of client.accounts.sync({ since: checkpoint, select: ['ID', 'Name'] })) {
      if (page.success) changed.push(...page.data.items);
    }
    expect(changed).toEqual([{ ID: first?.ID, Name: 'Renamed', Timestamp: expect.any(String) }]);
  });

  it('reports what Exact refuses, with its message', async () => {
    const { client } = setup();
    const unfiltered = await all(client.accounts.list());
    expect(unfiltered.error?.code).toBe('VALIDATION_ERROR');
    expect(unfiltered.error?.message).toMatch(/mandatory filtering/i);
    const unknown = await all(
      client.accounts.list({ select: ['ID', 'NoSuchField'], filter: f.ne('Name', null) }),
    );
    expect(unknown.error?.message).toContain("Could not find a property named 'NoSuchField'");
  });

  it("stops an endpoint at 9 errors in the hour, before the emulator's block at 10", async () => {
    const { client } = setup({ retry: false });
    const bad = { select: ['ID', 'NoSuchField'], filter: f.ne('Name', null) };
    for (let i = 0; i < 9; i++)
      expect((await all(client.accounts.list(bad))).error?.code).toBe('VALIDATION_ERROR');
    const stopped = await all(client.accounts.list({ filter: f.ne('Name', null) }));
    expect(stopped.error).toMatchObject({ code: 'RATE_LIMIT', retryable: false });
    // The key is not blocked: the emulator still answers another endpoint.
    expect((await all(client.contacts.list({ filter: f.ne('LastName', null) }))).error).toBeUndefined();
  });

  it('refreshes in the last 30 seconds, and stores the rotated set', async () => {
    const { emulator, client, tokens } = setup({}, 20_000);
    emulator.advanceTime(580_000);
    expect(await client.division()).toEqual({ success: true, data: 1234567 });
    expect(emulator.tokenStats()).toMatchObject({ refreshes: 1, tooEarly: 0, oldRefreshTokenUsed: 0 });
    const stored = await tokens.read();
    expect(stored.success && stored.data?.expiresAt).toBeGreaterThan(Date.now() + 500_000);
  });
});
