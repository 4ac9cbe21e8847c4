// exactDeletions against the Exact Online emulator (division-wide row versions, `sync/Deleted` paged by 1 000) and
// a hand-made fetch for what the emulator never answers (unknown entity types, a filter ignored).
import { generateExactRecords } from '@patchbay/emulators';
import { describe, expect, it } from 'vitest';
import { setupEmulatedExact as setup, stubbedExactClient } from '../test-support/emulated-client.ts';
import type { ExactClient } from './client.ts';
import { type ExactDeletedPage, type ExactDeletionsOptions, exactDeletions } from './deleted.ts';

const fakeClient = (body: unknown) => stubbedExactClient(async () => Response.json(body));

async function collect(
  client: ExactClient,
  options?: ExactDeletionsOptions,
): Promise<{ pages: ExactDeletedPage[]; error?: { code: string; field?: string } }> {
  const pages: ExactDeletedPage[] = [];
  for await (const page of exactDeletions(client, options)) {
    if (!page.success) return { pages, error: page.error };
    pages.push(page.data);
  }
  return { pages };
}

describe('exactDeletions', () => {
  it('reads the deletions after a row version, typed, named by entity, paged by 1 000', async () => {
    const { emulator, client, urls } = setup();
    const accounts = emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 1_100 }));
    const contacts = emulator.seed(
      'crm/Contacts',
      generateExactRecords({ entity: 'contact', count: 3, accountIds: [String(accounts[0]?.ID)] }),
    );
    for (const account of accounts.slice(0, 1_050)) emulator.deleteRecord('crm/Accounts', String(account.ID));
    emulator.deleteRecord('crm/Contacts', String(contacts[0]?.ID));

    const { pages, error } = await collect(client);
    expect(error).toBeUndefined();
    expect(pages.map((page) => page.items.length)).toEqual([1_000, 51]);
    const first = pages[0]?.items[0];
    expect(first).toEqual({
      entity: 'accounts',
      entityType: 2,
      key: String(accounts[0]?.ID),
      timestamp: expect.stringMatching(/^\d+$/),
    });
    expect(pages[1]?.items.at(-1)).toMatchObject({ entity: 'contacts', entityType: 5, key: contacts[0]?.ID });
    const last = emulator.deleted().at(-1);
    expect(pages.at(-1)?.timestamp).toBe(last?.Timestamp);
    expect(urls[0]?.pathname).toBe(`/api/v1/${emulator.division}/sync/Deleted`);
    expect(urls[0]?.searchParams.get('$filter')).toBe('Timestamp gt 1L');
    expect(urls[0]?.searchParams.get('$select')).toBe('Timestamp,EntityType,EntityKey,ID,Division');
  });

  it('resumes after a timestamp, keeps one entity while the checkpoint moves over every one', async () => {
    const { emulator, client, urls } = setup();
    const accounts = emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 4 }));
    const contacts = emulator.seed(
      'crm/Contacts',
      generateExactRecords({ entity: 'contact', count: 2, accountIds: [String(accounts[3]?.ID)] }),
    );
    emulator.deleteRecord('crm/Accounts', String(accounts[0]?.ID));
    const since = emulator.deleted().at(-1)?.Timestamp ?? '';
    emulator.deleteRecord('crm/Accounts', String(accounts[1]?.ID));
    emulator.deleteRecord('crm/Contacts', String(contacts[0]?.ID));

    const { pages } = await collect(client, { since: BigInt(since), entity: 'accounts' });
    expect(pages.flatMap((page) => page.items.map((item) => item.key))).toEqual([accounts[1]?.ID]);
    expect(pages.at(-1)?.timestamp).toBe(emulator.deleted().at(-1)?.Timestamp);
    expect(urls.at(-1)?.searchParams.get('$filter')).toBe(`Timestamp gt ${since}L`);

    // Nothing after the last one: an empty page at the same timestamp.
    const idle = await collect(client, { since: pages.at(-1)?.timestamp ?? '' });
    expect(idle.pages).toEqual([{ items: [], timestamp: pages.at(-1)?.timestamp }]);
  });

  it('reads DeletedBy and DeletedDate with audit: true', async () => {
    const { emulator, client, urls } = setup();
    const [account] = emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 1 }));
    emulator.deleteRecord('crm/Accounts', String(account?.ID));
    const { pages } = await collect(client, { audit: true });
    expect(pages[0]?.items[0]).toMatchObject({
      deletedBy: expect.stringMatching(/^[0-9a-f-]{36}$/),
      deletedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(urls[0]?.searchParams.get('$select')).toContain('DeletedBy,DeletedDate');
  });

  it('keeps an unknown EntityType as its number, and Int64 timestamps past 2^53 exact', async () => {
    const client = fakeClient({
      d: {
        results: [
          { Timestamp: '9007199254740993', EntityType: 99, EntityKey: 'ABC-1', ID: null, Division: 1 },
          {
            Timestamp: '9223372036854775807',
            EntityType: 13,
            EntityKey: '0A6F0D4C-0000-4000-8000-000000000001',
          },
        ],
      },
    });
    const { pages } = await collect(client, { since: '9007199254740992' });
    expect(pages[0]?.items).toEqual([
      { entity: 99, entityType: 99, key: 'ABC-1', timestamp: '9007199254740993' },
      {
        entity: 'salesInvoices',
        entityType: 13,
        key: '0a6f0d4c-0000-4000-8000-000000000001',
        timestamp: '9223372036854775807',
      },
    ]);
    expect(pages[0]?.timestamp).toBe('9223372036854775807');
  });

  it('answers INVALID_RESPONSE for a row not after since (a filter ignored), and for a bad body', async () => {
    const ignored = fakeClient({ d: { results: [{ Timestamp: '5', EntityType: 2, EntityKey: 'x' }] } });
    expect((await collect(ignored, { since: '10' })).error).toMatchObject({ code: 'INVALID_RESPONSE' });
    const bad = fakeClient({ d: { results: [{ Timestamp: 'soon', EntityType: 2, EntityKey: 'x' }] } });
    expect((await collect(bad)).error).toMatchObject({ code: 'INVALID_RESPONSE' });
  });

  it('refuses bad options before any request', async () => {
    const { client, urls } = setup();
    for (const [options, field] of [
      [{ since: '1.5' }, 'options.since'],
      [{ since: '-1' }, 'options.since'],
      [{ since: 12 }, 'options.since'],
      [{ since: '99999999999999999999' }, 'options.since'],
      [{ entity: 'toString' }, 'options.entity'],
      [{ audit: 'yes' }, 'options.audit'],
      [{ signal: 'stop' }, 'options.signal'],
    ] as const) {
      const { error } = await collect(client, options as unknown as ExactDeletionsOptions);
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', field });
    }
    expect(urls).toHaveLength(0);
  });
});
