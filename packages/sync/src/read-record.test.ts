import { cyclic, hostileValues, throwingProxy, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { companyObject } from '../test-support/fixtures.ts';
import { readRecord } from './read-record.ts';
import type { SyncObject } from './sync-object.ts';

const read = (candidate: unknown, object: SyncObject = companyObject as SyncObject) =>
  readRecord(object, 'company', candidate, 7);

const withTags: SyncObject = {
  schema: z.object({ externalId: z.string().min(1), tags: z.array(z.string()).optional() }),
  fields: ['externalId', 'tags'],
  externalId: (record) => (record as { externalId: string }).externalId,
  toInput: (record) => record,
};

describe('readRecord', () => {
  it('reads the listed fields into a validated copy, and the plain copy it validated', async () => {
    const caller = { externalId: 'c1', name: 'Acme', website: 'https://acme.example', secret: 'not read' };
    const result = await read(caller);
    expect(result).toEqual({
      ok: true,
      externalId: 'c1',
      record: { externalId: 'c1', name: 'Acme', website: 'https://acme.example' },
      copy: { externalId: 'c1', name: 'Acme', website: 'https://acme.example' },
    });
    if (!result.ok) return;
    caller.name = 'Changed later';
    expect(result.record).toMatchObject({ name: 'Acme' });
  });

  it('never touches a field it does not list', async () => {
    const caller = withThrowingGetter({ externalId: 'c1', name: 'Acme' }, 'password');
    expect(await read(caller)).toMatchObject({ ok: true, externalId: 'c1' });
  });

  it('copies nested values as JSON, so the schema never reads the caller object', async () => {
    const tags = ['a', 'b'];
    const result = await read({ externalId: 'c1', tags }, withTags);
    expect(result).toMatchObject({ ok: true, record: { tags: ['a', 'b'] } });
    if (result.ok) expect((result.record as { tags: string[] }).tags).not.toBe(tags);
  });

  it.each(hostileValues())(
    'refuses %s as a record with a VALIDATION_ERROR under its position',
    async (_, value) => {
      const result = await read(value);
      expect(result).toMatchObject({
        ok: false,
        label: '#7',
        error: { code: 'VALIDATION_ERROR', retryable: false },
      });
    },
  );

  it.each([null, undefined, 42, 'c1', [{ externalId: 'c1' }]])(
    'names (root) for %j, which is no object',
    async (value) => {
      const result = await read(value);
      expect(result).toMatchObject({ ok: false, error: { field: '(root)' } });
    },
  );

  it.each([
    ['a getter that throws', withThrowingGetter({ externalId: 'c1', name: 'x' }, 'name'), 'name', 'c1'],
    ['a Symbol', { externalId: 'c1', name: Symbol('x') }, 'name', 'c1'],
    ['a BigInt', { externalId: 'c1', name: 10n }, 'name', 'c1'],
    ['a function', { externalId: 'c1', name: () => 'x' }, 'name', 'c1'],
    [
      'an unreadable external id',
      withThrowingGetter({ externalId: 'c1', name: 'x' }, 'externalId'),
      'externalId',
      '#7',
    ],
  ])(
    'names the field holding %s, under the record external id when readable',
    async (_, value, field, label) => {
      const result = await read(value);
      expect(result).toMatchObject({ ok: false, label, error: { code: 'VALIDATION_ERROR', field } });
      if (!result.ok) expect(result.error.issues?.[0]?.field).toBe(field);
    },
  );

  it.each([
    ['a cycle', cyclic()],
    ['a Proxy whose traps throw', throwingProxy({})],
  ])('names a nested field holding %s', async (_, tags) => {
    const result = await read({ externalId: 'c1', tags }, withTags);
    expect(result).toMatchObject({ ok: false, label: 'c1', error: { field: 'tags' } });
  });

  it('reports every unreadable field at once', async () => {
    const caller = withThrowingGetter({ externalId: 'c1', name: Symbol('x'), website: 'w' }, 'website');
    const result = await read(caller);
    expect(result.ok || result.error.issues?.map((issue) => issue.field)).toEqual(['name', 'website']);
  });

  it("answers the schema's issues, naming the first field, in a message with the type and label", async () => {
    const result = await read({ externalId: 'c1', name: '', website: 42 });
    expect(result).toMatchObject({ ok: false, label: 'c1', error: { code: 'VALIDATION_ERROR' } });
    if (result.ok) return;
    expect(result.error.issues?.map((issue) => issue.field).sort()).toEqual(['name', 'website']);
    expect(result.error.message).toMatch(/^Invalid company c1: /);
  });

  it.each([
    ['missing', {}],
    ['blank', { externalId: '   ' }],
    ['too long', { externalId: 'x'.repeat(256) }],
    ['a number', { externalId: 12 }],
  ])('reports an invalid record whose external id is %s under its position', async (_, fields) => {
    // An empty name makes the record invalid whatever its id: the label is what is checked.
    const result = await read({ name: '', ...fields });
    expect(result).toMatchObject({ ok: false, label: '#7' });
  });

  it('labels a record by its trimmed external id', async () => {
    const result = await read({ externalId: '  c1  ', name: '' });
    expect(result).toMatchObject({ ok: false, label: 'c1' });
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('bug');
      },
    ],
    ['answers an empty string', () => ''],
    ['answers a number', () => 42],
  ])('refuses a record whose object externalId() %s: externalId is required', async (_, externalId) => {
    const object: SyncObject = { ...(companyObject as SyncObject), externalId: externalId as () => string };
    const result = await read({ externalId: 'c1', name: 'Acme' }, object);
    expect(result).toMatchObject({
      ok: false,
      label: 'c1',
      error: { code: 'VALIDATION_ERROR', field: 'externalId' },
    });
  });
});
