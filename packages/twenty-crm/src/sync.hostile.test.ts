// The sync's public surface against every value a JavaScript caller could pass: each call resolves (never
// rejects, never leaves an unhandled rejection) with a typed error naming the field, the run log ends `failed`
// with the error recorded, and what was written before a failure stays mapped.
import type { ApiResult } from '@patchbay/core';
import { createMemoryStore, type IntegrationStore } from '@patchbay/core/store';
import {
  cyclic,
  hostileValues,
  throwingProxy,
  watchProcessFailures,
  withThrowingGetter,
} from '@patchbay/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useSyncFixture } from '../test-support/fixtures.ts';
import { createTwentySync, type SyncReport, type TwentySync } from './sync.ts';

const twenty = useSyncFixture({ lease: false, retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 5 } });
const sync = twenty.sync;
let watch: ReturnType<typeof watchProcessFailures>;
beforeEach(() => {
  watch = watchProcessFailures();
});
afterEach(async () => {
  expect(await watch.stop()).toEqual([]);
});

const person = (i: number) => ({ externalId: `u${i}`, name: `Ada ${i}`, email: `ada${i}@example.com` });
const company = (i: number) => ({ externalId: `c${i}`, name: `Acme ${i}` });
const people = (n: number) => Array.from({ length: n }, (_, i) => person(i));

async function lastRun(kind: 'person' | 'company') {
  const runs = await twenty.store.syncState.listRuns(`twenty-crm:${kind}`, { limit: 1 });
  if (!runs.success) throw runs.error;
  return runs.data[0];
}

const mappedCount = async (kind: 'person' | 'company') => {
  const count = await twenty.store.mappings.count({ integration: 'twenty-crm', objectType: kind });
  return count.success ? count.data : Number.NaN;
};

/** Asserts a resolved failure: a typed error naming a field. */
function expectTypedFailure(result: ApiResult<unknown>, field?: string | RegExp) {
  expect(result.success).toBe(false);
  if (result.success) return;
  expect(result.error.name).toBe('IntegrationError');
  expect(typeof result.error.field).toBe('string');
  if (typeof field === 'string') expect(result.error.field).toBe(field);
  else if (field) expect(result.error.field).toMatch(field);
}

describe('sync: hostile sources', () => {
  const sourceCalls: [string, (s: TwentySync, value: unknown) => Promise<ApiResult<SyncReport>>][] = [
    ['upsertManyPersons', (s, value) => s.upsertManyPersons(value as never)],
    ['upsertManyCompanies', (s, value) => s.upsertManyCompanies(value as never)],
  ];
  // Values that are neither an array nor an iterable: refused before anything runs.
  const notSources = hostileValues().filter(([label]) => !/array/.test(label));

  for (const [call, run] of sourceCalls) {
    it.each(notSources)(`${call}(%s) resolves to VALIDATION_ERROR naming records`, async (_, value) => {
      const result = await run(sync(), value);
      expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'records' });
    });

    it(`${call} fails every unusable element as its own record and syncs the rest`, async () => {
      const elements = hostileValues().map(([, value]) => value);
      const valid = call === 'upsertManyPersons' ? person(1) : company(1);
      const records = [...elements, valid];
      // An element whose own read throws (index 0 of this array) is one failed record, not the end of the stream.
      const list = withThrowingGetter(records, 0);
      const result = await run(sync(), list);
      if (!result.success) throw result.error;
      expect(result.data.created).toBe(1);
      expect(result.data.failed).toBe(records.length - 1);
      for (const failure of result.data.failures) {
        expect(failure.error).toMatchObject({ name: 'IntegrationError', code: 'VALIDATION_ERROR' });
        expect(typeof failure.externalId).toBe('string');
        expect(typeof failure.error.field).toBe('string');
      }
      expect((await lastRun(call === 'upsertManyPersons' ? 'person' : 'company'))?.status).toBe('failed');
    });
  }

  it.each([
    [
      'a generator that throws after 70 records',
      function* () {
        yield* people(70);
        throw new Error('database cursor lost');
      },
      'OPERATION_FAILED',
      'records',
    ],
    [
      'an async generator that rejects after 70 records',
      async function* () {
        yield* people(70);
        throw new Error('database cursor lost');
      },
      'OPERATION_FAILED',
      'records',
    ],
    [
      'an iterator whose next() returns a number after 70 records',
      () => {
        const items = people(70);
        let i = 0;
        return {
          [Symbol.iterator]: () => ({ next: () => (i < 70 ? { value: items[i++], done: false } : 42) }),
        };
      },
      'VALIDATION_ERROR',
      'records.next',
    ],
    [
      'an async iterator whose result getter throws after 70 records',
      () => {
        const items = people(70);
        let i = 0;
        return {
          [Symbol.asyncIterator]: () => ({
            next: async () =>
              i < 70 ? { value: items[i++], done: false } : withThrowingGetter({ done: false }, 'value'),
          }),
        };
      },
      'VALIDATION_ERROR',
      'records.next().value',
    ],
  ])(
    '%s: resolves to a typed error, the run ends failed, written records stay mapped',
    async (_, make, code, field) => {
      const result = await sync({ batchSize: 60 }).upsertManyPersons(make() as never);
      expect(result.success || result.error).toMatchObject({ code, field });
      expect(result.success || result.error.message).toContain('70 records read before were synced');
      const run = await lastRun('person');
      expect(run).toMatchObject({
        status: 'failed',
        lastErrorCode: code,
        counts: { created: 70, failed: 0 },
      });
      expect(await mappedCount('person')).toBe(70);
      expect(twenty.emulator.store.count('people')).toBe(70);
      // Nothing half-written: a second run with the whole stream creates only what is missing.
      const again = await sync().upsertManyPersons(people(80));
      expect(again.success && again.data).toMatchObject({ created: 10, unchanged: 70, failed: 0 });
    },
  );

  it('a source whose return() throws is closed quietly when the lease is lost', async () => {
    let returned = 0;
    let served = 0;
    const items = people(500);
    const source = {
      [Symbol.iterator]: () => ({
        next: () => ({ value: items[served++ % 500], done: false }),
        return: () => {
          returned++;
          throw new Error('return failed');
        },
      }),
    };
    // A store whose lease renewals say the lease was taken over: the sync stops pulling and closes the source.
    const renewLost: IntegrationStore = {
      ...twenty.store,
      syncState: { ...twenty.store.syncState, renewLease: async () => ({ success: true, data: null }) },
    };
    const result = await sync({ store: renewLost, lease: { ttlMs: 3_000 } }).upsertManyPersons(
      source as never,
    );
    expect(result.success || result.error).toMatchObject({ code: 'CONFLICT' });
    expect(returned).toBe(1);
    expect((await lastRun('person'))?.status).toBe('failed');
  }, 20_000);
});

describe('sync: hostile records', () => {
  const FIELDS = {
    person: ['externalId', 'name', 'email', 'companyExternalId', 'companyName'],
    company: ['externalId', 'name', 'website'],
  } as const;

  for (const kind of ['person', 'company'] as const) {
    const valid = kind === 'person' ? person : company;
    for (const field of FIELDS[kind]) {
      it(`${kind}.${field}: every hostile value and a throwing getter fail that record, naming ${field}`, async () => {
        const s = sync();
        // Absent, null and (for the company link) empty values are valid for some fields: not hostile here.
        const acceptable = ['null', 'undefined', 'an empty string'];
        const hostile: unknown[] = [
          ...hostileValues()
            .filter(([label]) => !acceptable.includes(label))
            .map(([, value]) => ({ ...valid(1), [field]: value })),
          withThrowingGetter(valid(1), field),
        ];
        const upsertMany = kind === 'person' ? s.upsertManyPersons : s.upsertManyCompanies;
        const result = await upsertMany([...hostile, valid(2)] as never);
        if (!result.success) throw result.error;
        expect(result.data).toMatchObject({ created: 1, failed: hostile.length });
        for (const failure of result.data.failures) {
          expect(failure.error.code).toBe('VALIDATION_ERROR');
          expect(failure.error.field).toBe(field);
          // The externalId is the record's own when it is usable, else its position in the stream.
          if (field === 'externalId') expect(failure.externalId).toMatch(/^#\d+$/);
          else expect(failure.externalId).toBe(valid(1).externalId);
        }
        const one = kind === 'person' ? s.upsertPerson : s.upsertCompany;
        for (const record of hostile) expectTypedFailure(await one(record as never), field);
      });
    }
  }

  it('an externalId without a prototype, or whose toString throws, is a failed record, not a crash', async () => {
    const records = [
      { externalId: Object.create(null), name: 'A' },
      {
        externalId: {
          toString: () => {
            throw new Error('x');
          },
        },
        name: 'B',
      },
      { externalId: cyclic(), name: 'C' },
      { externalId: 1n, name: 'D' },
      { externalId: Symbol('id'), name: 'E' },
      { externalId: throwingProxy(), name: 'F' },
    ];
    const result = await sync().upsertManyPersons(records as never);
    if (!result.success) throw result.error;
    expect(result.data.failed).toBe(records.length);
    expect(result.data.failures.map((f) => f.externalId)).toEqual(records.map((_, i) => `#${i}`));
    expect(result.data.failures.every((f) => f.error.field === 'externalId')).toBe(true);
    for (const record of records)
      expectTypedFailure(await sync().upsertPerson(record as never), 'externalId');
  });

  it.each(hostileValues())(
    'upsertPerson and upsertCompany of %s resolve to a typed error',
    async (_, value) => {
      expectTypedFailure(await sync().upsertPerson(value as never));
      expectTypedFailure(await sync().upsertCompany(value as never));
    },
  );

  it('reads each record once: a getter that would throw the second time changes nothing', async () => {
    let reads = 0;
    const fickle = {
      get externalId() {
        if (reads++ > 0) throw new Error('read twice');
        return 'fickle';
      },
      name: 'Fickle',
    };
    const result = await sync().upsertPerson(fickle);
    expect(result.success && result.data.created).toBe(true);
  });
});

describe('sync: hostile callbacks, stores and options', () => {
  it('an onProgress that throws neither stops nor fails the sync', async () => {
    const result = await sync({
      batchSize: 10,
      onProgress: () => {
        throw new Error('progress bar broke');
      },
    }).upsertManyPersons(people(25));
    expect(result.success && result.data).toMatchObject({ created: 25, failed: 0 });
  });

  it('a store whose methods throw gives typed failures, never a rejection', async () => {
    const thrower = () => {
      throw new Error('store exploded');
    };
    const broken = (part: 'commitMappings' | 'getMany' | 'startRun' | 'outboxPut' | 'outboxList') => {
      const base = createMemoryStore();
      if (part === 'commitMappings') return { ...base, commitMappings: thrower };
      if (part === 'getMany') return { ...base, mappings: { ...base.mappings, getMany: thrower } };
      return { ...base, syncState: { ...base.syncState, [part]: thrower } };
    };
    for (const part of ['commitMappings', 'getMany', 'startRun', 'outboxPut', 'outboxList'] as const) {
      const s = sync({ store: broken(part) as unknown as IntegrationStore });
      const many = await s.upsertManyPersons(people(3));
      if (many.success) {
        // The store failed under records: they fail, each with a typed error.
        const { created, updated, unchanged, failed } = many.data;
        expect(created + updated + unchanged + failed).toBe(3);
        for (const f of many.data.failures) expect(f.error.name).toBe('IntegrationError');
      } else expect(many.error.name).toBe('IntegrationError');
      const one = await s.upsertPerson(person(9));
      expect(one.success || one.error.name).toBe(one.success || 'IntegrationError');
    }
  });

  it.each(hostileValues())('createTwentySync(%s) throws only CONFIG_ERROR', (_, value) => {
    expect(() => createTwentySync(value as never)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });

  it.each([
    ['store', throwingProxy()],
    ['store', { mappings: throwingProxy() }],
    ['onProgress', 42],
    ['client', {}],
    ['client', throwingProxy()],
    ['lease', throwingProxy()],
  ])('a hostile %s option throws only CONFIG_ERROR', (field, value) => {
    let thrown: unknown;
    try {
      sync({ [field]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'IntegrationError', code: 'CONFIG_ERROR' });
  });
});
