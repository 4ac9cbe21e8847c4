// The behaviour every CircuitStateStore shares, as vitest tests: the memory store and Redis's each run it against
// themselves, so "opens after 5 failures, lets a probe through after the cooldown" means the same thing in every
// process sharing a breaker.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../resilience/circuit-breaker.ts';
import {
  applyCircuitProbeClaim,
  applyCircuitProbeRelease,
  applyCircuitRecord,
  type CircuitPolicy,
  type CircuitSnapshot,
  type CircuitStateStore,
  MAX_CIRCUIT_KEY_LENGTH,
} from '../resilience/circuit-state-store.ts';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err } from '../result/result.ts';
import { expectErr, expectOk } from './expect-result.ts';
import { hostileValues, withThrowingGetter } from './hostile-values.ts';
import { outcome } from './outcomes.ts';

/** Options of {@link describeCircuitStateStoreContract}. */
export interface CircuitStateStoreContractOptions {
  /** Called after each test with every store the factory made for it, e.g. to close them. */
  close?: (store: CircuitStateStore) => Promise<void> | void;
}

const policy: CircuitPolicy = { failureThreshold: 3, cooldownMs: 1_000 };
const T0 = 1_700_000_000_000;

/**
 * Declares vitest suites proving that a `CircuitStateStore` meets the contract of `@patchbay/core`: failures are
 * counted to the threshold and open the breaker at that record's time; answers within the cooldown change nothing;
 * past it a failure re-opens from its time and a success closes; a success resets the count; concurrent records
 * through two stores from the factory lose no count and open once; breakers on two stores share one state; bad
 * arguments are a `VALIDATION_ERROR`, never a throw. `factory` is called before every test (twice in some) and
 * must return stores over ONE shared storage; each test uses its own random keys.
 * @example describeCircuitStateStoreContract('memory', () => shared);
 */
export function describeCircuitStateStoreContract(
  label: string,
  factory: () => CircuitStateStore | Promise<CircuitStateStore>,
  options: CircuitStateStoreContractOptions = {},
): void {
  let store: CircuitStateStore;
  const made: CircuitStateStore[] = [];
  let tag: string;
  const key = (name = 'k') => `contract-${tag}:${name}`;
  const open = async () => {
    const opened = await factory();
    made.push(opened);
    return opened;
  };
  const fail = async (at: number, k = key(), on = store) => expectOk(await on.recordFailure(k, policy, at));
  const succeed = async (at: number, k = key(), on = store) =>
    expectOk(await on.recordSuccess(k, policy, at));
  const read = async (k = key()) => expectOk(await store.read(k));

  describe(`${label}: CircuitStateStore contract`, () => {
    beforeEach(async () => {
      tag = crypto.randomUUID().slice(0, 8);
      store = await open();
    });
    afterEach(async () => {
      for (const one of made.splice(0)) await options.close?.(one);
    });

    it('reads a breaker never recorded as closed with no failures', async () => {
      expect(await read()).toEqual({ failures: 0 });
    });

    it('counts failures and opens at the threshold, at that failure’s time', async () => {
      expect(await fail(T0)).toEqual({ failures: 1 });
      expect(await fail(T0 + 10)).toEqual({ failures: 2 });
      expect(await fail(T0 + 20)).toEqual({ failures: 3, openedAt: T0 + 20 });
      expect(await read()).toEqual({ failures: 3, openedAt: T0 + 20 });
    });

    it('resets the count on a success: only consecutive failures open it', async () => {
      await fail(T0);
      await fail(T0);
      expect(await succeed(T0 + 1)).toEqual({ failures: 0 });
      expect(await fail(T0 + 2)).toEqual({ failures: 1 });
      expect(await fail(T0 + 3)).toEqual({ failures: 2 });
    });

    it('ignores late answers within the cooldown', async () => {
      for (let i = 0; i < 3; i++) await fail(T0);
      expect(await fail(T0 + 999)).toEqual({ failures: 3, openedAt: T0 });
      expect(await succeed(T0 + 999)).toEqual({ failures: 3, openedAt: T0 });
    });

    it('opens again from a probe’s failure past the cooldown', async () => {
      for (let i = 0; i < 3; i++) await fail(T0);
      expect(await fail(T0 + 1_000)).toEqual({ failures: 3, openedAt: T0 + 1_000 });
      expect(await succeed(T0 + 1_500)).toEqual({ failures: 3, openedAt: T0 + 1_000 });
    });

    it('closes on a probe’s success past the cooldown', async () => {
      for (let i = 0; i < 3; i++) await fail(T0);
      expect(await succeed(T0 + 1_000)).toEqual({ failures: 0 });
      expect(await read()).toEqual({ failures: 0 });
      expect(await fail(T0 + 1_001)).toEqual({ failures: 1 });
    });

    it('resets to closed', async () => {
      for (let i = 0; i < 3; i++) await fail(T0);
      expect(expectOk(await store.reset(key()))).toEqual({ failures: 0 });
      expect(await read()).toEqual({ failures: 0 });
    });

    it('keeps keys apart exactly', async () => {
      for (let i = 0; i < 3; i++) await fail(T0, key('a'));
      for (const name of ['b', 'A', 'a ', 'a:1', 'é', 'e\u0301'])
        expect(await read(key(name))).toEqual({ failures: 0 });
      expect(await read(key('a'))).toEqual({ failures: 3, openedAt: T0 });
    });

    it('applies the same rules as applyCircuitRecord over a long sequence', async () => {
      let expected: CircuitSnapshot = { failures: 0 };
      let at = T0;
      // A fixed pseudo-random walk of failures, successes and clock steps (some past the cooldown).
      let seed = 7;
      for (let i = 0; i < 60; i++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        at += seed % 700;
        const outcome = seed % 3 === 0 ? 'success' : 'failure';
        expected = applyCircuitRecord(expected, outcome, policy, at);
        const got = outcome === 'success' ? await succeed(at) : await fail(at);
        expect(got).toEqual(expected);
      }
    });

    it('loses no count and opens once under concurrent records through two stores', async () => {
      const other = await open();
      const wide = { failureThreshold: 40, cooldownMs: 60_000 };
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 === 0 ? store : other).recordFailure(key(), wide, T0 + i),
        ),
      );
      const snapshots = results.map(expectOk);
      const counts = snapshots.filter((s) => s.openedAt === undefined).map((s) => s.failures);
      expect(new Set(counts).size).toBe(39);
      const opened = new Set(snapshots.filter((s) => s.openedAt !== undefined).map((s) => s.openedAt));
      expect(opened.size).toBe(1);
      expect(await read()).toMatchObject({ failures: 40 });
    });

    it('shares one breaker between processes: one opens it, another refuses calls and then probes', async () => {
      const clock = { at: T0 };
      const now = () => clock.at;
      const other = await open();
      const first = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 1_000, now, store, key: key() });
      const second = createCircuitBreaker({
        failureThreshold: 3,
        cooldownMs: 1_000,
        now,
        store: other,
        key: key(),
      });
      const failing = async () => err(new IntegrationError('SERVER_ERROR', 'down'));
      for (let i = 0; i < 3; i++) await first.execute(failing);
      expect(first.state).toBe('open');
      const refused = await second.execute(async () => ({ success: true, data: 1 }) as const);
      expect(refused).toMatchObject({ success: false, error: { code: 'CIRCUIT_OPEN' } });
      expect(second.state).toBe('open');
      clock.at += 1_000;
      expect(await second.execute(async () => ({ success: true, data: 2 }) as const)).toEqual({
        success: true,
        data: 2,
      });
      expect(await read()).toEqual({ failures: 0 });
      clock.at += 1_001;
      expect(await first.execute(async () => ({ success: true, data: 3 }) as const)).toEqual({
        success: true,
        data: 3,
      });
      expect(first.state).toBe('closed');
    });

    const claim = async (at: number, k = key(), on = store) => expectOk(await on.claimProbe(k, policy, at));
    const openAt = async (at: number, k = key()) => {
      for (let i = 0; i < policy.failureThreshold; i++) await fail(at, k);
    };

    it('grants a call on a closed breaker without writing anything', async () => {
      expect(await claim(T0)).toEqual({ granted: true, snapshot: { failures: 0 } });
      await fail(T0);
      expect(await claim(T0)).toEqual({ granted: true, snapshot: { failures: 1 } });
      expect(await read()).toEqual({ failures: 1 });
    });

    it('refuses a probe within the cooldown and grants one past it, at the claim’s time', async () => {
      await openAt(T0);
      expect(await claim(T0 + 999)).toEqual({ granted: false, snapshot: { failures: 3, openedAt: T0 } });
      expect(await claim(T0 + 1_000)).toEqual({
        granted: true,
        snapshot: { failures: 3, openedAt: T0, probeAt: T0 + 1_000 },
      });
      expect(await read()).toEqual({ failures: 3, openedAt: T0, probeAt: T0 + 1_000 });
    });

    it('grants one probe at a time; it lapses after one cooldown', async () => {
      await openAt(T0);
      expect((await claim(T0 + 1_000)).granted).toBe(true);
      expect((await claim(T0 + 1_001)).granted).toBe(false);
      expect((await claim(T0 + 1_999)).granted).toBe(false);
      expect(await claim(T0 + 2_000)).toEqual({
        granted: true,
        snapshot: { failures: 3, openedAt: T0, probeAt: T0 + 2_000 },
      });
    });

    it('settles the probe with its outcome: a success closes, a failure re-opens with no probe out', async () => {
      await openAt(T0, key('ok'));
      await claim(T0 + 1_000, key('ok'));
      expect(await succeed(T0 + 1_100, key('ok'))).toEqual({ failures: 0 });
      expect(await read(key('ok'))).toEqual({ failures: 0 });
      await openAt(T0, key('ko'));
      await claim(T0 + 1_000, key('ko'));
      expect(await fail(T0 + 1_100, key('ko'))).toEqual({ failures: 3, openedAt: T0 + 1_100 });
      expect((await claim(T0 + 2_099, key('ko'))).granted).toBe(false);
      expect((await claim(T0 + 2_100, key('ko'))).granted).toBe(true);
    });

    it('releases only the probe claimed at the time given', async () => {
      await openAt(T0);
      await claim(T0 + 1_000);
      expect(expectOk(await store.releaseProbe(key(), T0 + 999))).toEqual({
        failures: 3,
        openedAt: T0,
        probeAt: T0 + 1_000,
      });
      expect((await claim(T0 + 1_001)).granted).toBe(false);
      expect(expectOk(await store.releaseProbe(key(), T0 + 1_000))).toEqual({ failures: 3, openedAt: T0 });
      expect((await claim(T0 + 1_002)).granted).toBe(true);
      expect(expectOk(await store.releaseProbe(key('never'), T0))).toEqual({ failures: 0 });
    });

    it('grants exactly one of many concurrent probe claims through two stores', async () => {
      const other = await open();
      await openAt(T0);
      const claims = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 === 0 ? store : other).claimProbe(key(), policy, T0 + 1_000 + i),
        ),
      );
      const granted = claims.map(expectOk).filter((c) => c.granted);
      expect(granted).toHaveLength(1);
      expect(await read()).toEqual({ failures: 3, openedAt: T0, probeAt: granted[0]?.snapshot.probeAt });
    });

    it('applies the same rules as applyCircuitRecord, applyCircuitProbeClaim and applyCircuitProbeRelease', async () => {
      let expected: CircuitSnapshot = { failures: 0 };
      let at = T0;
      let seed = 11;
      for (let i = 0; i < 80; i++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        at += seed % 700;
        const step = seed % 5;
        if (step === 0) {
          expected = applyCircuitRecord(expected, 'success', policy, at);
          expect(await succeed(at)).toEqual(expected);
        } else if (step === 1 || step === 2) {
          const next = applyCircuitProbeClaim(expected, policy, at);
          expected = next.snapshot;
          expect(await claim(at)).toEqual(next);
        } else if (step === 3 && expected.probeAt !== undefined) {
          const probeAt = expected.probeAt;
          expected = applyCircuitProbeRelease(expected, probeAt);
          expect(expectOk(await store.releaseProbe(key(), probeAt))).toEqual(expected);
        } else {
          expected = applyCircuitRecord(expected, 'failure', policy, at);
          expect(await fail(at)).toEqual(expected);
        }
      }
    });

    it('sends one probe for the fleet: of two breakers past the cooldown only one calls', async () => {
      const clock = { at: T0 };
      const now = () => clock.at;
      const other = await open();
      const breakers = [store, other].map((shared) =>
        createCircuitBreaker({ failureThreshold: 3, cooldownMs: 1_000, now, store: shared, key: key() }),
      );
      await openAt(T0);
      clock.at += 1_000;
      let calls = 0;
      let answer: () => void = () => {};
      const slow = () =>
        new Promise<ApiResult<number>>((resolve) => {
          calls += 1;
          answer = () => resolve({ success: true, data: calls });
        });
      const first = breakers[0]?.execute(slow);
      // Let the first breaker's read and claim reach the store before the second asks.
      for (let i = 0; i < 50 && calls === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await breakers[1]?.execute(slow);
      expect(second).toMatchObject({ success: false, error: { code: 'CIRCUIT_OPEN' } });
      expect(calls).toBe(1);
      answer();
      expect(await first).toEqual({ success: true, data: 1 });
      expect(await read()).toEqual({ failures: 0 });
    });

    describe('refusals: VALIDATION_ERROR naming the argument, never a throw, nothing recorded', () => {
      it.each([
        ...hostileValues().filter(([, value]) => typeof value !== 'string'),
        ['an empty key', ''],
        ['a key over the longest allowed', 'x'.repeat(MAX_CIRCUIT_KEY_LENGTH + 1)],
        ['a key with NUL', 'k\u0000'],
        ['a key with a lone surrogate', 'k\ud800'],
      ])('a key that is %s', async (_, bad) => {
        for (const run of [
          () => store.recordFailure(bad as string, policy, T0),
          () => store.recordSuccess(bad as string, policy, T0),
          () => store.claimProbe(bad as string, policy, T0),
          () => store.releaseProbe(bad as string, T0),
          () => store.read(bad as string),
          () => store.reset(bad as string),
        ]) {
          const settled = await outcome(run);
          expect(settled.resolved).toBe(true);
          if (settled.resolved) expectErr(settled.value, 'VALIDATION_ERROR', /^key$/);
        }
      });

      it.each([
        ...hostileValues().map(([label, value]): [string, unknown, RegExp] => [label, value, /^policy/]),
        ['a threshold of 0', { failureThreshold: 0, cooldownMs: 1 }, /^policy\.failureThreshold$/],
        ['a fractional threshold', { failureThreshold: 1.5, cooldownMs: 1 }, /^policy\.failureThreshold$/],
        ['a negative cooldown', { failureThreshold: 1, cooldownMs: -1 }, /^policy\.cooldownMs$/],
        [
          'an infinite cooldown',
          { failureThreshold: 1, cooldownMs: Number.POSITIVE_INFINITY },
          /^policy\.cooldownMs$/,
        ],
        ['a throwing getter', withThrowingGetter({ cooldownMs: 1 }, 'failureThreshold'), /^policy/],
      ])('a policy that is %s', async (_, bad, field) => {
        for (const run of [
          () => store.recordFailure(key(), bad as CircuitPolicy, T0),
          () => store.claimProbe(key(), bad as CircuitPolicy, T0),
        ]) {
          const settled = await outcome(run);
          expect(settled.resolved).toBe(true);
          if (settled.resolved) expectErr(settled.value, 'VALIDATION_ERROR', field);
        }
        expect(await read()).toEqual({ failures: 0 });
      });

      it.each([
        ...hostileValues().filter(([, value]) => typeof value !== 'number' || Number.isNaN(value)),
        ['Infinity', Number.POSITIVE_INFINITY],
      ])('a clock reading that is %s', async (_, bad) => {
        for (const [run, field] of [
          [() => store.recordSuccess(key(), policy, bad as number), /^now$/],
          [() => store.claimProbe(key(), policy, bad as number), /^now$/],
          [() => store.releaseProbe(key(), bad as number), /^probeAt$/],
        ] as const) {
          const settled = await outcome(run);
          expect(settled.resolved).toBe(true);
          if (settled.resolved) expectErr(settled.value, 'VALIDATION_ERROR', field);
        }
      });
    });
  });
}
