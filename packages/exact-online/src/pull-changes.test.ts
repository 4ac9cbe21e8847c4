// exactChanges against the Exact Online emulator: the first load from row version 1, the changes and deletions
// after a checkpoint, pages split by pageSize, the checkpoint checked and never moving back, failures thrown typed,
// abort ending quietly.
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

const upserted = (pages: ExactChangesPage<{ ID?: string | null }>[]) =>
  pages.flatMap((page) => page.changes.flatMap((c) => (c.kind === 'upsert' ? [c.record.ID] : [])));
const deleted = (pages: ExactChangesPage<unknown>[]) =>
  pages.flatMap((page) => page.changes.flatMap((c) => (c.kind === 'delete' ? [c.key] : [])));

describe('exactChanges', () => {
  it('loads every record from row version 1 through the sync endpoint, 1 000 a request', async () => {
    const { emulator, client, urls } = setup();
    const seeded = emulator.seed('crm/Accounts', generateExactRecords({ entity: 'account', count: 2_500 }));
    const pages = await collect(exactChanges({ client, entity: 'accounts' })(null));
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
    const pull = exactChanges({ client, entity: 'accounts', includeDeleted: true });
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
    const pull = exactChanges({ client, entity: 'accounts', includeDeleted: true, pageSize: 2 });
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
    const contacts = await collect(exactChanges({ client, entity: 'contacts' })(null));
    expect(contacts.flatMap((page) => page.changes)).toHaveLength(3);
    for (const entity of ['salesInvoices', 'items', 'glAccounts', 'transactionLines'] as const) {
      await collect(exactChanges({ client, entity })(null));
    }
    expect(urls.map((url) => url.pathname.split('/').slice(4).join('/'))).toEqual([
      'sync/CRM/Contacts',
      'sync/SalesInvoice/SalesInvoices',
      'sync/Logistics/Items',
      'sync/Financial/GLAccounts',
      'sync/Financial/TransactionLines',
    ]);
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
    for (const bad of ['', '12', '1:2:3', '-1:2', '1.5:2', 'a:b', '99999999999999999999:1', ' 1:2']) {
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
