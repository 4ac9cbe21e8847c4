// exactSyncTimestamp against the Exact Online emulator and against hand-made answers: the request it sends, the
// row version read as exact Int64 text, both answer shapes, and every failure as a typed result.
import { IntegrationError } from '@patchbay/core';
import { generateExactRecords } from '@patchbay/emulators';
import { describe, expect, it } from 'vitest';
import { setupEmulatedExact as setup, stubbedExactClient } from '../test-support/emulated-client.ts';
import { type ExactSyncTimestampOptions, exactSyncTimestamp } from './sync-timestamp.ts';

const DAY = 86_400_000;

describe('exactSyncTimestamp', () => {
  it('answers the row version after which the records modified since the date are read', async () => {
    const { emulator, client, urls } = setup();
    const old = emulator.seed(
      'crm/Accounts',
      generateExactRecords({ entity: 'account', count: 3 }).map((record) => ({
        ...record,
        Modified: `/Date(${Date.now() - 10 * DAY})/`,
      })),
    );
    const recent = emulator.createRecord('crm/Accounts', { Name: 'Recent', Code: '9' });
    const since = await exactSyncTimestamp(client, { entity: 'accounts', modified: Date.now() - DAY });
    expect(since).toEqual({ success: true, data: String(BigInt(String(recent.Timestamp)) - 1n) });
    const url = urls[0]!;
    expect(url.pathname).toBe(`/api/v1/${emulator.division}/read/sync/Sync/SyncTimestamp`);
    expect(url.searchParams.get('endPoint')).toBe("'Accounts'");
    expect(url.searchParams.get('modified')).toMatch(/^datetime'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?'$/);

    // Before every record: the version before the oldest; nothing since: the newest.
    const all = await exactSyncTimestamp(client, {
      entity: 'accounts',
      modified: new Date(Date.now() - 20 * DAY),
    });
    expect(all).toEqual({ success: true, data: String(BigInt(String(old[0]?.Timestamp)) - 1n) });
    const none = await exactSyncTimestamp(client, { entity: 'accounts', modified: Date.now() + DAY });
    expect(none.success && BigInt(none.data) >= BigInt(String(recent.Timestamp))).toBe(true);
  });

  it('names each entity by its sync endpoint', async () => {
    const { client, urls } = setup();
    for (const entity of ['contacts', 'salesInvoices', 'items', 'glAccounts', 'transactionLines'] as const) {
      expect((await exactSyncTimestamp(client, { entity, modified: Date.now() })).success).toBe(true);
    }
    expect(urls.map((url) => url.searchParams.get('endPoint'))).toEqual([
      "'Contacts'",
      "'SalesInvoices'",
      "'Items'",
      "'GLAccounts'",
      "'TransactionLines'",
    ]);
  });

  it('reads a single-entity answer, a number, and Int64s past 2^53 exactly', async () => {
    const answers: unknown[] = [
      { d: { TimeStampAsBigInt: '9007199254740993' } },
      { d: { results: [{ TimeStampAsBigInt: 42 }] } },
    ];
    const client = stubbedExactClient(async () => Response.json(answers.shift()));
    const options: ExactSyncTimestampOptions = { entity: 'accounts', modified: new Date() };
    expect(await exactSyncTimestamp(client, options)).toEqual({ success: true, data: '9007199254740993' });
    expect(await exactSyncTimestamp(client, options)).toEqual({ success: true, data: '42' });
  });

  it('turns malformed answers into INVALID_RESPONSE and HTTP failures into their codes', async () => {
    const bodies: [number, unknown][] = [
      [200, { d: { results: [] } }],
      [200, { d: { results: [{ TimeStampAsBigInt: null }] } }],
      [200, { d: { results: [{ TimeStampAsBigInt: 'soon' }] } }],
      [200, { d: { results: [{ TimeStampAsBigInt: '-5' }] } }],
      [400, { error: { code: '', message: { lang: '', value: "endPoint: no sync endpoint named 'X'" } } }],
      [401, {}],
    ];
    const client = stubbedExactClient(async () => {
      const [status, body] = bodies.shift()!;
      return Response.json(body, { status });
    });
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await exactSyncTimestamp(client, { entity: 'accounts', modified: Date.now() });
      expect(result.success).toBe(false);
      if (!result.success) {
        expect(result.error).toBeInstanceOf(IntegrationError);
        codes.push(result.error.code);
      }
    }
    expect(codes).toEqual([
      'INVALID_RESPONSE',
      'INVALID_RESPONSE',
      'INVALID_RESPONSE',
      'INVALID_RESPONSE',
      'VALIDATION_ERROR',
      'AUTH_ERROR',
    ]);
  });

  it('refuses bad options with VALIDATION_ERROR naming the field, before any request', async () => {
    const { client, urls } = setup();
    const cases: [unknown, string][] = [
      [undefined, 'options'],
      [{ entity: 'costCenters', modified: Date.now() }, 'options.entity'],
      [{ entity: 'accounts', modified: 'yesterday' }, 'options.modified'],
      [{ entity: 'accounts', modified: new Date(Number.NaN) }, 'options.modified'],
      [{ entity: 'accounts', modified: Date.now(), signal: 'stop' }, 'options.signal'],
    ];
    for (const [options, field] of cases) {
      const result = await exactSyncTimestamp(client, options as ExactSyncTimestampOptions);
      expect(result).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', field } });
    }
    expect(urls).toHaveLength(0);
  });
});
