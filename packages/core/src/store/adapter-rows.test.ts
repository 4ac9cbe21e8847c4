import { describe, expect, it } from 'vitest';
import { leaseFromRow, mappingFromRow, validateLeaseRenewal } from './adapter-rows.ts';

describe('mappingFromRow', () => {
  const row = { external_id: 'e1', remote_id: 'r1', content_hash: null };

  it('maps epoch-ms rows (SQLite) and Date rows (PostgreSQL) to the same Mapping', () => {
    const fromNumber = mappingFromRow({ ...row, synced_at: 1_000 });
    expect(mappingFromRow({ ...row, synced_at: new Date(1_000) })).toEqual(fromNumber);
    expect(fromNumber).toEqual({ externalId: 'e1', remoteId: 'r1', contentHash: null, syncedAt: 1_000 });
  });
});

describe('leaseFromRow', () => {
  const row = { name: 'sync', owner: 'worker-1', token: '00000000000000000001' };

  it('maps epoch-ms rows (SQLite) and Date rows (PostgreSQL) to the same Lease', () => {
    const fromNumber = leaseFromRow({ ...row, expires_at: 2_000 });
    expect(leaseFromRow({ ...row, expires_at: new Date(2_000) })).toEqual(fromNumber);
    expect(fromNumber).toEqual({ ...row, expiresAt: 2_000 });
  });
});

describe('validateLeaseRenewal', () => {
  const lease = { name: 'sync', owner: 'worker-1', token: 't1', expiresAt: 1 };

  it('answers the lease name and token and the ttl', () => {
    expect(validateLeaseRenewal(lease, { ttlMs: 5_000 })).toEqual({
      success: true,
      data: { lease: { name: 'sync', token: 't1' }, ttlMs: 5_000 },
    });
  });

  it.each([
    ['a lease without a token', { ...lease, token: '' }, { ttlMs: 5_000 }, 'lease.token'],
    ['a lease that is not an object', null, { ttlMs: 5_000 }, 'lease'],
    ['a missing ttl', lease, {}, 'ttlMs'],
    ['a ttl of 0', lease, { ttlMs: 0 }, 'ttlMs'],
    ['a fractional ttl', lease, { ttlMs: 1.5 }, 'ttlMs'],
    ['options that are not an object', lease, 'soon', 'options'],
  ])('refuses %s with VALIDATION_ERROR naming the field', (_label, value, options, field) => {
    const result = validateLeaseRenewal(value as never, options as never);
    expect(result).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', field } });
  });
});
