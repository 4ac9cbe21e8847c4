import { IntegrationError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import {
  companyObject,
  OBJECTS,
  type Person,
  remoteIds,
  setup,
  testContext,
  unwrap,
} from '../test-support/fixtures.ts';
import { recordKey } from './context.ts';
import { ensureParents, type WantedParents } from './parents.ts';
import { createReport } from './report.ts';
import type { SyncObject } from './sync-object.ts';
import { createMemoryRemote, type MemoryRemote } from './testing/memory-remote.ts';

const person = (index: number, company?: string, companyName?: string): Person => ({
  externalId: `p${index}`,
  name: `Person ${index}`,
  ...(company !== undefined && { companyExternalId: company }),
  ...(companyName !== undefined && { companyName }),
});

const companyIdOf = (remote: MemoryRemote, personId: string) => {
  const record = remote.records('person').find((candidate) => candidate.externalId === personId);
  return (record?.input as { companyId?: unknown } | undefined)?.companyId;
};

describe('parents', () => {
  it.each(['upsert', 'create-update'] as const)(
    'looks a parent up before creating it: a richer record the remote holds is linked, not overwritten by the seed (%s)',
    async (capability) => {
      const remote = createMemoryRemote({ capability });
      const rich = { externalId: 'acme', name: 'Acme Incorporated', website: 'https://acme.example' };
      const seeded = capability === 'upsert' ? remote.upsert! : remote.create!;
      unwrap(await seeded('company', [{ externalId: 'acme', input: rich }]));
      const acmeId = remoteIds(remote, 'company').get('acme');
      const { engine } = setup({ remote });
      const report = unwrap(await engine.upsertMany('person', [person(0, 'acme', 'acme')]));
      expect(report).toMatchObject({ created: 1, failed: 0, parentsCreated: {} });
      expect(remote.records('company')).toEqual([
        expect.objectContaining({ externalId: 'acme', input: rich, writes: 1 }),
      ]);
      expect(companyIdOf(remote, 'p0')).toBe(acmeId);
    },
  );

  it.each([
    ['upsert', 1],
    ['create-update', 2],
    ['upsert', 4],
  ] as const)(
    'creates a parent once even when chunks in flight need it at the same time (%s, concurrency %i)',
    async (capability, concurrency) => {
      const remote = createMemoryRemote({ capability, maxBatchSize: 2 });
      const { engine } = setup({ remote, concurrency });
      // 12 people in 6 chunks of 2, all pointing at one of two companies neither side has yet.
      const records = Array.from({ length: 12 }, (_, index) =>
        index % 3 === 0 ? person(index, 'b', 'B') : person(index, 'a', 'A'),
      );
      const report = unwrap(await engine.upsertMany('person', records));
      expect(report).toMatchObject({ created: 12, failed: 0, parentsCreated: { company: 2 } });
      const companyIds = remoteIds(remote, 'company');
      expect([...companyIds.keys()].sort()).toEqual(['a', 'b']);
      expect(remote.records('company').map((record) => record.writes)).toEqual([1, 1]);
      for (const [index, record] of records.entries()) {
        expect(companyIdOf(remote, `p${index}`)).toBe(companyIds.get(record.companyExternalId!));
      }
    },
  );

  it('fails the children of a seed that is not a valid record with OPERATION_FAILED naming their field', async () => {
    const { engine, remote } = setup();
    // The seed's name is companyName, here empty: the company schema refuses it.
    const report = unwrap(
      await engine.upsertMany('person', [
        person(0, 'nameless', ''),
        person(1),
        person(2, 'named', 'Named Co'),
      ]),
    );
    expect(report).toMatchObject({ created: 2, failed: 1, parentsCreated: { company: 1 } });
    expect(report.failures).toEqual([
      {
        externalId: 'p0',
        error: expect.objectContaining({
          code: 'OPERATION_FAILED',
          field: 'companyExternalId',
          message: expect.stringContaining('nameless'),
        }),
      },
    ]);
    expect([...remoteIds(remote, 'company').keys()]).toEqual(['named']);
  });

  it("fails the children of a seed the parent's mapping throws on, and goes on with the others", async () => {
    const company: SyncObject = {
      ...(companyObject as SyncObject),
      toInput: (record) => {
        const { externalId, name } = record as { externalId: string; name: string };
        if (name === 'Boom') throw new Error('connector bug');
        return { externalId, name, website: null };
      },
    };
    const { engine, remote } = setup({ objects: { ...OBJECTS, company } as typeof OBJECTS });
    const report = unwrap(await engine.upsertMany('person', [person(0, 'x', 'Boom'), person(1, 'y', 'Y')]));
    expect(report).toMatchObject({ created: 1, failed: 1, parentsCreated: { company: 1 } });
    expect(report.failures[0]).toMatchObject({
      externalId: 'p0',
      error: { code: 'OPERATION_FAILED', field: 'companyExternalId' },
    });
    expect([...remoteIds(remote, 'company').keys()]).toEqual(['y']);
  });

  it('fails the children of a parent the remote refused, and writes the others', async () => {
    const remote = createMemoryRemote({
      partialFailures: true,
      reject: (type, input) =>
        type === 'company' && (input as { name: string }).name === 'Refused'
          ? new IntegrationError('VALIDATION_ERROR', 'no', { field: 'name' })
          : undefined,
    });
    const { engine } = setup({ remote });
    const report = unwrap(
      await engine.upsertMany('person', [
        person(0, 'x', 'Refused'),
        person(1, 'x', 'Refused'),
        person(2, 'y', 'Y'),
      ]),
    );
    expect(report).toMatchObject({ created: 1, failed: 2, parentsCreated: { company: 1 } });
    expect(
      report.failures.map((failure) => [failure.externalId, failure.error.code, failure.error.field]),
    ).toEqual([
      ['p0', 'OPERATION_FAILED', 'companyExternalId'],
      ['p1', 'OPERATION_FAILED', 'companyExternalId'],
    ]);
  });

  it("fails a chunk's records with the lookup's error when parents cannot be looked up", async () => {
    const remote = createMemoryRemote();
    const { engine } = setup({ remote });
    remote.failNext('find', {
      kind: 'error',
      error: new IntegrationError('RATE_LIMIT', 'slow down', { retryable: true }),
    });
    const report = unwrap(await engine.upsertMany('person', [person(0, 'a', 'A'), person(1, 'a', 'A')]));
    expect(report).toMatchObject({ created: 0, failed: 2 });
    expect(report.failures.every((failure) => failure.error.code === 'RATE_LIMIT')).toBe(true);
    expect(remote.calls.upsert).toBe(0);
  });

  it('counts parents created per type, and finds them afterwards instead of creating them again', async () => {
    const remote = createMemoryRemote();
    const { engine } = setup({ remote });
    const first = unwrap(
      await engine.upsertMany('person', [person(0, 'a', 'A'), person(1, 'b', 'B'), person(2, 'c', 'C')]),
    );
    expect(first.parentsCreated).toEqual({ company: 3 });
    const second = unwrap(await engine.upsertMany('person', [person(3, 'a', 'A'), person(4, 'd', 'D')]));
    expect(second.parentsCreated).toEqual({ company: 1 });
    // The full company record later updates the seeded one.
    const company = unwrap(await engine.upsertMany('company', [{ externalId: 'a', name: 'A Corp' }]));
    expect(company).toMatchObject({ created: 0, updated: 1 });
    expect(remoteIds(remote, 'company').size).toBe(4);
  });
});

describe('ensureParents', () => {
  it('answers remote ids keyed by recordKey and releases its claims', async () => {
    const { context, remote } = testContext();
    const wanted: WantedParents = new Map([
      [
        'company',
        new Map<string, unknown>([
          ['a', { externalId: 'a', name: 'A' }],
          ['bad', { externalId: 'bad', name: 42 }],
        ]),
      ],
    ]);
    const builder = createReport('person', 'enabled', 10);
    const ids = unwrap(await ensureParents(context, wanted, builder));
    expect([...ids.keys()]).toEqual([recordKey('company', 'a')]);
    expect(ids.get(recordKey('company', 'a'))).toBe(remoteIds(remote, 'company').get('a'));
    expect(builder.report).toMatchObject({ created: 0, failed: 0, parentsCreated: { company: 1 } });
    expect(context.creating.size).toBe(0);
  });

  it('lets a second caller wait for a parent the first is creating, and answers both the same id', async () => {
    const { context, remote } = testContext({ remote: createMemoryRemote({ capability: 'create-update' }) });
    const wanted = (): WantedParents =>
      new Map([['company', new Map([['a', { externalId: 'a', name: 'A' }]])]]);
    const [one, two] = await Promise.all([
      ensureParents(context, wanted(), createReport('person', 'enabled', 10)),
      ensureParents(context, wanted(), createReport('person', 'enabled', 10)),
    ]);
    expect(unwrap(one)).toEqual(unwrap(two));
    expect(remote.calls).toMatchObject({ find: 1, create: 1 });
    expect(context.creating.size).toBe(0);
  });

  it('releases its claims when the lookup fails, so a waiting caller is not left hanging', async () => {
    const { context, remote } = testContext();
    remote.failNext('find', { kind: 'throw' });
    const wanted = (): WantedParents =>
      new Map([['company', new Map([['a', { externalId: 'a', name: 'A' }]])]]);
    const [one, two] = await Promise.all([
      ensureParents(context, wanted(), createReport('person', 'enabled', 10)),
      ensureParents(context, wanted(), createReport('person', 'enabled', 10)),
    ]);
    expect(one.success || one.error).toMatchObject({ code: 'OPERATION_FAILED' });
    // The waiter got no id: its children fail as "could not be created", and a later chunk tries again.
    expect(unwrap(two).size).toBe(0);
    expect(context.creating.size).toBe(0);
  });
});
