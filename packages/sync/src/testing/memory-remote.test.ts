import { IntegrationError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createMemoryRemote } from './memory-remote.ts';

const item = (externalId: string, name = externalId) => ({ externalId, input: { externalId, name } });

const data = <T>(result: { success: true; data: T } | { success: false; error: IntegrationError }): T => {
  if (!result.success) throw result.error;
  return result.data;
};

describe('createMemoryRemote', () => {
  it('upserts on the external id: a second write updates the same record', async () => {
    const remote = createMemoryRemote();
    expect(remote.create).toBeUndefined();
    const first = data(await remote.upsert!('company', [item('a'), item('b')]));
    expect(first.get('a')).toEqual({ remoteId: 'r1', created: true });
    const second = data(await remote.upsert!('company', [item('a', 'A2')]));
    expect(second.get('a')).toEqual({ remoteId: 'r1', created: false });
    expect(remote.records('company')).toEqual([
      { remoteId: 'r1', externalId: 'a', input: { externalId: 'a', name: 'A2' }, writes: 2 },
      { remoteId: 'r2', externalId: 'b', input: { externalId: 'b', name: 'b' }, writes: 1 },
    ]);
    expect(remote.calls).toEqual({ find: 0, upsert: 2, create: 0, update: 0 });
  });

  it('creates and updates by remote id with create-update, and duplicates a record created twice', async () => {
    const remote = createMemoryRemote({ capability: 'create-update' });
    expect(remote.upsert).toBeUndefined();
    data(await remote.create!('company', [item('a')]));
    data(await remote.create!('company', [item('a')]));
    expect(remote.records('company').map((record) => record.externalId)).toEqual(['a', 'a']);
    const updated = data(await remote.update!('company', [{ ...item('a', 'A2'), remoteId: 'r1' }]));
    expect(updated.get('a')).toEqual({ remoteId: 'r1', created: false });
    const missing = await remote.update!('company', [{ ...item('a'), remoteId: 'r404' }]);
    expect(missing.success || missing.error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('finds by external id, answering only what it holds', async () => {
    const remote = createMemoryRemote();
    data(await remote.upsert!('company', [item('a')]));
    const found = data(await remote.find('company', ['a', 'zz']));
    expect([...found]).toEqual([['a', { remoteId: 'r1', record: { externalId: 'a', name: 'a' } }]]);
    expect(data(await remote.find('person', ['a'])).size).toBe(0);
  });

  it('refuses a call over maxBatchSize', async () => {
    const remote = createMemoryRemote({ maxBatchSize: 2 });
    const result = await remote.upsert!('company', [item('a'), item('b'), item('c')]);
    expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(remote.records('company')).toEqual([]);
  });

  it('refuses a whole batch for one rejected input, or only that input with partialFailures', async () => {
    const reject = (_: string, input: unknown) =>
      (input as { name: string }).name === 'bad'
        ? new IntegrationError('VALIDATION_ERROR', 'bad name')
        : undefined;
    const whole = createMemoryRemote({ reject });
    const refused = await whole.upsert!('company', [item('a'), item('b', 'bad')]);
    expect(refused.success || refused.error).toMatchObject({ message: 'bad name' });
    expect(whole.records('company')).toEqual([]);

    const partial = createMemoryRemote({ reject, partialFailures: true });
    const answer = data(await partial.upsert!('company', [item('a'), item('b', 'bad')]));
    expect(answer.get('a')).toMatchObject({ remoteId: 'r1' });
    expect(answer.get('b')).toMatchObject({ error: { message: 'bad name' } });
    expect(partial.records('company')).toHaveLength(1);
  });

  it('plays scripted faults in order, per operation', async () => {
    const remote = createMemoryRemote();
    remote.failNext(
      'upsert',
      { kind: 'error', error: new IntegrationError('RATE_LIMIT', 'slow down') },
      { kind: 'commit-then-fail' },
      { kind: 'throw' },
    );
    const first = await remote.upsert!('company', [item('a')]);
    expect(first.success || first.error).toMatchObject({ code: 'RATE_LIMIT' });
    expect(remote.records('company')).toEqual([]);
    const second = await remote.upsert!('company', [item('a')]);
    expect(second.success || second.error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    expect(remote.records('company')).toHaveLength(1);
    await expect(remote.upsert!('company', [item('b')])).rejects.toThrow('memory remote: upsert threw');
    expect(data(await remote.upsert!('company', [item('b')])).get('b')).toMatchObject({ created: true });
    expect(data(await remote.find('company', ['a'])).size).toBe(1);
  });

  it('reads the external id from the input field it is told, and forgets everything on clear()', async () => {
    const remote = createMemoryRemote({ externalIdField: 'ref' });
    data(await remote.upsert!('company', [{ externalId: 'a', input: { ref: 'A-1' } }]));
    expect(remote.records('company')[0]?.externalId).toBe('A-1');
    remote.clear();
    expect(remote.records('company')).toEqual([]);
  });
});
