import { createMemoryStore } from '@patchbay/core/store';
import { startTwentyEmulator } from '@patchbay/emulators';
import { describe, expect, it } from 'vitest';
import { useSyncFixture } from '../test-support/fixtures.ts';
import { createTwentySync } from './sync.ts';

// Every test starts from a workspace that has the externalId fields.
const twenty = useSyncFixture({ retry: { retries: 3, initialDelayMs: 5, maxDelayMs: 20 } });
const sync = twenty.sync;

const people = (n: number, offset = 0) =>
  Array.from({ length: n }, (_, i) => ({
    externalId: `user_${i + offset}`,
    name: `Ada Lovelace${i + offset}`,
    email: `ada${i + offset}@example.com`,
    companyExternalId: `company_${(i + offset) % 7}`,
    companyName: `Company ${(i + offset) % 7}`,
  }));

const duplicates = (object: 'people' | 'companies') => twenty.emulator.store.duplicates(object, 'externalId');

describe('setup', () => {
  it('creates the unique externalId fields once', async () => {
    const fresh = await startTwentyEmulator({ port: 0, rateLimit: false });
    try {
      const make = () =>
        createTwentySync({ baseUrl: fresh.url, apiKey: fresh.apiKey, store: twenty.store, rateLimit: false });
      const first = await make().setup();
      expect(first.success && first.data.createdFields).toEqual(['person.externalId', 'company.externalId']);
      const second = await make().setup();
      expect(second.success && second.data.createdFields).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe('single upserts', () => {
  it('creates, then updates, then leaves an unchanged company alone', async () => {
    const s = sync();
    const created = await s.upsertCompany({ externalId: 'c1', name: 'Acme', website: 'https://acme.test' });
    expect(created.success && created.data).toMatchObject({ created: true, updated: false });
    const updated = await s.upsertCompany({
      externalId: 'c1',
      name: 'Acme Corp',
      website: 'https://acme.test',
    });
    expect(updated.success && updated.data).toMatchObject({ created: false, updated: true });
    expect(updated.success && created.success && updated.data.id).toBe(created.success && created.data.id);
    twenty.emulator.counters.reset();
    const same = await s.upsertCompany({ externalId: 'c1', name: 'Acme Corp', website: 'https://acme.test' });
    expect(same.success && same.data).toMatchObject({ created: false, updated: false });
    expect(twenty.emulator.counters.snapshot().total).toBe(0);
  });

  it('creates the company of a person when Twenty does not have it yet, and links them', async () => {
    const result = await sync().upsertPerson({
      externalId: 'u1',
      name: 'Grace Hopper',
      email: 'grace@example.com',
      companyExternalId: 'navy',
      companyName: 'US Navy',
    });
    expect(result.success && result.data.created).toBe(true);
    const [company] = twenty.emulator.store.list('companies');
    const [person] = twenty.emulator.store.list('people');
    expect(company).toMatchObject({ name: 'US Navy', externalId: 'navy' });
    expect(person).toMatchObject({
      companyId: company?.id,
      name: { firstName: 'Grace', lastName: 'Hopper' },
    });
  });

  it('a record that fails validation is VALIDATION_ERROR naming the field, and nothing is sent', async () => {
    const result = await sync().upsertPerson({ externalId: 'u1', name: 'X', email: 'not-an-email' });
    expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'email' });
    expect(twenty.emulator.counters.snapshot().total).toBe(0);
  });
});

describe('batch upserts', () => {
  it('syncs many people in batches, then re-syncs unchanged records with zero requests', async () => {
    const records = people(300);
    const first = await sync().upsertManyPersons(records);
    expect(first.success && first.data).toMatchObject({
      created: 300,
      updated: 0,
      unchanged: 0,
      failed: 0,
      companiesCreated: 7,
    });
    const writes = twenty.emulator.counters.count({ route: 'POST /rest/batch/people' });
    expect(writes).toBe(5);
    expect(twenty.emulator.store.count('people')).toBe(300);

    twenty.emulator.counters.reset();
    const again = await sync().upsertManyPersons(records);
    expect(again.success && again.data).toMatchObject({ created: 0, updated: 0, unchanged: 300, failed: 0 });
    expect(twenty.emulator.counters.snapshot().total).toBe(0);

    const changed = records.map((r, i) => (i < 10 ? { ...r, name: `${r.name} Jr` } : r));
    const third = await sync().upsertManyPersons(changed);
    expect(third.success && third.data).toMatchObject({ updated: 10, unchanged: 290 });
    expect(duplicates('people')).toEqual([]);
  });

  it('takes async iterables and reports progress', async () => {
    async function* stream() {
      for (const record of people(130)) yield record;
    }
    const progress: number[] = [];
    const result = await sync({ onProgress: (p) => progress.push(p.processed) }).upsertManyPersons(stream());
    expect(result.success && result.data.created).toBe(130);
    expect(progress.at(-1)).toBe(130);
  });

  it('one bad record never aborts the others: a server-side rejection is isolated', async () => {
    const s = sync();
    await s.upsertManyPersons([
      { externalId: 'a', name: 'A', email: 'a@example.com' },
      { externalId: 'b', name: 'B', email: 'b@example.com' },
    ]);
    const batch = [
      ...people(20),
      // Matches record a by externalId and record b by email: Twenty refuses the whole batch.
      { externalId: 'a', name: 'A', email: 'b@example.com' },
      { externalId: 'bad', name: 'Bad', email: 'nope' },
    ];
    const result = await s.upsertManyPersons(batch);
    expect(result.success && result.data).toMatchObject({ created: 20, failed: 2 });
    const failures = result.success ? result.data.failures : [];
    expect(failures.map((f) => [f.externalId, f.error.code]).sort()).toEqual([
      ['a', 'CONFLICT'],
      ['bad', 'VALIDATION_ERROR'],
    ]);
  });
});

describe('conflicts (seed 001)', () => {
  it('a record deleted in Twenty is written again when it changes', async () => {
    const s = sync({ cacheTtlMs: 0 });
    const first = await s.upsertCompany({ externalId: 'c1', name: 'Acme' });
    if (!first.success || !first.data.id) throw new Error('setup failed');
    await s.client.companies.delete(first.data.id);
    const again = await s.upsertCompany({ externalId: 'c1', name: 'Acme 2' });
    expect(again.success).toBe(true);
    expect(twenty.emulator.store.list('companies').map((c) => c.name)).toEqual(['Acme 2']);
  });

  it('a record that exists in Twenty but not in our mappings is found by externalId and updated, not duplicated', async () => {
    const s = sync();
    await s.client.companies.create({ name: 'Made elsewhere', externalId: 'c9' } as never);
    const result = await s.upsertCompany({ externalId: 'c9', name: 'Ours now' });
    expect(result.success && result.data).toMatchObject({ created: false, updated: true });
    expect(twenty.emulator.store.count('companies')).toBe(1);
  });

  it('two syncs creating the same record at once end with one record', async () => {
    const a = sync({ lease: false });
    const b = createTwentySync({
      baseUrl: twenty.emulator.url,
      apiKey: twenty.emulator.apiKey,
      store: createMemoryStore(),
      rateLimit: false,
      lease: false,
    });
    const [x, y] = await Promise.all([
      a.upsertCompany({ externalId: 'race', name: 'Race' }),
      b.upsertCompany({ externalId: 'race', name: 'Race' }),
    ]);
    expect(x.success && y.success).toBe(true);
    expect(twenty.emulator.store.count('companies')).toBe(1);
  });
});

describe('faults', () => {
  it('commit-then-fail, 5xx, 429, resets and malformed bodies lose and duplicate nothing', async () => {
    // Each kind once at a fixed point (so every one surely fires), then at random on top.
    const kinds = ['commit-then-fail', 'error', 'rate-limit', 'reset', 'malformed'] as const;
    for (const [after, kind] of kinds.entries()) {
      twenty.emulator.faults.inject({
        kind,
        route: 'POST /rest/batch/people',
        after,
        times: 1,
        retryAfterSeconds: 0,
      } as never);
    }
    for (const kind of kinds) {
      twenty.emulator.faults.inject({
        kind,
        route: 'POST /rest/batch/people',
        rate: 0.1,
        retryAfterSeconds: 0,
      } as never);
    }
    twenty.emulator.faults.inject({ kind: 'error', route: 'GET /rest/people', rate: 0.2 });
    const records = people(400);
    let report = await sync().upsertManyPersons(records);
    // A record whose retries all failed is reported, and written on the next run.
    for (let run = 0; run < 5 && report.success && report.data.failed > 0; run++) {
      report = await sync().upsertManyPersons(records);
    }
    expect(report.success && report.data.failed).toBe(0);
    // The faults did fire: failed answers, rate limits and resets were all seen on the wire.
    expect(twenty.emulator.counters.count({ outcome: '5xx' })).toBeGreaterThan(0);
    expect(twenty.emulator.counters.count({ outcome: 429 })).toBeGreaterThan(0);
    expect(twenty.emulator.counters.count({ outcome: 'reset' })).toBeGreaterThan(0);
    twenty.emulator.faults.clear();
    expect(twenty.emulator.store.count('people')).toBe(400);
    expect(duplicates('people')).toEqual([]);
    expect(duplicates('companies')).toEqual([]);
  });
});

describe('lookup cache', () => {
  it('keeps at most cacheMaxEntries per object type, so a stream of people never pushes out their companies', async () => {
    const s = sync({ cacheMaxEntries: 5, batchSize: 10, concurrency: 1 });
    const staff = Array.from({ length: 40 }, (_, i) => ({
      externalId: `staff_${i}`,
      name: `Grace Hopper${i}`,
      companyExternalId: `employer_${i % 3}`,
      companyName: `Employer ${i % 3}`,
    }));
    const first = await s.upsertManyPersons(staff);
    expect(first.success && first.data).toMatchObject({ created: 40, companiesCreated: 3 });

    const storeReads: Record<string, number> = {};
    const getMany = twenty.store.mappings.getMany.bind(twenty.store.mappings);
    twenty.store.mappings.getMany = (scope, ids) => {
      storeReads[scope.objectType] = (storeReads[scope.objectType] ?? 0) + ids.length;
      return getMany(scope, ids);
    };
    twenty.emulator.counters.reset();
    const again = await s.upsertManyPersons(staff);
    expect(again.success && again.data).toMatchObject({ unchanged: 40, created: 0, updated: 0 });
    expect(twenty.emulator.counters.snapshot().total).toBe(0);
    // Memory held only 5 people (the last ones, pushed out again by the first chunk of the second pass), so
    // every person came from the store; the 3 companies every chunk asks for never left memory.
    expect(storeReads).toEqual({ person: 40 });
  });
});

describe('modes', () => {
  it('disabled does nothing and says so', async () => {
    const s = sync({ mode: 'disabled' });
    expect(await s.upsertManyPersons(people(3))).toMatchObject({
      success: true,
      data: { skipped: 'disabled', created: 0 },
    });
    expect(await s.upsertPerson(people(1)[0]!)).toMatchObject({
      success: true,
      data: { id: null, skipped: 'disabled' },
    });
    expect(twenty.emulator.counters.snapshot().total).toBe(0);
  });

  it('platform is a CONFIG_ERROR explaining it is not available', async () => {
    const result = await sync({ mode: 'platform' }).upsertManyPersons(people(1));
    expect(result.success || result.error).toMatchObject({ code: 'CONFIG_ERROR', field: 'syncMode' });
  });
});
