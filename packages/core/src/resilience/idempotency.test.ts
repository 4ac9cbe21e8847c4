import { describe, expect, it } from 'vitest';
import { createIdempotencyKey, idempotencyOptionsSchema } from './idempotency.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('idempotency options', () => {
  it("defaults to the 'Idempotency-Key' header for POST, PUT and PATCH", () => {
    expect(idempotencyOptionsSchema.parse({})).toEqual({
      header: 'Idempotency-Key',
      methods: ['POST', 'PUT', 'PATCH'],
    });
  });

  it('keeps a custom header and methods', () => {
    expect(
      idempotencyOptionsSchema.parse({ header: 'X-Idempotency-Key', methods: ['POST', 'DELETE'] }),
    ).toEqual({
      header: 'X-Idempotency-Key',
      methods: ['POST', 'DELETE'],
    });
  });

  it('rejects an empty header name and methods that are not writes', () => {
    expect(idempotencyOptionsSchema.safeParse({ header: '' }).success).toBe(false);
    expect(idempotencyOptionsSchema.safeParse({ methods: ['GET'] }).success).toBe(false);
    expect(idempotencyOptionsSchema.safeParse({ methods: ['post'] }).success).toBe(false);
  });
});

describe('createIdempotencyKey', () => {
  it('returns a UUID v4 string', () => {
    const key = createIdempotencyKey();
    expect(typeof key).toBe('string');
    expect(key).toMatch(UUID_V4);
  });

  it('returns a distinct key each time', () => {
    const keys = Array.from({ length: 100 }, () => createIdempotencyKey());
    expect(new Set(keys).size).toBe(100);
    for (const key of keys) expect(key).toMatch(UUID_V4);
  });
});
