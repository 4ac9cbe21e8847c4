import { describe, expect, it } from 'vitest';
import {
  hostileValues,
  isPlainObject,
  throwingProxy,
  thrownBy,
  withThrowingGetter,
} from '../../test-support/hostile-values.ts';
import { createFaults, type FaultSpec } from './faults.ts';
import { EmulatorConfigError } from './options.ts';

const kinds = (specs: FaultSpec[]) => specs.map((s) => s.kind);

// Which of n requests to `route` a rule with this rate fires on.
function firingPattern(seed: number, rate: number, n = 40, route = 'GET /a') {
  const faults = createFaults({ seed });
  faults.inject({ kind: 'error', rate });
  return Array.from({ length: n }, () => faults.pick(route).length);
}

describe('createFaults', () => {
  it('picks nothing without rules', () => {
    expect(createFaults().pick('GET /rest/people')).toEqual([]);
  });

  it('exposes its seed, 1 by default', () => {
    expect(createFaults().seed).toBe(1);
    expect(createFaults({ seed: 99 }).seed).toBe(99);
  });

  it('applies a rule to its route only', () => {
    const faults = createFaults();
    faults.inject({ kind: 'reset', route: 'POST /rest/batch/people' });
    expect(faults.pick('POST /rest/batch/people')).toEqual([
      { kind: 'reset', route: 'POST /rest/batch/people' },
    ]);
    expect(faults.pick('POST /rest/people')).toEqual([]);
  });

  it('matches globs and RegExps, and every route for "*" or no route', () => {
    const faults = createFaults();
    faults.inject({ kind: 'hang', route: 'GET /rest/*' });
    faults.inject({ kind: 'malformed', route: /batch/ });
    faults.inject({ kind: 'latency', latencyMs: 5, route: '*' });
    faults.inject({ kind: 'error' });
    expect(kinds(faults.pick('GET /rest/people'))).toEqual(['hang', 'latency', 'error']);
    expect(kinds(faults.pick('POST /rest/batch/people'))).toEqual(['malformed', 'latency', 'error']);
  });

  it('fires at most `times` times', () => {
    const faults = createFaults();
    faults.inject({ kind: 'error', times: 2 });
    expect([1, 2, 3, 4].map(() => faults.pick('GET /a').length)).toEqual([1, 1, 0, 0]);
  });

  it('skips the first `after` matching requests, counting only its own route', () => {
    const faults = createFaults();
    faults.inject({ kind: 'error', route: 'GET /a', after: 2, times: 1 });
    const seen = ['GET /a', 'GET /b', 'GET /a', 'GET /b', 'GET /a', 'GET /a'].map(
      (route) => faults.pick(route).length,
    );
    expect(seen).toEqual([0, 0, 0, 0, 1, 0]);
  });

  it('fires a rate-limited rule the same way for the same seed', () => {
    const first = firingPattern(123, 0.3);
    expect(firingPattern(123, 0.3)).toEqual(first);
    expect(first).toContain(0);
    expect(first).toContain(1);
  });

  it('fires differently for another seed', () => {
    expect(firingPattern(124, 0.3)).not.toEqual(firingPattern(123, 0.3));
  });

  it('fires about `rate` of the time', () => {
    const fired = firingPattern(5, 0.25, 4_000).reduce((a, b) => a + b, 0);
    expect(fired).toBeGreaterThan(900);
    expect(fired).toBeLessThan(1_100);
  });

  it('never fires at rate 0 and always at rate 1', () => {
    expect(firingPattern(1, 0, 50)).toEqual(Array(50).fill(0));
    expect(firingPattern(1, 1, 50)).toEqual(Array(50).fill(1));
  });

  it('draws only for uncertain rules, so a certain rule never shifts the others', () => {
    const alone = firingPattern(9, 0.5);
    const faults = createFaults({ seed: 9 });
    faults.inject({ kind: 'latency', latencyMs: 1 });
    faults.inject({ kind: 'error', rate: 0.5 });
    const withCertain = Array.from({ length: 40 }, () => faults.pick('GET /a').length - 1);
    expect(withCertain).toEqual(alone);
  });

  it('draws in request order, so interleaved routes replay identically', () => {
    const run = () => {
      const faults = createFaults({ seed: 3 });
      faults.inject({ kind: 'reset', route: 'GET /a', rate: 0.5 });
      faults.inject({ kind: 'hang', route: 'GET /b', rate: 0.5 });
      return ['GET /a', 'GET /b', 'GET /b', 'GET /a', 'GET /a', 'GET /b', 'GET /a', 'GET /b'].map((r) =>
        kinds(faults.pick(r)).join(),
      );
    };
    expect(run()).toEqual(run());
  });

  it('removes one rule, or all of them', () => {
    const faults = createFaults();
    const error = faults.inject({ kind: 'error' });
    faults.inject({ kind: 'reset' });
    error.remove();
    expect(kinds(faults.pick('GET /a'))).toEqual(['reset']);
    faults.clear();
    expect(faults.pick('GET /a')).toEqual([]);
  });

  it('copies specs in and out, so callers cannot change a running scenario', () => {
    const faults = createFaults();
    const spec: FaultSpec = { kind: 'error', status: 503 };
    faults.inject(spec);
    spec.status = 502;
    const [picked] = faults.pick('GET /a');
    expect(picked?.status).toBe(503);
    picked!.status = 504;
    expect(faults.pick('GET /a')[0]?.status).toBe(503);
  });

  it('rejects invalid specs', () => {
    const faults = createFaults();
    expect(() => faults.inject({ kind: 'explode' as 'error' })).toThrow(RangeError);
    expect(() => faults.inject({ kind: 'error', rate: 1.5 })).toThrow(/rate/);
    expect(() => faults.inject({ kind: 'error', rate: Number.NaN })).toThrow(/rate/);
    expect(() => faults.inject({ kind: 'error', times: -1 })).toThrow(/times/);
    expect(() => faults.inject({ kind: 'error', after: Number.POSITIVE_INFINITY })).toThrow(/after/);
    expect(() => faults.inject({ kind: 'latency' })).toThrow(/latencyMs/);
    expect(() => faults.inject({ kind: 'error', status: 200 })).toThrow(/status/);
    expect(() => faults.inject({ kind: 'error', status: 0 })).toThrow(/status/);
    expect(() => faults.inject({ kind: 'commit-then-fail', status: 0 })).not.toThrow();
    expect(faults.pick('GET /a')).toHaveLength(1);
  });
});

describe('createFaults with hostile input: only EmulatorConfigErrors naming the field', () => {
  const expectConfigError = (run: () => unknown, field: RegExp) => {
    const thrown = thrownBy(run);
    expect(thrown).toBeInstanceOf(EmulatorConfigError);
    expect((thrown as EmulatorConfigError).field).toMatch(field);
  };

  it.each(hostileValues().filter(([, value]) => value !== undefined && !isPlainObject(value)))(
    'options that are %s',
    (_, value) => {
      expectConfigError(() => createFaults(value as never), /^options$/);
    },
  );

  it('options whose seed cannot be read', () => {
    expectConfigError(() => createFaults(throwingProxy()), /^options\.seed$/);
  });

  it.each(
    hostileValues().filter(
      ([, value]) => value !== undefined && !(typeof value === 'number' && Number.isFinite(value)),
    ),
  )('a seed that is %s', (_, value) => {
    expectConfigError(() => createFaults({ seed: value as number }), /^seed$/);
  });

  it.each(hostileValues().filter(([, value]) => value !== undefined))('a spec that is %s', (_, value) => {
    expectConfigError(() => createFaults().inject(value as never), /^spec/);
  });

  it.each([
    ['a negative latency', { kind: 'latency', latencyMs: -1 }, /^spec\.latencyMs$/],
    ['a NaN latency', { kind: 'latency', latencyMs: Number.NaN }, /^spec\.latencyMs$/],
    ['a latency no timer can hold', { kind: 'latency', latencyMs: 2 ** 31 }, /^spec\.latencyMs$/],
    ['a latency as text', { kind: 'latency', latencyMs: '100' }, /^spec\.latencyMs$/],
    ['a rate above 1', { kind: 'error', rate: 1.01 }, /^spec\.rate$/],
    ['a negative rate', { kind: 'error', rate: -0.1 }, /^spec\.rate$/],
    ['a BigInt rate', { kind: 'error', rate: 1n }, /^spec\.rate$/],
    ['a Symbol kind', { kind: Symbol('error') }, /^spec\.kind$/],
    ['times as text', { kind: 'error', times: '2' }, /^spec\.times$/],
    ['a route that is a number', { kind: 'error', route: 42 }, /^spec\.route$/],
    ['a route that is a Proxy', { kind: 'error', route: throwingProxy() }, /^spec\.route$/],
    ['a route that is a Proxy of a RegExp', { kind: 'error', route: new Proxy(/x/, {}) }, /^spec\.route$/],
    ['a status as text', { kind: 'error', status: '500' }, /^spec\.status$/],
    ['a kind whose getter throws', withThrowingGetter({}, 'kind'), /^spec\.kind$/],
  ])('a spec with %s', (_, spec, field) => {
    expectConfigError(() => createFaults().inject(spec as never), field);
  });

  it('keeps a RegExp route as a plain copy the caller can no longer change', () => {
    const faults = createFaults();
    const route = /people/;
    faults.inject({ kind: 'error', route });
    route.compile('companies');
    expect(faults.pick('GET /rest/people')).toHaveLength(1);
    expect(faults.pick('GET /rest/companies')).toHaveLength(0);
  });

  it.each(hostileValues().filter(([, value]) => typeof value !== 'string'))('pick(%s)', (_, value) => {
    expectConfigError(() => createFaults().pick(value as string), /^routeKey$/);
  });
});
