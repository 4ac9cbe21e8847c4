// exactChanges against the Exact Online emulator: the first load through the bulk endpoint joined to the Sync API
// (or from row version 1), the changes and deletions after a checkpoint, pages split by pageSize, the checkpoint
// checked and never moving back, failures thrown typed, abort ending quietly.
import { IntegrationError, ok, Secret } from '@patchbay/core';
import { generateExactRecords } from '@patchbay/emulators';
import { describe, expect, it } from 'vitest';
import { setupEmulatedExact as setup, stubbedExactClient } from '../test-support/emulated-client.ts';
import { createExactClient } from './client.ts';
import {
  type ExactChangesEntity,
  type ExactChangesOptions,
  type ExactChangesPage,
  exactChanges,
} from './pull-changes.ts';

async function collect<R>(pages: AsyncIterable<ExactChangesPage<R>>) {
  const out: ExactChangesPage<R>[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const DAY = 86_400_000;
// Records as an account holds them: last modified over the past year, not all this instant.
const aged = <T extends Record<string, unknown>>(records: T[]) =>
  records.map((record, index) => ({
    ...record,
    Modified: `/Date(${Date.now() - DAY * (1 + (index % 365))})/`,
  }));
const path = (url: URL) => url.pathname.split('/').slice(4).join('/');

const upserted = (pages: ExactChangesPage<{ ID?: string | null }>[]) =>
  pages.flatMap((page) => page.changes.flatMap((c) => (c.kind === 'upsert' ? [c.record.ID] : [])));
const deleted = (pages: ExactChangesPage<unknown>[]) =>
  pages.flatMap((page) => page.changes.flatMap((c) => (c.kind === 'delete' ? [c.key] : [])));

describe('exactChanges', () => {
  it('loads through the bulk endpoint, then goes on with the Sync API from the row version SyncTimestamp gave', async () => {
    const { emulator, client, urls } = setup();
    const seeded = emulator.seed(
      'crm/Accounts',
      aged(generateExactRecords({ entity: 'account', count: 2_500 })),
    );
    const now = Date.now();
    const pull = exactChanges({ client, entity: 'accounts', clock: () => now });
    const pages = await collect(pull(null));
    expect(pages.map((page) => page.changes.length)).toEqual([1_000, 1_000, 500, 0]);
    expect(new Set(upserted(pages))).toEqual(new Set(seeded.map((record) => record.ID)));
    expect(urls.map(path)).toEqual([
      'read/sync/Sync/SyncTimestamp',
      'bulk/CRM/Accounts',
      'bulk/CRM/Accounts',
      'bulk/CRM/Accounts',
      'sync/CRM/Accounts',
    ]);
    // Every record was last modified before the minute before now: the Sync API starts after the newest of them.
    const start = String(seeded.at(-1)?.Timestamp);
    expect(urls[0]?.searchParams.get('endPoint')).toBe("'Accounts'");
    expect(urls[1]?.searchParams.get('$filter')).toMatch(/^Modified lt datetime'\d{4}-\d\d-\d\dT[\d:.]+'$/);
    expect(urls[2]?.searchParams.get('$skiptoken')).toMatch(/^guid'[0-9a-f-]{36}'$/);
    expect(urls[4]?.searchParams.get('$filter')).toBe(`Timestamp gt ${start}L`);
    const keys = upserted(pages) as string[];
    expect(pages[0]?.checkpoint).toBe(`load:${start}:${now}:${keys[999]}`);
    // The load over: its end saved as the Sync API's two halves, both from the load's row version.
    expect(pages.at(-1)).toEqual({ changes: [], checkpoint: `${start}:${start}` });

    // Then only what changed.
    emulator.updateRecord('crm/Accounts', String(seeded[7]?.ID), { Name: 'Changed' });
    const next = await collect(pull(pages.at(-1)!.checkpoint));
    expect(upserted(next)).toEqual([seeded[7]?.ID]);
  });

  it('resumes a load stopped half-way after the last key handed out, and reads what changed during it', async () => {
    const { emulator, client, urls } = setup();
    const seeded = emulator.seed(
      'crm/Accounts',
      aged(generateExactRecords({ entity: 'account', count: 2_500 })),
    );
    const pull = exactChanges({ client, entity: 'accounts', includeDeleted: true, pageSize: 500 });
    const counts = new Map<string, number>();
    const removed = new Set<string>();
    const take = (page: ExactChangesPage<{ ID?: string | null; Name?: string | null }>) => {
      for (const change of page.changes) {
        if (change.kind === 'delete') removed.add(change.key);
        else counts.set(String(change.record.ID), (counts.get(String(change.record.ID)) ?? 0) + 1);
      }
    };
    let saved = '';
    for await (const page of pull(null)) {
      take(page);
      saved = page.checkpoint;
      if (counts.size === 1_000) break;
    }
    expect(saved).toMatch(/^load:\d+:\d+:[0-9a-f-]{36}$/);
    // While the load is stopped, a user changes records read and not yet read, adds one and deletes one.
    const keys = [...counts.keys()];
    const unread = seeded.map((record) => String(record.ID)).filter((id) => !counts.has(id));
    emulator.updateRecord('crm/Accounts', keys[3]!, { Name: 'Changed after read' });
    emulator.updateRecord('crm/Accounts', unread[10]!, { Name: 'Changed before read' });
    emulator.deleteRecord('crm/Accounts', unread[20]!);
    const made = emulator.createRecord('crm/Accounts', { Name: 'New', Code: '77' });
    urls.length = 0;
    const rest: ExactChangesPage<{ ID?: string | null; Name?: string | null }>[] = [];
    for await (const page of pull(saved)) {
      take(page);
      rest.push(page);
    }
    expect(urls[0]?.searchParams.get('$skiptoken')).toBe(`guid'${saved.split(':')[3]}'`);
    expect(path(urls[0]!)).toBe('bulk/CRM/Accounts');
    // Every record handed out; the unchanged ones once; the changed and new ones come (again) from the Sync API.
    const live = seeded.map((record) => String(record.ID)).filter((id) => id !== unread[20]);
    expect([...counts.keys()].filter((id) => !removed.has(id)).sort()).toEqual(
      [...live, String(made.ID)].sort(),
    );
    for (const id of live) if (id !== keys[3] && id !== unread[10]) expect(counts.get(id)).toBe(1);
    expect(counts.get(keys[3]!)).toBe(2);
    expect(removed).toEqual(new Set([unread[20]]));
    const last = rest.flatMap((page) => page.changes).filter((change) => change.kind === 'upsert');
    expect(last.at(-1)).toMatchObject({ record: { ID: made.ID } });
    expect(rest.at(-1)?.checkpoint).toMatch(/^\d+:\d+$/);
  });

  it('loads every record from row version 1 through the sync endpoint with firstLoad sync', async () => {
    const { emulator, client, urls } = setup();
    const seeded = emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 2_500 }));
    const pages = await collect(exactChanges({ client, entity: 'accounts', firstLoad: 'sync' })(null));
    expect(pages.map((page) => page.changes.length)).toEqual([1_000, 1_000, 500]);
    expect(upserted(pages)).toEqual(seeded.map((record) => record.ID));
    const last = String(seeded.at(-1)?.Timestamp);
    expect(pages.at(-1)?.checkpoint).toBe(`${last}:1`);
    expect(urls.map((url) => url.pathname)).toEqual(
      Array(3).fill(`/api/v1/${emulator.division}/sync/CRM/Accounts`),
    );
    expect(urls[0]?.searchParams.get('$filter')).toBe('Timestamp gt 1L');
    // Each page's checkpoint is the highest row version handed out so far.
    expect(pages[0]?.checkpoint).toBe(`${String(seeded[999]?.Timestamp)}:1`);
  });

  it('after a checkpoint: the records changed since, then the deletions of that entity only', async () => {
    const { emulator, client, urls } = setup();
    const accounts = emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 10 }));
    const contacts = emulator.seed(
      'crm/Contacts',
      generateExactRecords({ entity: 'contact', count: 2, accountIds: [String(accounts[9]?.ID)] }),
    );
    const pull = exactChanges({ client, entity: 'accounts', includeDeleted: true, firstLoad: 'sync' });
    const first = await collect(pull(null));
    expect(upserted(first)).toHaveLength(10);
    const checkpoint = first.at(-1)!.checkpoint;

    emulator.updateRecord('crm/Accounts', String(accounts[2]?.ID), { Name: 'Changed' });
    emulator.deleteRecord('crm/Accounts', String(accounts[5]?.ID));
    emulator.deleteRecord('crm/Contacts', String(contacts[0]?.ID));
    const made = emulator.createRecord('crm/Accounts', { Name: 'New', Code: '77' });
    urls.length = 0;
    const next = await collect(pull(checkpoint));
    expect(next.flatMap((page) => page.changes)).toEqual([
      { kind: 'upsert', record: expect.objectContaining({ ID: accounts[2]?.ID, Name: 'Changed' }) },
      { kind: 'upsert', record: expect.objectContaining({ ID: made.ID, Name: 'New' }) },
      { kind: 'delete', key: accounts[5]?.ID, timestamp: expect.stringMatching(/^\d+$/) },
    ]);
    const [records, deletions] = next.at(-1)!.checkpoint.split(':');
    expect(records).toBe(String(made.Timestamp));
    expect(deletions).toBe(emulator.deleted().at(-1)?.Timestamp);
    expect(urls.map((url) => url.pathname.split('/').slice(4).join('/'))).toEqual([
      'sync/CRM/Accounts',
      'sync/Deleted',
    ]);
    expect(urls[0]?.searchParams.get('$filter')).toBe(`Timestamp gt ${checkpoint.split(':')[0]}L`);
    expect(urls[1]?.searchParams.get('$filter')).toBe(`Timestamp gt ${checkpoint.split(':')[1]}L`);

    // Nothing new: no page, and the checkpoint holds.
    expect(await collect(pull(next.at(-1)!.checkpoint))).toEqual([]);
  });

  it("moves the deletions half over other entities' deletions with an empty page", async () => {
    const { emulator, client } = setup();
    const accounts = emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 1 }));
    const contacts = emulator.seed(
      'crm/Contacts',
      generateExactRecords({ entity: 'contact', count: 1, accountIds: [String(accounts[0]?.ID)] }),
    );
    emulator.deleteRecord('crm/Contacts', String(contacts[0]?.ID));
    const records = String(accounts[0]?.Timestamp);
    const pages = await collect(
      exactChanges({ client, entity: 'accounts', includeDeleted: true })(`${records}:1`),
    );
    expect(pages).toEqual([{ changes: [], checkpoint: `${records}:${emulator.deleted()[0]?.Timestamp}` }]);
  });

  it('splits pages by pageSize, each with its own checkpoint', async () => {
    const { emulator, client } = setup();
    const seeded = emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 5 }));
    for (const record of seeded.slice(0, 3)) emulator.deleteRecord('crm/Accounts', String(record.ID));
    const pull = exactChanges({
      client,
      entity: 'accounts',
      includeDeleted: true,
      pageSize: 2,
      firstLoad: 'sync',
    });
    const pages = await collect(pull(null));
    expect(pages.map((page) => page.changes.map((change) => change.kind))).toEqual([
      ['upsert', 'upsert'],
      ['delete', 'delete'],
      ['delete'],
    ]);
    const ts = emulator.deleted().map((entry) => entry.Timestamp);
    const live = String(seeded[4]?.Timestamp);
    expect(pages.map((page) => page.checkpoint)).toEqual([
      `${live}:1`,
      `${live}:${ts[1]}`,
      `${live}:${ts[2]}`,
    ]);
    // Resuming from a split page's checkpoint hands out the rest only.
    expect(deleted(await collect(pull(pages[1]!.checkpoint)))).toEqual([seeded[2]?.ID]);
  });

  it('without includeDeleted: no sync/Deleted read, the deletions half left as it was', async () => {
    const { emulator, client, urls } = setup();
    const [account] = emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 2 }));
    emulator.deleteRecord('crm/Accounts', String(account?.ID));
    const pages = await collect(exactChanges({ client, entity: 'accounts' })('1:42'));
    expect(deleted(pages)).toEqual([]);
    expect(pages.at(-1)?.checkpoint).toMatch(/^\d+:42$/);
    expect(urls.some((url) => url.pathname.endsWith('sync/Deleted'))).toBe(false);
  });

  it('pulls contacts, items and the other sync entities from their own endpoints', async () => {
    const { emulator, client, urls } = setup();
    const accounts = emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 1 }));
    emulator.seed(
      'crm/Contacts',
      generateExactRecords({ entity: 'contact', count: 3, accountIds: [String(accounts[0]?.ID)] }),
    );
    const contacts = await collect(exactChanges({ client, entity: 'contacts', firstLoad: 'sync' })(null));
    expect(contacts.flatMap((page) => page.changes)).toHaveLength(3);
    for (const entity of ['salesInvoices', 'items', 'glAccounts', 'transactionLines'] as const) {
      await collect(exactChanges({ client, entity, firstLoad: 'sync' })(null));
    }
    expect(urls.map((url) => url.pathname.split('/').slice(4).join('/'))).toEqual([
      'sync/CRM/Contacts',
      'sync/SalesInvoice/SalesInvoices',
      'sync/Logistics/Items',
      'sync/Financial/GLAccounts',
      'sync/Financial/TransactionLines',
    ]);
    // And their bulk loads, each joined to its own sync endpoint.
    urls.length = 0;
    for (const entity of ['contacts', 'salesInvoices', 'items', 'glAccounts', 'transactionLines'] as const) {
      await collect(exactChanges({ client, entity })(null));
    }
    expect(urls.map(path).filter((at) => at.startsWith('bulk/'))).toEqual([
      'bulk/CRM/Contacts',
      'bulk/SalesInvoice/SalesInvoices',
      'bulk/Logistics/Items',
      'bulk/Financial/GLAccounts',
      'bulk/Financial/TransactionLines',
    ]);
    expect(urls.map(path).filter((at) => at.endsWith('SyncTimestamp'))).toHaveLength(5);
  });

  it('refuses a bulk record without its GUID key: INVALID_RESPONSE, the load not moved past it', async () => {
    const bodies: unknown[] = [
      { d: { results: [{ TimeStampAsBigInt: '41' }] } },
      { d: { results: [{ ID: '0a6f0d4c-0000-4000-8000-000000000001' }, { Name: 'no key' }] } },
    ];
    const client = stubbedExactClient(async () => Response.json(bodies.shift()));
    const seen: ExactChangesPage<unknown>[] = [];
    const thrown = await (async () => {
      for await (const page of exactChanges({ client, entity: 'accounts' })(null)) seen.push(page);
    })().catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'INVALID_RESPONSE', field: 'ID' });
    expect(seen).toEqual([]);
  });

  it("throws SyncTimestamp's failure typed before any bulk read", async () => {
    const paths: string[] = [];
    const client = stubbedExactClient(async (input) => {
      paths.push(new URL(new Request(input).url).pathname);
      return Response.json({ d: { results: [{ TimeStampAsBigInt: 'soon' }] } });
    });
    const thrown = await collect(exactChanges({ client, entity: 'items' })(null)).catch(
      (error: unknown) => error,
    );
    expect(thrown).toMatchObject({ code: 'INVALID_RESPONSE' });
    expect(paths).toEqual(['/api/v1/1/read/sync/Sync/SyncTimestamp']);
  });

  it('keeps Int64 checkpoints past 2^53 exact, and never moves them back', async () => {
    const big = '9007199254740993';
    const bodies: unknown[] = [
      { d: { results: [{ ID: '0a6f0d4c-0000-4000-8000-000000000001', Timestamp: '9007199254740995' }] } },
      { d: { results: [] } },
    ];
    const client = stubbedExactClient(async () => Response.json(bodies.shift()));
    const pages = await collect(
      exactChanges({ client, entity: 'accounts', includeDeleted: true })(`${big}:9223372036854775806`),
    );
    // The deletions read answered nothing: its half stays (an empty read never lowers it to 1).
    expect(pages.map((page) => page.checkpoint)).toEqual(['9007199254740995:9223372036854775806']);
  });

  it('checks the checkpoint when read: VALIDATION_ERROR, field checkpoint, before any request', async () => {
    const { client, urls } = setup();
    const pull = exactChanges({ client, entity: 'accounts' });
    const guid = '0a6f0d4c-0000-4000-8000-000000000001';
    for (const bad of [
      '',
      '12',
      '1:2:3',
      '-1:2',
      '1.5:2',
      'a:b',
      '99999999999999999999:1',
      ' 1:2',
      'load:1:2',
      `load:x:2:${guid}`,
      `load:1:2.5:${guid}`,
      'load:1:2:not-a-guid',
      `bulk:1:2:${guid}`,
    ]) {
      const thrown = await collect(pull(bad)).catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(IntegrationError);
      expect(thrown).toMatchObject({ code: 'VALIDATION_ERROR', field: 'checkpoint' });
    }
    const notText = await collect(pull(12 as unknown as string)).catch((error: unknown) => error);
    expect(notText).toMatchObject({ code: 'VALIDATION_ERROR', field: 'checkpoint' });
    expect(urls).toHaveLength(0);
  });

  it('checks its options at once: CONFIG_ERROR naming the field', () => {
    const { client } = setup();
    const cases: [Partial<ExactChangesOptions<ExactChangesEntity>>, string][] = [
      [{ client, entity: 'costCenters' as ExactChangesEntity }, 'entity'],
      [{ client, entity: 'accounts', pageSize: 0 }, 'pageSize'],
      [{ client, entity: 'accounts', pageSize: 1_001 }, 'pageSize'],
      [{ client, entity: 'accounts', pageSize: 1.5 }, 'pageSize'],
      [{ client, entity: 'accounts', includeDeleted: 'yes' as unknown as boolean }, 'includeDeleted'],
      [{ client, entity: 'accounts', firstLoad: 'rest' as 'bulk' }, 'firstLoad'],
      [{ client, entity: 'accounts', clock: 5 as unknown as () => number }, 'clock'],
      [{ client: {} as typeof client, entity: 'accounts' }, 'client'],
    ];
    for (const [options, field] of cases) {
      expect(() => exactChanges(options as ExactChangesOptions<ExactChangesEntity>)).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR', field }),
      );
    }
  });

  it("throws Exact's failure typed when iterating, and ends quietly on abort", async () => {
    const { emulator, client } = setup();
    emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 2_500 }));
    const failing = createExactClient({
      baseUrl: emulator.baseUrl,
      oauth: { getAccessToken: async () => ok(new Secret('wrong-token')) },
      division: emulator.division,
      fetch: async (input, init) => (await emulator.handler(new Request(input, init))) as Response,
      retry: false,
      rateLimit: false,
    });
    const thrown = await collect(exactChanges({ client: failing, entity: 'accounts' })(null)).catch(
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(IntegrationError);
    expect(thrown).toMatchObject({ code: 'AUTH_ERROR' });

    const controller = new AbortController();
    const seen: ExactChangesPage<unknown>[] = [];
    for await (const page of exactChanges({ client, entity: 'accounts' })(null, controller.signal)) {
      seen.push(page);
      controller.abort();
    }
    expect(seen).toHaveLength(1);
  });
});
