import { describe, expect, it } from 'vitest';
import { afterKeyCondition, ISO_TIMESTAMP, readEventKey, UUID } from './keyset.ts';

describe('readEventKey', () => {
  it.each([
    '2026-03-01T12:00:00.123456+00:00',
    '2026-03-01T12:00:00Z',
    '2026-03-01 12:00:00.5',
    '2026-03-01T12:00:00.123-0530',
  ])('accepts the timestamp %j', (timestamp) => {
    expect(ISO_TIMESTAMP.test(timestamp)).toBe(true);
    expect(readEventKey(timestamp, '0192f000-0000-7000-8000-000000000001', 0).success).toBe(true);
  });

  it.each([
    ["2026-03-01T12:00:00') OR 1=1 --", 'timestamp'],
    ['2026-03-01T12:00:00Z\n', 'timestamp'],
    ['yesterday', 'timestamp'],
    [1_767_225_600_000, 'timestamp'],
    [null, 'timestamp'],
  ])('refuses the timestamp %j without quoting it', (timestamp, field) => {
    const key = readEventKey(timestamp, '0192f000-0000-7000-8000-000000000001', 7);
    expect(key).toMatchObject({
      success: false,
      error: { code: 'INVALID_RESPONSE', field: `results.7.${field}` },
    });
    if (!key.success && typeof timestamp === 'string') expect(key.error.message).not.toContain(timestamp);
  });

  it.each(["0192f000-0000-7000-8000-000000000001')", '0192f000000070008000000000000001', '{uuid}', 42])(
    'refuses the uuid %j',
    (uuid) => {
      expect(UUID.test(String(uuid)) && typeof uuid === 'string').toBe(false);
      expect(readEventKey('2026-03-01T12:00:00Z', uuid, 0)).toMatchObject({
        success: false,
        error: { code: 'INVALID_RESPONSE', field: 'results.0.uuid' },
      });
    },
  );
});

it('afterKeyCondition: later timestamps, or the same one with a greater uuid', () => {
  expect(
    afterKeyCondition({ timestamp: '2026-03-01T12:00:00Z', uuid: '0192f000-0000-7000-8000-000000000001' }),
  ).toBe(
    "(timestamp > toDateTime('2026-03-01T12:00:00Z') OR (timestamp = toDateTime('2026-03-01T12:00:00Z') AND uuid > toUUID('0192f000-0000-7000-8000-000000000001')))",
  );
});
