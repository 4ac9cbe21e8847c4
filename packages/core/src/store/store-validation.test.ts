import { describe, expect, it } from 'vitest';
import { throwingProxy, withThrowingGetter } from '../testing/hostile-values.ts';
import type { Mapping, OutboxEntry } from './store.ts';
import {
  isSecretName,
  isSyncModeName,
  MAX_BATCH_ENTRIES,
  validateCheckpoint,
  validateConfigRowInput,
  validateExternalIds,
  validateLease,
  validateLeaseRequest,
  validateLimitOption,
  validateMappingBatch,
  validateName,
  validateOutboxBatch,
  validateRunOutcome,
  validateScope,
} from './store-validation.ts';

const mapping = (externalId: string, remoteId = `r-${externalId}`): Mapping => ({
  externalId,
  remoteId,
  contentHash: null,
  syncedAt: 1,
});

describe('validateScope', () => {
  it('accepts non-empty names', () => {
    expect(validateScope({ integration: 'crm', objectType: 'person' }).success).toBe(true);
  });

  it('names every empty or missing part', () => {
    const result = validateScope({ integration: '', objectType: undefined as unknown as string });
    expect(result.success === false && result.error.issues?.map((i) => i.field)).toEqual([
      'scope.integration',
      'scope.objectType',
    ]);
  });
});

describe('validateMappingBatch', () => {
  it('keeps the last entry per external id, in first-seen order', () => {
    const result = validateMappingBatch([mapping('a', '1'), mapping('b'), mapping('a', '2')]);
    expect(result.success && result.data).toEqual([mapping('a', '2'), mapping('b')]);
  });

  it('fills a missing content hash with null', () => {
    const result = validateMappingBatch([{ externalId: 'a', remoteId: 'r', syncedAt: 1 } as Mapping]);
    expect(result.success && result.data[0]?.contentHash).toBeNull();
  });

  it('names the index and field of every bad entry, never the value, and lists at most five', () => {
    const bad = [
      mapping('ok'),
      { externalId: '', remoteId: 'secret-remote', contentHash: 5, syncedAt: Number.POSITIVE_INFINITY },
      null,
      ...Array.from({ length: 5 }, () => ({ externalId: 'x', remoteId: '', contentHash: null, syncedAt: 1 })),
    ] as unknown as Mapping[];
    const result = validateMappingBatch(bad);
    if (result.success) throw new Error('expected failure');
    expect(result.error.code).toBe('VALIDATION_ERROR');
    expect(result.error.field).toBe('entries.1.externalId');
    expect(result.error.issues?.slice(0, 5).map((i) => i.field)).toEqual([
      'entries.1.externalId',
      'entries.1.contentHash',
      'entries.1.syncedAt',
      'entries.2',
      'entries.3.remoteId',
    ]);
    expect(result.error.issues).toHaveLength(9);
    expect(result.error.message).toContain('and 4 more');
    expect(result.error.message).not.toContain('secret-remote');
  });

  it('refuses a non-array', () => {
    expect(validateMappingBatch('nope' as unknown as Mapping[]).success).toBe(false);
  });
});

describe('validateOutboxBatch', () => {
  const entry = (externalId: string, operation = 'create'): OutboxEntry => ({
    externalId,
    operation,
    contentHash: 'h',
    createdAt: 1,
  });

  it('keeps the last entry per external id, moved to where it was last recorded', () => {
    const result = validateOutboxBatch([entry('a'), entry('b'), entry('a', 'update')]);
    expect(result.success && result.data).toEqual([entry('b'), entry('a', 'update')]);
  });

  it('names a missing operation and a bad createdAt', () => {
    const result = validateOutboxBatch([
      { externalId: 'a', operation: '', contentHash: null, createdAt: Number.NaN },
    ]);
    expect(result.success === false && result.error.issues?.map((i) => i.field)).toEqual([
      'entries.0.operation',
      'entries.0.createdAt',
    ]);
  });
});

describe('validateExternalIds', () => {
  it('drops duplicates and allows the empty string (it matches nothing)', () => {
    expect(validateExternalIds(['a', 'b', 'a', ''])).toEqual({ success: true, data: ['a', 'b', ''] });
  });

  it('names a non-string id by index', () => {
    const result = validateExternalIds(['a', 7 as unknown as string]);
    expect(result.success === false && result.error.field).toBe('externalIds.1');
  });
});

describe('validateLeaseRequest', () => {
  it('accepts a name, an owner and a positive integer TTL', () => {
    expect(validateLeaseRequest('lock', { owner: 'w1', ttlMs: 1 }).success).toBe(true);
    expect(validateLeaseRequest('lock', { ttlMs: 30_000 }).success).toBe(true);
  });

  it.each([0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a TTL of %s', (ttlMs) => {
    const result = validateLeaseRequest('lock', { owner: 'w1', ttlMs });
    expect(result.success === false && result.error.field).toBe('ttlMs');
  });

  it('names an empty name and owner', () => {
    const result = validateLeaseRequest('', { owner: '', ttlMs: 10 });
    expect(result.success === false && result.error.issues?.map((i) => i.field)).toEqual(['name', 'owner']);
  });
});

describe('epoch-millisecond fields', () => {
  it('must be integers', () => {
    const result = validateMappingBatch([
      { externalId: 'a', remoteId: 'r', contentHash: null, syncedAt: 1.5 },
    ]);
    expect(result.success === false && result.error.message).toContain(
      'entries.0.syncedAt: must be an integer',
    );
  });
});

describe('reading hostile input', () => {
  it('returns plain copies, so a scope is never read again', () => {
    const scope = { integration: 'crm', objectType: 'person', extra: 1 };
    const checked = validateScope(scope);
    expect(checked.success && checked.data).toEqual({ integration: 'crm', objectType: 'person' });
    expect(checked.success && checked.data).not.toBe(scope);
  });

  it('names the field of a throwing getter or Proxy', () => {
    const scope = validateScope(withThrowingGetter({ integration: 'crm', objectType: 'x' }, 'objectType'));
    expect(scope.success || scope.error.field).toBe('scope.objectType');
    const batch = validateMappingBatch([mapping('a'), withThrowingGetter(mapping('b'), 'syncedAt')]);
    expect(batch.success || batch.error.field).toBe('entries.1.syncedAt');
    const proxy = validateMappingBatch(throwingProxy([]) as Mapping[]);
    expect(proxy.success || proxy.error.code).toBe('VALIDATION_ERROR');
    const ids = validateExternalIds(withThrowingGetter(['a', 'b'], 1));
    expect(ids.success || ids.error.field).toBe('externalIds.1');
  });

  it('keeps at most 100 issues, however much of a batch is wrong', () => {
    const bad = Array.from({ length: 10_000 }, () => null) as unknown as Mapping[];
    const result = validateMappingBatch(bad);
    expect(result.success || result.error.issues?.length).toBe(100);
  });

  it('refuses more than MAX_BATCH_ENTRIES entries, and a Proxy claiming more', () => {
    const liar = new Proxy([], {
      get: (target, key) => (key === 'length' ? MAX_BATCH_ENTRIES + 1 : Reflect.get(target, key)),
    });
    const result = validateExternalIds(liar);
    expect(result.success || result.error.field).toBe('externalIds');
  });

  it('checks names, checkpoints, leases, run outcomes and limits', () => {
    expect(validateName('x', 'name').success).toBe(true);
    expect(validateName(Symbol() as never, 'name').success).toBe(false);
    expect(validateCheckpoint('cp', '').success).toBe(true);
    const checkpoint = validateCheckpoint('cp', 1n as never);
    expect(checkpoint.success || checkpoint.error.field).toBe('value');
    expect(validateLease({ name: 'l', token: 't', owner: 'o', expiresAt: 1 })).toEqual({
      success: true,
      data: { name: 'l', token: 't' },
    });
    const lease = validateLease(withThrowingGetter({ name: 'l' }, 'token') as never);
    expect(lease.success || lease.error.field).toBe('lease.token');
    const acquire = validateLeaseRequest('l', { ttlMs: 1 }, { requireOwner: true });
    expect(acquire.success || acquire.error.field).toBe('owner');
    const counts = { created: 1, updated: 0, unchanged: 0, failed: 0 };
    expect(validateRunOutcome({ status: 'failed', counts })).toEqual({
      success: true,
      data: { status: 'failed', counts, lastErrorCode: null },
    });
    const outcome = validateRunOutcome({ status: 'failed', counts: { ...counts, failed: -1 } });
    expect(outcome.success || outcome.error.field).toBe('outcome.counts.failed');
    expect(validateLimitOption(undefined, 'limit', 20)).toEqual({ success: true, data: 20 });
    expect(validateLimitOption({ limit: 5 }, 'limit', 20)).toEqual({ success: true, data: 5 });
    const limit = validateLimitOption(null, 'limit', 20);
    expect(limit.success || limit.error.field).toBe('options');
  });

  it('checks configuration rows and copies their settings', () => {
    const settings = { nested: { a: 1 } };
    const checked = validateConfigRowInput('crm', { settings, enabled: true }, undefined as never);
    expect(checked).toEqual({
      success: true,
      data: { integration: 'crm', input: { settings, enabled: true }, userId: null },
    });
    expect(checked.success && checked.data.input.settings).not.toBe(settings);
    const bad = validateConfigRowInput(
      'crm',
      { syncMode: ' sideways' as never, settings: { n: 1n } },
      5 as never,
    );
    expect(bad.success || bad.error.issues?.map((issue) => issue.field)).toEqual([
      'userId',
      'input.syncMode',
      'input.settings',
    ]);
  });

  it('copies secrets per name, keeping null (a removal), and accepts any mode name', () => {
    const secrets = { apiKey: 'v1.a.b', refreshToken: null };
    const checked = validateConfigRowInput('crm', { secrets, syncMode: 'Two Way' }, null);
    expect(checked).toEqual({
      success: true,
      data: { integration: 'crm', input: { secrets, syncMode: 'Two Way' }, userId: null },
    });
    expect(checked.success && checked.data.input.secrets).not.toBe(secrets);
  });

  it('names each bad secret, never quoting a value or a bad name', () => {
    const pasted = 'sk_live_pasted-where-a-name-belongs';
    const bad = validateConfigRowInput(
      'crm',
      { secrets: { apiKey: 'v1.a.b', empty: '', number: 4 as never, [pasted]: 'v1.c.d' } },
      null,
    );
    if (bad.success) throw new Error('expected a failure');
    expect(bad.error.issues?.map((issue) => issue.field)).toEqual([
      'input.secrets.empty',
      'input.secrets.number',
      'input.secrets',
    ]);
    for (const hidden of [pasted, 'v1.a.b', 'v1.c.d'])
      expect(JSON.stringify(bad.error)).not.toContain(hidden);
  });

  it.each([
    ['an array', ['v1.a.b']],
    ['a string', 'v1.a.b'],
    ['null', null],
    ['a Proxy whose traps throw', throwingProxy()],
    ['51 names', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`s${i}`, 'v1.a.b']))],
  ])('refuses secrets that are %s, naming input.secrets', (_, secrets) => {
    const bad = validateConfigRowInput('crm', { secrets: secrets as never }, null);
    expect(bad.success || bad.error.field).toBe('input.secrets');
  });

  it('names a secret whose getter throws', () => {
    const bad = validateConfigRowInput('crm', { secrets: withThrowingGetter({ a: 'v1' }, 'token') }, null);
    expect(bad.success || bad.error.field).toBe('input.secrets.token');
  });

  it('knows a secret name and a mode name when it sees one', () => {
    for (const name of ['apiKey', 'client_secret', 'a', `a${'b'.repeat(63)}`])
      expect(isSecretName(name)).toBe(true);
    for (const name of ['', '_x', '1a', 'a-b', '__proto__', `a${'b'.repeat(64)}`, 4]) {
      expect(isSecretName(name)).toBe(false);
    }
    for (const mode of ['disabled', 'Two Way', 'x'.repeat(100)]) expect(isSyncModeName(mode)).toBe(true);
    for (const mode of ['', ' x', 'x ', 'x'.repeat(101), null]) expect(isSyncModeName(mode)).toBe(false);
  });
});
