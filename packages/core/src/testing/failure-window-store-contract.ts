// The behaviour every FailureWindowStore shares, as vitest tests: the memory store and Redis's each run it against
// themselves, so "10 failures within an hour alert once" means the same thing however many processes count.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_CIRCUIT_KEY_LENGTH } from '../resilience/circuit-state-store.ts';
import type {
  FailureWindowPolicy,
  FailureWindowRecord,
  FailureWindowStore,
} from '../resilience/failure-window-store.ts';
import { expectErr, expectOk } from './expect-result.ts';
import { hostileValues, withThrowingGetter } from './hostile-values.ts';
import { outcome } from './outcomes.ts';

/** Options of {@link describeFailureWindowStoreContract}. */
export interface FailureWindowStoreContractOptions {
  /** Called after each test with every store the factory made for it, e.g. to close them. */
  close?: (store: FailureWindowStore) => Promise<void> | void;
}

// Windows are a minute of the tests' own clock: an adapter may expire idle keys after a window of real time, and
// no test takes that long.
const policy: FailureWindowPolicy = { threshold: 3, windowMs: 60_000 };
const T0 = 1_700_000_000_000;

/**
 * Declares vitest suites proving that a `FailureWindowStore` meets the contract of `@patchbay/core`: failures
 * within the window are counted and those at or before `now - windowMs` are not; the record reaching the
 * threshold answers `crossed` and no other does until the count has dropped below it and reached it anew; reads
 * change nothing; concurrent records through two stores from the factory lose no count and cross once; bad
 * arguments are a `VALIDATION_ERROR`, never a throw. `factory` is called before every test (twice in some) and
 * must return stores over ONE shared storage; each test uses its own random keys.
 * @example describeFailureWindowStoreContract('memory', () => shared);
 */
export function describeFailureWindowStoreContract(
  label: string,
  factory: () => FailureWindowStore | Promise<FailureWindowStore>,
  options: FailureWindowStoreContractOptions = {},
): void {
  let store: FailureWindowStore;
  const made: FailureWindowStore[] = [];
  let tag: string;
  const key = (name = 'k') => `contract-${tag}:${name}`;
  const open = async () => {
    const opened = await factory();
    made.push(opened);
    return opened;
  };
  const fail = async (at: number, k = key(), rule = policy, on = store) =>
    expectOk(await on.record(k, rule, at));
  const read = async (at: number, k = key(), rule = policy) =>
    expectOk(await store.read(k, rule, at)).failures;

  describe(`${label}: FailureWindowStore contract`, () => {
    beforeEach(async () => {
      tag = crypto.randomUUID().slice(0, 8);
      store = await open();
    });
    afterEach(async () => {
      for (const one of made.splice(0)) await options.close?.(one);
    });

    it('reads a key never recorded as no failures', async () => {
      expect(await read(T0)).toBe(0);
    });

    it('counts failures within the window and crosses at the threshold, once', async () => {
      expect(await fail(T0)).toEqual({ failures: 1, crossed: false });
      expect(await fail(T0 + 10)).toEqual({ failures: 2, crossed: false });
      expect(await fail(T0 + 20)).toEqual({ failures: 3, crossed: true });
      expect(await fail(T0 + 30)).toEqual({ failures: 4, crossed: false });
      expect(await fail(T0 + 40)).toEqual({ failures: 5, crossed: false });
      expect(await read(T0 + 40)).toBe(5);
    });

    it('counts failures at the same time apart', async () => {
      for (let i = 1; i <= 3; i++) expect((await fail(T0)).failures).toBe(i);
    });

    it('ages failures out: one at t counts until t + windowMs, not at it', async () => {
      await fail(T0);
      await fail(T0 + 30_000);
      expect(await read(T0 + 59_999)).toBe(2);
      expect(await read(T0 + 60_000)).toBe(1);
      expect(await read(T0 + 90_000)).toBe(0);
      expect(await fail(T0 + 60_000)).toEqual({ failures: 2, crossed: false });
    });

    it('reads change nothing: neither the failures nor the latch', async () => {
      for (let i = 0; i < 3; i++) await fail(T0 + i);
      expect(await read(T0 + 600_000)).toBe(0);
      expect(await fail(T0 + 10)).toEqual({ failures: 4, crossed: false });
    });

    it('does not cross again while the count stays at or above the threshold', async () => {
      // One failure every 10 s, 6 within a minute: the oldest ages out but the count never drops below 3.
      const answers: FailureWindowRecord[] = [];
      for (let i = 0; i < 30; i++) answers.push(await fail(T0 + i * 10_000));
      expect(answers.filter((a) => a.crossed)).toHaveLength(1);
      expect(answers[2]).toEqual({ failures: 3, crossed: true });
      expect(answers.at(-1)).toEqual({ failures: 6, crossed: false });
    });

    it('crosses again once the count has dropped below the threshold and reached it anew', async () => {
      for (let i = 0; i < 3; i++) await fail(T0 + i);
      // All aged out: a new count from 1.
      expect(await fail(T0 + 120_000)).toEqual({ failures: 1, crossed: false });
      expect(await fail(T0 + 120_001)).toEqual({ failures: 2, crossed: false });
      expect(await fail(T0 + 120_002)).toEqual({ failures: 3, crossed: true });
      // Three of four aged out (1 left, below the threshold): the second failure from there is a new crossing.
      expect(await fail(T0 + 150_000)).toEqual({ failures: 4, crossed: false });
      expect(await fail(T0 + 180_003)).toEqual({ failures: 2, crossed: false });
      expect(await fail(T0 + 180_004)).toEqual({ failures: 3, crossed: true });
    });

    it('applies the policy sent with each record', async () => {
      const one = { threshold: 1, windowMs: 10_000 };
      expect(await fail(T0, key(), one)).toEqual({ failures: 1, crossed: true });
      expect(await fail(T0 + 1, key(), one)).toEqual({ failures: 2, crossed: false });
      expect(await fail(T0 + 20_000, key(), one)).toEqual({ failures: 1, crossed: true });
      expect(await fail(T0 + 20_000.5, key(), { threshold: 5, windowMs: 0.25 })).toEqual({
        failures: 1,
        crossed: false,
      });
      // A window far longer than any expiry a store may set counts everything.
      const forever = { threshold: 2, windowMs: 1e300 };
      expect(await fail(0, key('long'), forever)).toEqual({ failures: 1, crossed: false });
      expect(await fail(T0 * 1e6, key('long'), forever)).toEqual({ failures: 2, crossed: true });
    });

    it('resets the failures and the latch', async () => {
      for (let i = 0; i < 3; i++) await fail(T0);
      expect(expectOk(await store.reset(key()))).toEqual({ failures: 0 });
      expect(await read(T0)).toBe(0);
      await fail(T0);
      await fail(T0);
      expect(await fail(T0)).toEqual({ failures: 3, crossed: true });
      expect(expectOk(await store.reset(key('never')))).toEqual({ failures: 0 });
    });

    it('keeps keys apart exactly', async () => {
      for (let i = 0; i < 3; i++) await fail(T0, key('a'));
      for (const name of ['b', 'A', 'a ', 'a:1', 'é', 'e\u0301']) expect(await read(T0, key(name))).toBe(0);
      expect(await read(T0, key('a'))).toBe(3);
    });

    it('agrees with the rule over a long sequence of records and reads', async () => {
      const rule = { threshold: 4, windowMs: 30_000 };
      let times: number[] = [];
      let alerted = false;
      let at = T0;
      // A fixed pseudo-random walk of clock steps (some past the window) and reads, against the rule in plain code.
      let seed = 11;
      for (let i = 0; i < 80; i++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        at += seed % 9_000;
        times = times.filter((time) => time > at - rule.windowMs);
        if (seed % 5 === 0) {
          expect(await read(at, key(), rule)).toBe(times.length);
          continue;
        }
        if (times.length < rule.threshold) alerted = false;
        times.push(at);
        const crossed = times.length >= rule.threshold && !alerted;
        if (crossed) alerted = true;
        expect(await fail(at, key(), rule)).toEqual({ failures: times.length, crossed });
      }
    });

    it('loses no count and crosses once under concurrent records through two stores', async () => {
      const other = await open();
      const wide = { threshold: 10, windowMs: 60_000 };
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? store : other).record(key(), wide, T0 + i)),
      );
      const answers = results.map(expectOk);
      expect(answers.filter((a) => a.crossed)).toEqual([{ failures: 10, crossed: true }]);
      expect(new Set(answers.map((a) => a.failures)).size).toBe(50);
      expect(await read(T0 + 50, key(), wide)).toBe(50);
      expect(expectOk(await other.read(key(), wide, T0 + 50))).toEqual({ failures: 50 });
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
          () => store.record(bad as string, policy, T0),
          () => store.read(bad as string, policy, T0),
          () => store.reset(bad as string),
        ]) {
          const settled = await outcome(run);
          expect(settled.resolved).toBe(true);
          if (settled.resolved) expectErr(settled.value, 'VALIDATION_ERROR', /^key$/);
        }
      });

      it.each([
        ...hostileValues().map(([label, value]): [string, unknown, RegExp] => [label, value, /^policy/]),
        ['a threshold of 0', { threshold: 0, windowMs: 1 }, /^policy\.threshold$/],
        ['a fractional threshold', { threshold: 1.5, windowMs: 1 }, /^policy\.threshold$/],
        ['a threshold given as text', { threshold: '3', windowMs: 1 }, /^policy\.threshold$/],
        ['a window of 0', { threshold: 1, windowMs: 0 }, /^policy\.windowMs$/],
        ['a negative window', { threshold: 1, windowMs: -1 }, /^policy\.windowMs$/],
        ['an infinite window', { threshold: 1, windowMs: Number.POSITIVE_INFINITY }, /^policy\.windowMs$/],
        ['a throwing getter', withThrowingGetter({ windowMs: 1 }, 'threshold'), /^policy/],
      ])('a policy that is %s', async (_, bad, field) => {
        for (const run of [
          () => store.record(key(), bad as FailureWindowPolicy, T0),
          () => store.read(key(), bad as FailureWindowPolicy, T0),
        ]) {
          const settled = await outcome(run);
          expect(settled.resolved).toBe(true);
          if (settled.resolved) expectErr(settled.value, 'VALIDATION_ERROR', field);
        }
        expect(await read(T0)).toBe(0);
      });

      it.each([
        ...hostileValues().filter(([, value]) => typeof value !== 'number' || Number.isNaN(value)),
        ['Infinity', Number.POSITIVE_INFINITY],
      ])('a clock reading that is %s', async (_, bad) => {
        for (const run of [
          () => store.record(key(), policy, bad as number),
          () => store.read(key(), policy, bad as number),
        ]) {
          const settled = await outcome(run);
          expect(settled.resolved).toBe(true);
          if (settled.resolved) expectErr(settled.value, 'VALIDATION_ERROR', /^now$/);
        }
        expect(await read(T0)).toBe(0);
      });
    });
  });
}
