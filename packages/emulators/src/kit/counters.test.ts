import { describe, expect, it } from 'vitest';
import {
  hostileValues,
  isPlainObject,
  throwingProxy,
  thrownBy,
  withThrowingGetter,
} from '../../test-support/hostile-values.ts';
import { createCounters } from './counters.ts';

function sample() {
  const counters = createCounters();
  counters.record('POST /rest/batch/people', 201);
  counters.record('POST /rest/batch/people', 500);
  counters.record('POST /rest/batch/people', 'reset');
  counters.record('GET /rest/people', 200);
  counters.record('GET /rest/people', 200);
  counters.record('GET /rest/people', 429);
  counters.record('GET /rest/companies', 'hang');
  return counters;
}

describe('createCounters', () => {
  it('starts empty', () => {
    const counters = createCounters();
    expect(counters.snapshot()).toEqual({ total: 0, byRoute: {} });
    expect(counters.count()).toBe(0);
  });

  it('totals requests by route and outcome', () => {
    expect(sample().snapshot()).toEqual({
      total: 7,
      byRoute: {
        'POST /rest/batch/people': { total: 3, byOutcome: { '201': 1, '500': 1, reset: 1 } },
        'GET /rest/people': { total: 3, byOutcome: { '200': 2, '429': 1 } },
        'GET /rest/companies': { total: 1, byOutcome: { hang: 1 } },
      },
    });
  });

  it('counts by route: exact, glob or RegExp', () => {
    const counters = sample();
    expect(counters.count()).toBe(7);
    expect(counters.count({ route: 'GET /rest/people' })).toBe(3);
    expect(counters.count({ route: 'GET /rest/*' })).toBe(4);
    expect(counters.count({ route: /people/ })).toBe(6);
    expect(counters.count({ route: 'DELETE /rest/people' })).toBe(0);
  });

  it('counts by outcome: a status, a transport failure or a status class', () => {
    const counters = sample();
    expect(counters.count({ outcome: 200 })).toBe(2);
    expect(counters.count({ outcome: '200' })).toBe(2);
    expect(counters.count({ outcome: 'reset' })).toBe(1);
    expect(counters.count({ outcome: 'hang' })).toBe(1);
    expect(counters.count({ outcome: '2xx' })).toBe(3);
    expect(counters.count({ outcome: '5xx' })).toBe(1);
    expect(counters.count({ route: 'GET /rest/people', outcome: '4xx' })).toBe(1);
  });

  it('hands out snapshots that later requests do not change', () => {
    const counters = sample();
    const before = counters.snapshot();
    counters.record('GET /rest/people', 200);
    expect(before.total).toBe(7);
    expect(before.byRoute['GET /rest/people']?.byOutcome['200']).toBe(2);
    expect(counters.snapshot().byRoute['GET /rest/people']?.byOutcome['200']).toBe(3);
  });

  it('resets to empty', () => {
    const counters = sample();
    counters.reset();
    expect(counters.snapshot()).toEqual({ total: 0, byRoute: {} });
    counters.record('GET /a', 200);
    expect(counters.count()).toBe(1);
  });
});

describe('counters with hostile input: only EmulatorConfigErrors naming the argument, nothing counted', () => {
  it.each(hostileValues().filter(([, value]) => typeof value !== 'string'))('record(%s, 200)', (_, value) => {
    const counters = createCounters();
    expect(thrownBy(() => counters.record(value as string, 200))).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'routeKey',
    });
    expect(counters.snapshot().total).toBe(0);
  });

  it.each([
    ...hostileValues().filter(
      ([, value]) => typeof value !== 'number' || !Number.isInteger(value) || value < 0,
    ),
    ['a status as text', '200'],
    ['a status above 999', 1000],
  ])('record(route, %s)', (_, value) => {
    const counters = createCounters();
    expect(thrownBy(() => counters.record('GET /x', value as number))).toMatchObject({ field: 'outcome' });
    expect(counters.snapshot().total).toBe(0);
  });

  it.each(hostileValues().filter(([, value]) => value !== undefined && !isPlainObject(value)))(
    'count(%s)',
    (_, value) => {
      expect(thrownBy(() => createCounters().count(value as never))).toMatchObject({ field: 'filter' });
    },
  );

  it.each(hostileValues().filter(([, value]) => value !== undefined && typeof value !== 'string'))(
    'count({ route: %s })',
    (_, value) => {
      const counters = createCounters();
      counters.record('GET /x', 200);
      expect(thrownBy(() => counters.count({ route: value as string }))).toMatchObject({
        field: 'filter.route',
      });
    },
  );

  it.each(
    hostileValues().filter(
      ([, value]) => value !== undefined && typeof value !== 'string' && typeof value !== 'number',
    ),
  )('count({ outcome: %s })', (_, value) => {
    expect(thrownBy(() => createCounters().count({ outcome: value as string }))).toMatchObject({
      field: 'filter.outcome',
    });
  });

  it('names a filter whose getter throws', () => {
    expect(thrownBy(() => createCounters().count(withThrowingGetter({}, 'route')))).toMatchObject({
      field: 'filter.route',
    });
    expect(thrownBy(() => createCounters().count(throwingProxy()))).toMatchObject({ field: 'filter.route' });
  });
});
