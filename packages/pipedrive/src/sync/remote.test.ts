import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';
import type { SyncWriteOutcome } from '@patchbay/sync';
import { describe, expect, it } from 'vitest';
import type { PipedriveClient } from '../client.ts';
import type { PipedriveListOptions } from '../resource.ts';
import { EXTERNAL_ID_NAME, type PipedriveSyncInput } from './records.ts';
import { createPipedriveRemote, PIPEDRIVE_SYNC_BATCH_SIZE } from './remote.ts';

interface Stored {
  id: number;
  name: string;
  update_time: string;
  custom: Record<string, unknown>;
}

/** What one scripted write does: answer it, refuse it, or lose its answer after (or before) it landed. */
type Script = IntegrationError | { lost: IntegrationError; landed: boolean };

const failure = (code: ConstructorParameters<typeof IntegrationError>[0], retryable?: boolean) =>
  new IntegrationError(code, `${code} from the fake`, retryable === undefined ? {} : { retryable });

/**
 * A fake resource of the client: plain objects answering ApiResults, records held in memory, each call counted,
 * writes scripted by external id (create) or remote id (update), and the requests in flight tracked.
 */
function fakeResource(start = 100) {
  const records = new Map<number, Stored>();
  let nextId = start;
  let clock = Date.UTC(2026, 11, 7, 10, 0, 0);
  const tick = () => {
    clock += 1_000;
    return new Date(clock).toISOString().replace('.000Z', 'Z');
  };
  const createScripts = new Map<string, Script>();
  const updateScripts = new Map<number, Script>();
  const listCalls: PipedriveListOptions[] = [];
  const listFailures: IntegrationError[] = [];
  const gates: (() => void)[] = [];
  let held = false;
  let inFlight = 0;
  let maxInFlight = 0;
  let writes = 0;
  const write = async <T>(run: () => ApiResult<T>): Promise<ApiResult<T>> => {
    writes += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    if (held) await new Promise<void>((resolve) => gates.push(resolve));
    else await Promise.resolve();
    inFlight -= 1;
    return run();
  };
  const add = (externalId: string | undefined, name = 'x') => {
    const record: Stored = {
      id: nextId++,
      name,
      update_time: tick(),
      custom: externalId === undefined ? {} : { [EXTERNAL_ID_NAME]: externalId },
    };
    records.set(record.id, record);
    return record;
  };
  const scripted = <T>(script: Script | undefined, land: () => T): ApiResult<T> => {
    if (script instanceof IntegrationError) return err(script);
    if (script) {
      if (script.landed) land();
      return err(script.lost);
    }
    return ok(land());
  };
  const resource = {
    list(options: PipedriveListOptions = {}) {
      listCalls.push(options);
      const failed = listFailures.shift();
      const since =
        options.updated_since === undefined ? Number.NEGATIVE_INFINITY : Date.parse(options.updated_since);
      const items = [...records.values()].filter((record) => Date.parse(record.update_time) >= since);
      return (async function* () {
        await Promise.resolve();
        if (failed) {
          yield err(failed);
          return;
        }
        yield ok({ items: items.map((record) => structuredClone(record)) });
      })();
    },
    create: (input: PipedriveSyncInput) =>
      write(() =>
        scripted(createScripts.get(String(input.custom[EXTERNAL_ID_NAME])), () =>
          structuredClone(add(String(input.custom[EXTERNAL_ID_NAME]), input.name)),
        ),
      ),
    update: (id: number, input: Partial<PipedriveSyncInput>) =>
      write(() => {
        const record = records.get(id);
        if (!record) return err(new IntegrationError('NOT_FOUND', `No record ${id}`, { status: 404 }));
        return scripted(updateScripts.get(id), () => {
          Object.assign(record, { ...input, update_time: tick() });
          return structuredClone(record);
        });
      }),
    get: async () => err(new IntegrationError('OPERATION_FAILED', 'not used')),
    delete: async () => err(new IntegrationError('OPERATION_FAILED', 'not used')),
  };
  return {
    resource,
    records,
    add,
    createScripts,
    updateScripts,
    listCalls,
    failNextList: (error: IntegrationError = failure('SERVER_ERROR')) => listFailures.push(error),
    hold: () => {
      held = true;
    },
    release: () => {
      held = false;
      for (const open of gates.splice(0)) open();
    },
    waiting: () => gates.length,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    writes: () => writes,
  };
}

function setup(options: { writeConcurrency?: number; pageSize?: number } = {}) {
  const persons = fakeResource(100);
  const organizations = fakeResource(1);
  let built = 0;
  const client = {
    persons: persons.resource,
    organizations: organizations.resource,
  } as unknown as PipedriveClient;
  const remote = createPipedriveRemote({
    client: () => {
      built += 1;
      return client;
    },
    ...options,
  });
  return { remote, persons, organizations, built: () => built };
}

const item = (externalId: string, name = `Name of ${externalId}`) => ({
  externalId,
  input: { name, custom: { [EXTERNAL_ID_NAME]: externalId } } as PipedriveSyncInput,
});
const unwrap = <T>(result: ApiResult<T>): T => {
  if (!result.success) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.data;
};
const errorOf = (outcome: SyncWriteOutcome | undefined) =>
  outcome && 'error' in outcome ? outcome.error : undefined;

describe('createPipedriveRemote: find', () => {
  it('builds no client until it is used', () => {
    const { built } = setup();
    expect(built()).toBe(0);
  });

  it('reads the account once in full, then only the changes, and answers only the ids asked for', async () => {
    const { remote, persons } = setup({ pageSize: 250 });
    persons.add('p-1', 'Ada');
    persons.add('p-2', 'Bob');
    persons.add(undefined, 'No id');
    const found = unwrap(await remote.find('person', ['p-1', 'p-404']));
    expect([...found.keys()]).toEqual(['p-1']);
    expect(found.get('p-1')).toEqual({
      remoteId: '100',
      record: expect.objectContaining({ id: 100, name: 'Ada', custom: { [EXTERNAL_ID_NAME]: 'p-1' } }),
    });
    persons.add('p-3', 'Cy');
    const again = unwrap(await remote.find('person', ['p-2', 'p-3']));
    expect([...again.keys()].sort()).toEqual(['p-2', 'p-3']);
    expect(again.get('p-3')?.remoteId).toBe('103');
    expect(persons.listCalls).toEqual([
      { limit: 250, maxPages: Number.MAX_SAFE_INTEGER },
      { limit: 250, maxPages: Number.MAX_SAFE_INTEGER, updated_since: persons.records.get(102)!.update_time },
    ]);
  });

  it('reads 500 a page by default, and keeps an index per type', async () => {
    const { remote, persons, organizations } = setup();
    persons.add('same-id');
    organizations.add('same-id');
    expect(unwrap(await remote.find('person', ['same-id'])).get('same-id')?.remoteId).toBe('100');
    expect(unwrap(await remote.find('organization', ['same-id'])).get('same-id')?.remoteId).toBe('1');
    expect(persons.listCalls[0]?.limit).toBe(500);
    expect(organizations.listCalls).toHaveLength(1);
  });

  it('reads nothing for no ids', async () => {
    const { remote, persons } = setup();
    expect(unwrap(await remote.find('person', [])).size).toBe(0);
    expect(persons.listCalls).toHaveLength(0);
  });

  it('answers the lowest id when two records carry one external id', async () => {
    const { remote, persons } = setup();
    persons.add('p-1');
    persons.add('p-1');
    expect(unwrap(await remote.find('person', ['p-1'])).get('p-1')?.remoteId).toBe('100');
  });

  it('fails when the read fails, and reads in full again the next time', async () => {
    const { remote, persons } = setup();
    persons.add('p-1');
    persons.failNextList(failure('SERVER_ERROR'));
    const failed = await remote.find('person', ['p-1']);
    expect(failed.success || failed.error).toMatchObject({ code: 'SERVER_ERROR' });
    expect(unwrap(await remote.find('person', ['p-1'])).has('p-1')).toBe(true);
    expect(persons.listCalls.map((call) => call.updated_since)).toEqual([undefined, undefined]);
  });

  it('shares one read between finds of a type running at once', async () => {
    const { remote, persons } = setup();
    persons.add('p-1');
    persons.add('p-2');
    const [a, b] = await Promise.all([remote.find('person', ['p-1']), remote.find('person', ['p-2'])]);
    expect(unwrap(a).has('p-1') && unwrap(b).has('p-2')).toBe(true);
    expect(persons.listCalls).toHaveLength(1);
  });
});

describe('createPipedriveRemote: create', () => {
  it('creates one request per record and answers each one’s id, known to find before any read sees it', async () => {
    const { remote, persons } = setup();
    const created = unwrap(await remote.create!('person', [item('p-1'), item('p-2')]));
    expect(created).toEqual(
      new Map([
        ['p-1', { remoteId: '100', created: true }],
        ['p-2', { remoteId: '101', created: true }],
      ]),
    );
    expect(persons.writes()).toBe(2);
    // No read was needed to write; the index has them already (a lagging read would not hide them).
    expect(persons.listCalls).toHaveLength(0);
    persons.records.clear();
    const found = unwrap(await remote.find('person', ['p-1', 'p-2']));
    expect(found.get('p-2')?.remoteId).toBe('101');
  });

  it('answers a record Pipedrive refused with that record’s error, writing the others, reading nothing', async () => {
    const { remote, persons } = setup();
    const refusal = failure('VALIDATION_ERROR');
    persons.createScripts.set('p-2', refusal);
    persons.createScripts.set('p-3', failure('CONFLICT'));
    const created = unwrap(await remote.create!('person', [item('p-1'), item('p-2'), item('p-3')]));
    expect(created.get('p-1')).toEqual({ remoteId: '100', created: true });
    expect(errorOf(created.get('p-2'))).toBe(refusal);
    expect(errorOf(created.get('p-3'))?.code).toBe('CONFLICT');
    expect(persons.listCalls).toHaveLength(0);
  });

  it('answers a failure raised before sending (RATE_LIMIT, CONFIG_ERROR, AUTH_ERROR) as the item’s error, without a read', async () => {
    const { remote, persons } = setup();
    const spent = failure('RATE_LIMIT', false);
    persons.createScripts.set('p-1', spent);
    persons.createScripts.set('p-2', failure('RATE_LIMIT', true));
    persons.createScripts.set('p-3', failure('CONFIG_ERROR'));
    persons.createScripts.set('p-4', failure('AUTH_ERROR'));
    const created = unwrap(
      await remote.create!('person', [item('p-1'), item('p-2'), item('p-3'), item('p-4')]),
    );
    expect(errorOf(created.get('p-1'))).toBe(spent);
    expect([...created.values()].map((outcome) => errorOf(outcome)?.code)).toEqual([
      'RATE_LIMIT',
      'RATE_LIMIT',
      'CONFIG_ERROR',
      'AUTH_ERROR',
    ]);
    // Nothing can have landed: no read to settle them.
    expect(persons.listCalls).toHaveLength(0);
  });

  it('settles a create whose answer was lost by reading the changes: found is created, not found keeps its error', async () => {
    const { remote, persons } = setup();
    unwrap(await remote.find('person', ['p-0']));
    const timeout = failure('TIMEOUT');
    persons.createScripts.set('p-1', { lost: failure('SERVER_ERROR'), landed: true });
    persons.createScripts.set('p-2', { lost: timeout, landed: false });
    persons.createScripts.set('p-3', { lost: failure('NETWORK_ERROR'), landed: true });
    const created = unwrap(
      await remote.create!('person', [item('p-1'), item('p-2'), item('p-3'), item('p-4')]),
    );
    expect(created.get('p-1')).toEqual({ remoteId: '100', created: true });
    expect(errorOf(created.get('p-2'))).toBe(timeout);
    expect(created.get('p-3')).toEqual({ remoteId: '101', created: true });
    expect(created.get('p-4')).toEqual({ remoteId: '102', created: true });
    // One read of the changes settles every lost answer of the call.
    expect(persons.listCalls).toHaveLength(2);
    expect(persons.listCalls[1]?.updated_since).toBeUndefined();
  });

  it('settles from the changes since the last read, inclusive', async () => {
    const { remote, persons } = setup();
    const seen = persons.add('p-0');
    unwrap(await remote.find('person', ['p-0']));
    persons.createScripts.set('p-1', { lost: failure('SERVER_ERROR'), landed: true });
    const created = unwrap(await remote.create!('person', [item('p-1')]));
    expect(created.get('p-1')).toEqual({ remoteId: '101', created: true });
    expect(persons.listCalls[1]?.updated_since).toBe(seen.update_time);
  });

  it('fails the whole call when the read that would settle a lost answer fails (the outbox keeps them)', async () => {
    const { remote, persons } = setup();
    persons.createScripts.set('p-2', { lost: failure('SERVER_ERROR'), landed: true });
    persons.failNextList(failure('NETWORK_ERROR'));
    const created = await remote.create!('person', [item('p-1'), item('p-2')]);
    expect(created.success || created.error).toMatchObject({ code: 'NETWORK_ERROR' });
    // The next read (not moved by the failed one) finds both.
    const found = unwrap(await remote.find('person', ['p-1', 'p-2']));
    expect(found.size).toBe(2);
  });

  it('writes nothing for no records', async () => {
    const { remote, persons } = setup();
    expect(unwrap(await remote.create!('person', [])).size).toBe(0);
    expect(persons.writes() + persons.listCalls.length).toBe(0);
  });
});

describe('createPipedriveRemote: update', () => {
  it('updates by remote id and answers each one as not created; find then answers the new values', async () => {
    const { remote, persons } = setup();
    const ada = persons.add('p-1', 'Ada');
    const bob = persons.add('p-2', 'Bob');
    const updated = unwrap(
      await remote.update!('person', [
        { ...item('p-1', 'Ada King'), remoteId: String(ada.id) },
        { ...item('p-2', 'Bob Ross'), remoteId: String(bob.id) },
      ]),
    );
    expect(updated).toEqual(
      new Map([
        ['p-1', { remoteId: '100', created: false }],
        ['p-2', { remoteId: '101', created: false }],
      ]),
    );
    expect(persons.records.get(100)?.name).toBe('Ada King');
    const found = unwrap(await remote.find('person', ['p-1']));
    expect(found.get('p-1')?.record).toMatchObject({ name: 'Ada King' });
  });

  it('moves a record whose external id an update changed', async () => {
    const { remote, persons } = setup();
    const ada = persons.add('p-1');
    unwrap(await remote.find('person', ['p-1']));
    unwrap(await remote.update!('person', [{ ...item('p-9'), remoteId: String(ada.id) }]));
    const found = unwrap(await remote.find('person', ['p-1', 'p-9']));
    expect([...found.keys()]).toEqual(['p-9']);
  });

  it('answers a refused update as that record’s error, and the call succeeds', async () => {
    const { remote, persons } = setup();
    const ada = persons.add('p-1');
    const bob = persons.add('p-2');
    const refusal = failure('VALIDATION_ERROR');
    persons.updateScripts.set(bob.id, refusal);
    const updated = unwrap(
      await remote.update!('person', [
        { ...item('p-1'), remoteId: String(ada.id) },
        { ...item('p-2'), remoteId: String(bob.id) },
      ]),
    );
    expect(updated.get('p-1')).toEqual({ remoteId: '100', created: false });
    expect(errorOf(updated.get('p-2'))).toBe(refusal);
  });

  it('fails the call with NOT_FOUND for a record deleted in Pipedrive, so the engine creates it again', async () => {
    const { remote, persons } = setup();
    const ada = persons.add('p-1');
    const bob = persons.add('p-2');
    unwrap(await remote.find('person', ['p-1', 'p-2']));
    persons.records.delete(bob.id);
    const updated = await remote.update!('person', [
      { ...item('p-1'), remoteId: String(ada.id) },
      { ...item('p-2'), remoteId: String(bob.id) },
    ]);
    expect(updated.success || updated.error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(remote.isDataError!((updated as { error: IntegrationError }).error)).toBe(true);
    // The others were sent all the same.
    expect(persons.writes()).toBe(2);
    // The index forgets the deleted record: find no longer answers it, and the copy created in its place is
    // the one found (it has a higher id, and would otherwise be shadowed).
    expect(unwrap(await remote.find('person', ['p-2'])).has('p-2')).toBe(false);
    const created = unwrap(await remote.create!('person', [item('p-2')]));
    const again = unwrap(await remote.find('person', ['p-2']));
    expect(again.get('p-2')?.remoteId).toBe((created.get('p-2') as { remoteId: string }).remoteId);
  });

  it('does not settle a lost update by a read: its error is the record’s, and the call succeeds', async () => {
    const { remote, persons } = setup();
    const ada = persons.add('p-1');
    persons.updateScripts.set(ada.id, { lost: failure('SERVER_ERROR'), landed: true });
    const updated = unwrap(await remote.update!('person', [{ ...item('p-1'), remoteId: String(ada.id) }]));
    expect(errorOf(updated.get('p-1'))?.code).toBe('SERVER_ERROR');
    expect(persons.listCalls).toHaveLength(0);
  });
});

describe('createPipedriveRemote: types', () => {
  it.each(['deal', 'persons', 'toString', 'constructor', '__proto__', ''])(
    'refuses the type %j with VALIDATION_ERROR naming `type`, building no client',
    async (type) => {
      const { remote, built } = setup();
      for (const result of [
        await remote.find(type, ['x']),
        await remote.create!(type, [item('x')]),
        await remote.update!(type, [{ ...item('x'), remoteId: '1' }]),
      ]) {
        expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'type' });
      }
      expect(built()).toBe(0);
    },
  );

  it('takes at most 100 records a call', () => {
    expect(setup().remote.maxBatchSize).toBe(PIPEDRIVE_SYNC_BATCH_SIZE);
    expect(PIPEDRIVE_SYNC_BATCH_SIZE).toBe(100);
  });
});

describe('createPipedriveRemote: writeConcurrency', () => {
  it.each([
    [undefined, 4],
    [1, 1],
    [3, 3],
    [32, 20],
  ])('keeps at most %s (default 4) writes in flight', async (writeConcurrency, expected) => {
    const { remote, persons } = setup(writeConcurrency === undefined ? {} : { writeConcurrency });
    persons.hold();
    const call = remote.create!(
      'person',
      Array.from({ length: 20 }, (_, i) => item(`p-${i}`)),
    );
    // Let the pool start every worker it will.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(persons.waiting()).toBe(expected);
    persons.release();
    // Released, each worker takes the next record: still never more than the limit at once.
    const drain = async () => {
      while (persons.waiting() > 0 || persons.inFlight() > 0) {
        persons.release();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    };
    const [created] = await Promise.all([call, drain()]);
    expect(unwrap(created).size).toBe(20);
    expect(persons.maxInFlight()).toBe(expected);
    expect(persons.writes()).toBe(20);
  });

  it('keeps the outcomes of a pool by external id, whatever order the answers come in', async () => {
    const { remote, persons } = setup({ writeConcurrency: 2 });
    persons.createScripts.set('p-0', failure('VALIDATION_ERROR'));
    const created = unwrap(await remote.create!('person', [item('p-0'), item('p-1'), item('p-2')]));
    expect(errorOf(created.get('p-0'))?.code).toBe('VALIDATION_ERROR');
    expect([created.get('p-1'), created.get('p-2')]).toEqual([
      { remoteId: '100', created: true },
      { remoteId: '101', created: true },
    ]);
  });
});

describe('createPipedriveRemote: classifying failures', () => {
  const { remote } = setup();

  it('stops the run only for a spent budget (RATE_LIMIT not retryable), a missing field (CONFIG_ERROR) or a 401', () => {
    expect(remote.stopsRun!(new IntegrationError('AUTH_ERROR', 'Unauthorized', { status: 401 }))).toBe(true);
    // A 403 may be one record's visibility: the others go on.
    expect(remote.stopsRun!(new IntegrationError('AUTH_ERROR', 'Forbidden', { status: 403 }))).toBe(false);
    expect(remote.stopsRun!(failure('RATE_LIMIT', false))).toBe(true);
    expect(remote.stopsRun!(failure('CONFIG_ERROR', false))).toBe(true);
    // CONFIG_ERROR is not retryable unless told.
    expect(remote.stopsRun!(failure('CONFIG_ERROR'))).toBe(true);
    // A burst 429 waits and goes on; RATE_LIMIT is retryable by default.
    expect(remote.stopsRun!(failure('RATE_LIMIT'))).toBe(false);
    expect(remote.stopsRun!(failure('RATE_LIMIT', true))).toBe(false);
    expect(remote.stopsRun!(failure('CONFIG_ERROR', true))).toBe(false);
    for (const code of [
      'AUTH_ERROR',
      'SERVER_ERROR',
      'VALIDATION_ERROR',
      'NOT_FOUND',
      'NETWORK_ERROR',
    ] as const) {
      expect(remote.stopsRun!(failure(code, false))).toBe(false);
    }
  });

  it('counts a refusal (VALIDATION_ERROR, CONFLICT, NOT_FOUND) as a data error, and nothing else', () => {
    for (const code of ['VALIDATION_ERROR', 'CONFLICT', 'NOT_FOUND'] as const) {
      expect(remote.isDataError!(failure(code))).toBe(true);
    }
    for (const code of [
      'RATE_LIMIT',
      'CONFIG_ERROR',
      'AUTH_ERROR',
      'SERVER_ERROR',
      'NETWORK_ERROR',
      'TIMEOUT',
      'INVALID_RESPONSE',
    ] as const) {
      expect(remote.isDataError!(failure(code))).toBe(false);
    }
  });
});
