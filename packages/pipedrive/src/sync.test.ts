// The sync against the Pipedrive emulator (in-process, no socket): setup of the external-id fields, the first
// sync and an unchanged re-sync, a lost local store, a record deleted in Pipedrive, a create whose answer was
// lost, and the daily token budget running out mid-sync then coming back the next day.
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import { emulatedPipedrive, organizations, persons } from '../test-support/sync-fixtures.ts';
import { createPipedriveSync } from './sync.ts';

const unwrap = <T>(result: { success: true; data: T } | { success: false; error: unknown }): T => {
  if (!result.success) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.data;
};
const EXTERNAL_ID = 'Patchbay external ID';

/** Each record's external id (from its custom field) → how many records carry it. */
function externalIds(emulated: ReturnType<typeof emulatedPipedrive>, entity: 'person' | 'organization') {
  const key = emulated.pipedrive.fields
    .list(entity)
    .find((field) => field.field_name === EXTERNAL_ID)?.field_code;
  const counts = new Map<string, number>();
  for (const record of emulated.pipedrive.list(entity)) {
    const id = String((record.custom_fields as Record<string, unknown>)[key!]);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
const writes = (emulated: ReturnType<typeof emulatedPipedrive>) =>
  emulated.pipedrive.counters.count({ route: /^(POST|PATCH) \/api\/v2\// }) as number;

describe('createPipedriveSync: setup', () => {
  it('creates the external-id fields once, and finds them the second time', async () => {
    const emulated = emulatedPipedrive({ withFields: false });
    const sync = emulated.sync();
    expect(unwrap(await sync.setup())).toEqual({
      createdFields: [`organization.${EXTERNAL_ID}`, `person.${EXTERNAL_ID}`],
    });
    expect(unwrap(await sync.setup())).toEqual({ createdFields: [] });
    expect(emulated.pipedrive.fields.list('person').filter((f) => f.field_name === EXTERNAL_ID)).toHaveLength(
      1,
    );
    // And the fields it made are the ones a sync writes to.
    expect(unwrap(await sync.upsertMany('person', persons(3, 0)))).toMatchObject({ created: 3 });
    expect([...externalIds(emulated, 'person').keys()]).toEqual([
      'person-00000',
      'person-00001',
      'person-00002',
    ]);
  });

  it('refuses a field of another type, or a key no field has, with CONFIG_ERROR naming the option', async () => {
    const emulated = emulatedPipedrive({
      withFields: false,
      customFields: { person: [{ name: 'Customer number', type: 'double' }] },
    });
    const wrongType = await emulated.sync({ personIdField: 'Customer number' }).setup();
    expect(wrongType.success || wrongType.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'personIdField',
    });
    const missingKey = await emulated.sync({ organizationIdField: 'a'.repeat(40) }).setup();
    expect(missingKey.success || missingKey.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'organizationIdField',
    });
  });

  it('without its fields, a sync stops at once with CONFIG_ERROR instead of failing each record', async () => {
    const emulated = emulatedPipedrive({ withFields: false });
    const result = await emulated.sync().upsertMany('person', persons(250, 0));
    expect(result.success || result.error).toMatchObject({ code: 'CONFIG_ERROR' });
    expect(!result.success && result.error.message).toMatch(/Patchbay external ID/);
    expect(emulated.pipedrive.list('person')).toHaveLength(0);
  });
});

describe('createPipedriveSync: upsertMany', () => {
  it('creates organizations and persons once, linked, and sends nothing for an unchanged re-sync', async () => {
    const emulated = emulatedPipedrive();
    const store = createMemoryStore();
    const sync = emulated.sync({ store });
    const first = unwrap(await sync.upsertMany('person', persons(120, 12)));
    expect(first).toMatchObject({ created: 120, updated: 0, failed: 0, organizationsCreated: 12 });
    expect([...externalIds(emulated, 'person').values()].every((n) => n === 1)).toBe(true);
    expect(externalIds(emulated, 'person').size).toBe(120);
    expect(externalIds(emulated, 'organization').size).toBe(12);
    // Each person points at its organization; the values the sync owns are there.
    const orgIdOf = new Map(
      emulated.pipedrive.list('organization').map((org) => [org.name as string, org.id]),
    );
    const ada = emulated.pipedrive.list('person').find((p) => p.name === 'Ada Lovelace 13')!;
    expect(ada.org_id).toBe(orgIdOf.get('Org 1'));
    expect(ada.emails).toEqual([{ value: 'ada.00013@example.com', primary: true, label: 'work' }]);

    emulated.pipedrive.counters.reset();
    const again = unwrap(await sync.upsertMany('person', persons(120, 12)));
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 120 });
    expect(emulated.pipedrive.counters.snapshot().total).toBe(0);

    // A new engine on the same store: still nothing sent.
    const next = emulated.sync({ store });
    expect(unwrap(await next.upsertMany('person', persons(120, 12)))).toMatchObject({ unchanged: 120 });
    expect(emulated.pipedrive.counters.snapshot().total).toBe(0);

    // Changed records are updated in place (PATCH), by their ids.
    const changed = unwrap(await next.upsertMany('person', persons(10, 12, ' (changed)')));
    expect(changed).toMatchObject({ created: 0, updated: 10 });
    expect(emulated.pipedrive.counters.count({ route: 'PATCH /api/v2/persons/:id' })).toBe(10);
    expect(emulated.pipedrive.list('person')).toHaveLength(120);
  });

  it('syncs organizations on their own; persons then link to them without creating any', async () => {
    const emulated = emulatedPipedrive();
    const sync = emulated.sync();
    expect(unwrap(await sync.upsertMany('organization', organizations(8)))).toMatchObject({ created: 8 });
    const report = unwrap(await sync.upsertMany('person', persons(40, 8)));
    expect(report).toMatchObject({ created: 40, organizationsCreated: 0 });
    expect(emulated.pipedrive.list('organization')).toHaveLength(8);
    // A renamed organization is updated in place.
    expect(unwrap(await sync.upsertMany('organization', organizations(8, ' Ltd')))).toMatchObject({
      updated: 8,
    });
    expect(emulated.pipedrive.list('organization').map((org) => org.name)).toContain('Org 3 Ltd');
  });

  it('creates no duplicate when the local store is lost: the index of the account finds every record', async () => {
    const emulated = emulatedPipedrive();
    unwrap(await emulated.sync().upsertMany('person', persons(300, 20)));
    emulated.pipedrive.counters.reset();
    const fresh = emulated.sync({ store: createMemoryStore() });
    const report = unwrap(await fresh.upsertMany('person', persons(300, 20)));
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 300, organizationsCreated: 0 });
    expect(writes(emulated)).toBe(0);
    // One full read per type (300 persons: one page of 500), then one read of the changes per later chunk.
    expect(emulated.pipedrive.counters.count({ route: 'GET /api/v2/persons' })).toBeLessThanOrEqual(4);
    expect(emulated.pipedrive.list('person')).toHaveLength(300);
    expect(emulated.pipedrive.list('organization')).toHaveLength(20);
  });

  it('creates a person deleted in Pipedrive again, once', async () => {
    const emulated = emulatedPipedrive();
    const sync = emulated.sync();
    unwrap(await sync.upsertMany('person', persons(5, 0)));
    const gone = emulated.pipedrive.list('person')[2]!;
    emulated.pipedrive.appChange('person', { action: 'delete', id: gone.id });
    const report = unwrap(await sync.upsertMany('person', persons(5, 0, ' (changed)')));
    expect(report).toMatchObject({ created: 1, updated: 4, failed: 0 });
    expect(externalIds(emulated, 'person').get('person-00002')).toBe(1);
    expect(emulated.pipedrive.list('person')).toHaveLength(5);
  });

  it('settles a create whose answer was lost by reading the changes: no duplicate, no failure', async () => {
    const emulated = emulatedPipedrive();
    emulated.pipedrive.faults.inject({
      kind: 'commit-then-fail',
      status: 502,
      route: 'POST /api/v2/persons',
      times: 3,
    });
    const sync = emulated.sync();
    const report = unwrap(await sync.upsertMany('person', persons(20, 0)));
    expect(report).toMatchObject({ created: 20, failed: 0 });
    expect(emulated.pipedrive.list('person')).toHaveLength(20);
    expect([...externalIds(emulated, 'person').values()].every((n) => n === 1)).toBe(true);
  });

  it('reports a record Pipedrive refuses, and writes the others', async () => {
    const emulated = emulatedPipedrive();
    const records = persons(6, 0);
    records[3] = { ...records[3]!, name: 'x'.repeat(501) };
    const report = unwrap(await emulated.sync().upsertMany('person', records));
    expect(report).toMatchObject({ created: 5, failed: 1 });
    expect(report.failures[0]).toMatchObject({
      externalId: 'person-00003',
      error: { code: 'VALIDATION_ERROR' },
    });
  });

  it('mode disabled answers skipped and never builds a client or calls Pipedrive', async () => {
    const sync = createPipedriveSync({ store: createMemoryStore(), mode: 'disabled' });
    expect(unwrap(await sync.upsertMany('person', persons(3)))).toMatchObject({ skipped: 'disabled' });
    expect(unwrap(await sync.setup())).toEqual({ createdFields: [] });
  });

  it('refuses bad options with CONFIG_ERROR naming them', () => {
    expect(() => createPipedriveSync({ store: createMemoryStore(), personIdField: '  ' } as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'personIdField' }),
    );
    expect(() => createPipedriveSync({ store: createMemoryStore(), batchSize: 101 } as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'batchSize' }),
    );
  });
});

describe('createPipedriveSync: secrets', () => {
  it('stops at a refused API token (401), keeping it out of the error, its JSON and stack, and the sync serialised', async () => {
    const token = 'wrong0000000000000000000000000000token42';
    const emulated = emulatedPipedrive();
    const sync = emulated.sync({ apiToken: token });
    const result = await sync.upsertMany('person', persons(3, 0));
    expect(result.success || result.error).toMatchObject({ code: 'AUTH_ERROR' });
    const texts = [JSON.stringify(result), !result.success && result.error.stack, JSON.stringify(sync)];
    for (const text of texts) expect(String(text)).not.toContain(token);
    const setup = await sync.setup();
    expect(JSON.stringify(setup)).not.toContain(token);
  });
});

describe('createPipedriveSync: the daily token budget', () => {
  it('runs out mid-sync: the sync stops with a typed RATE_LIMIT, and resumes the next day without loss', async () => {
    let clock = Date.UTC(2026, 11, 7, 15, 0, 0);
    const now = () => clock;
    // 3 500 tokens: each create costs 5 (and each chunk's read of changes 10), so about 680 of the 1 000
    // persons fit in a day.
    const emulated = emulatedPipedrive({ dailyTokens: 3_500, burst: 100_000, now });
    const store = createMemoryStore();
    const sync = emulated.sync({ store, rateLimit: false, tokenBudget: { now } });
    const first = await sync.upsertMany('person', persons(1_000, 0));
    expect(first.success).toBe(false);
    if (first.success) return;
    expect(first.error).toMatchObject({ code: 'RATE_LIMIT', retryable: false });
    // The reset is the next midnight (UTC): 9 hours away.
    expect(first.error.retryAfterMs).toBe(9 * 3_600_000);
    const landed = emulated.pipedrive.list('person').length;
    expect(landed).toBeGreaterThan(600);
    expect(landed).toBeLessThan(1_000);
    // It stopped: the budget is not drained by requests that could only fail.
    expect(emulated.pipedrive.counters.count({ outcome: 429 })).toBe(0);

    // The same day again: stopped at once, nothing sent.
    emulated.pipedrive.counters.reset();
    const sameDay = await sync.upsertMany('person', persons(1_000, 0));
    expect(sameDay.success || sameDay.error).toMatchObject({ code: 'RATE_LIMIT' });
    expect(emulated.pipedrive.counters.snapshot().total).toBe(0);

    // The next day: the rest, and nothing twice.
    clock = Date.UTC(2026, 11, 8, 0, 0, 1);
    const nextDay = unwrap(await sync.upsertMany('person', persons(1_000, 0)));
    expect(nextDay).toMatchObject({ created: 1_000 - landed, unchanged: landed, failed: 0 });
    const ids = externalIds(emulated, 'person');
    expect(ids.size).toBe(1_000);
    expect([...ids.values()].every((n) => n === 1)).toBe(true);
  });
});
