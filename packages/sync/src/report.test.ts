import { IntegrationError } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createReport } from './report.ts';

const error = (code: 'VALIDATION_ERROR' | 'RATE_LIMIT') => new IntegrationError(code, code.toLowerCase());

describe('createReport', () => {
  it('starts empty, with its type and mode', () => {
    const builder = createReport('person', 'platform', 10);
    expect(builder.report).toEqual({
      objectType: 'person',
      mode: 'platform',
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      failures: [],
      failuresOmitted: 0,
      parentsCreated: {},
    });
    expect(builder.lastErrorCode).toBeNull();
    expect(builder.accounted()).toBe(0);
  });

  it('keeps the first failures in full and only counts the rest, so its size stays bounded', () => {
    const builder = createReport('person', 'enabled', 3);
    builder.fail(['a', 'b'], error('VALIDATION_ERROR'));
    builder.fail(['c', 'd', 'e'], error('RATE_LIMIT'));
    expect(builder.report.failed).toBe(5);
    expect(builder.report.failures.map((failure) => [failure.externalId, failure.error.code])).toEqual([
      ['a', 'VALIDATION_ERROR'],
      ['b', 'VALIDATION_ERROR'],
      ['c', 'RATE_LIMIT'],
    ]);
    expect(builder.report.failuresOmitted).toBe(2);
    expect(builder.lastErrorCode).toBe('RATE_LIMIT');
  });

  it('keeps no failure in full with keep 0, and counts all of them', () => {
    const builder = createReport('person', 'enabled', 0);
    builder.fail(['a', 'b'], error('VALIDATION_ERROR'));
    expect(builder.report).toMatchObject({ failed: 2, failures: [], failuresOmitted: 2 });
  });

  it('keeps the last error code even when the failure list is already full', () => {
    const builder = createReport('person', 'enabled', 1);
    builder.fail(['a'], error('VALIDATION_ERROR'));
    builder.fail(['b'], error('RATE_LIMIT'));
    expect(builder.lastErrorCode).toBe('RATE_LIMIT');
  });

  it('ignores an empty failure', () => {
    const builder = createReport('person', 'enabled', 1);
    builder.fail([], error('RATE_LIMIT'));
    expect(builder.report.failed).toBe(0);
    expect(builder.lastErrorCode).toBeNull();
  });

  it('accounts for every outcome', () => {
    const builder = createReport('person', 'enabled', 10);
    builder.report.created += 2;
    builder.report.updated += 3;
    builder.report.unchanged += 4;
    builder.fail(['x'], error('RATE_LIMIT'));
    expect(builder.accounted()).toBe(10);
  });

  it('reports progress with a copy of parentsCreated, not the live object', () => {
    const builder = createReport('person', 'enabled', 10);
    builder.report.created = 4;
    builder.report.parentsCreated.company = 1;
    const progress = builder.progress(5);
    expect(progress).toEqual({
      objectType: 'person',
      processed: 5,
      created: 4,
      updated: 0,
      unchanged: 0,
      failed: 0,
      parentsCreated: { company: 1 },
    });
    progress.parentsCreated.company = 99;
    expect(builder.report.parentsCreated.company).toBe(1);
  });
});
