// The behaviour every SeenIdStore shares, as vitest tests: the memory store, SQLite and PostgreSQL (and a later
// Redis store) each run it against themselves, so "refuses a replay" means the same thing everywhere.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_SEEN_ID_KEY_LENGTH, type SeenIdStore } from '../store/seen-id-store.ts';
import { signStandardWebhook, verifyStandardWebhook } from '../webhooks/standard-webhooks.ts';
import { expectErr, expectOk } from './expect-result.ts';

/** Options of {@link describeSeenIdStoreContract}. */
export interface SeenIdStoreContractOptions {
  /**
   * The clock the store was created with (e.g. `createManualClock()` passed as its `now`). Given, expiry is
   * tested by advancing it; otherwise by waiting in real time for `ttlMs` plus a margin.
   */
  clock?: { now: () => number; advance: (ms: number) => void | Promise<void> };
  /** TTL of the keys that must expire during a test. Default 150 ms. */
  ttlMs?: number;
  /**
   * How many keys the store holds, expired ones included, for the pruning test (skipped without it).
   * Receives the store the factory made.
   */
  countEntries?: (store: SeenIdStore) => Promise<number>;
  /** Called after each test with the store the factory made, e.g. to close it. */
  close?: (store: SeenIdStore) => Promise<void> | void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Declares vitest suites proving that a `SeenIdStore` meets the contract of `@patchbay/core`: a key is new
 * once, then seen until its TTL lapses; keys are exact; concurrent marks of one key let exactly one through;
 * a webhook delivery verified through one store is refused as a replay through another; expired keys are pruned; invalid keys and TTLs are a `VALIDATION_ERROR`, never a throw. `factory` is called
 * before every test (twice in one, for two stores racing), and must return stores over ONE shared storage (one
 * database, one memory store): each test uses its own random keys, so they do not collide.
 * @example
 * const clock = createManualClock();
 * describeSeenIdStoreContract('memory', async () => createMemorySeenIdStore({ now: clock.now }), { clock });
 */
export function describeSeenIdStoreContract(
  label: string,
  factory: () => Promise<SeenIdStore>,
  options: SeenIdStoreContractOptions = {},
): void {
  const ttlMs = options.ttlMs ?? 150;
  const lapse = async (ms = ttlMs) => {
    if (options.clock) await options.clock.advance(ms + 1);
    else await sleep(ms + 100);
  };

  let store: SeenIdStore;
  let tag: string;
  const key = (name: string) => `contract-${tag}:${name}`;
  // Long enough to outlive a loaded machine's pauses when the test needs a key to stay seen.
  const long = { ttlMs: 60_000 };

  describe(`${label}: SeenIdStore contract`, () => {
    beforeEach(async () => {
      store = await factory();
      tag = crypto.randomUUID().slice(0, 8);
    });
    afterEach(async () => {
      await options.close?.(store);
    });

    it('marks a key new once, then seen', async () => {
      expect(expectOk(await store.markSeen(key('a'), long))).toBe(true);
      expect(expectOk(await store.markSeen(key('a'), long))).toBe(false);
      expect(expectOk(await store.markSeen(key('a'), long))).toBe(false);
    });

    it('keeps keys apart exactly: case, spaces and prefixes make another key', async () => {
      for (const name of ['k', 'K', 'k ', ' k', 'k:1', 'k:10', 'ké', 'k\u0301']) {
        expect(expectOk(await store.markSeen(key(name), long))).toBe(true);
      }
      expect(expectOk(await store.markSeen(key('k'), long))).toBe(false);
    });

    it('takes keys of any text, up to the longest allowed', async () => {
      const odd = key(`quote' "double" back\\slash; drop table x; -- 🙂 \t\n`);
      expect(expectOk(await store.markSeen(odd, long))).toBe(true);
      expect(expectOk(await store.markSeen(odd, long))).toBe(false);
      const longest = key('').padEnd(MAX_SEEN_ID_KEY_LENGTH, 'x');
      expect(expectOk(await store.markSeen(longest, long))).toBe(true);
      expect(expectOk(await store.markSeen(longest, long))).toBe(false);
    });

    it('lets a key through again once its TTL has lapsed, and remembers it anew', async () => {
      expect(expectOk(await store.markSeen(key('x'), { ttlMs }))).toBe(true);
      expect(expectOk(await store.markSeen(key('x'), { ttlMs }))).toBe(false);
      await lapse();
      expect(expectOk(await store.markSeen(key('x'), long))).toBe(true);
      expect(expectOk(await store.markSeen(key('x'), long))).toBe(false);
    });

    it('keeps a key seen until its own TTL: another key lapsing does not release it', async () => {
      expect(expectOk(await store.markSeen(key('short'), { ttlMs }))).toBe(true);
      expect(expectOk(await store.markSeen(key('long'), long))).toBe(true);
      await lapse();
      expect(expectOk(await store.markSeen(key('short'), long))).toBe(true);
      expect(expectOk(await store.markSeen(key('long'), long))).toBe(false);
    });

    it('lets exactly one of many concurrent marks of one key through', async () => {
      const results = await Promise.all(Array.from({ length: 25 }, () => store.markSeen(key('race'), long)));
      expect(results.map(expectOk).filter((fresh) => fresh)).toHaveLength(1);
    });

    it('lets exactly one through when two stores from the factory race on one key', async () => {
      const other = await factory();
      try {
        const both = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).markSeen(key('two'), long)),
        );
        expect(both.map(expectOk).filter((fresh) => fresh)).toHaveLength(1);
      } finally {
        await options.close?.(other);
      }
    });

    it('refuses a webhook delivery verified again through another store from the factory', async () => {
      const other = await factory();
      try {
        const secret = 'whsec_dGVzdC1rZXktYnl0ZXMtMTIzNDU2Nzg5MA==';
        const id = `msg-${tag}`;
        const timestamp = Math.floor(Date.now() / 1000);
        const body = '{"type":"contact.created"}';
        const signature = await signStandardWebhook({ secret, id, timestamp, body });
        const headers = {
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signature,
        };
        const first = await verifyStandardWebhook({ secret, headers, body, replay: { store } });
        const again = await verifyStandardWebhook({ secret, headers, body, replay: { store: other } });
        expectOk(first);
        expectErr(again, 'CONFLICT', 'webhook-id');
      } finally {
        await options.close?.(other);
      }
    });

    it.skipIf(!options.countEntries)('prunes expired keys', async () => {
      const before = (await options.countEntries?.(store)) ?? 0;
      for (let i = 0; i < 5; i++) expectOk(await store.markSeen(key(`old-${i}`), { ttlMs }));
      await lapse();
      expectOk(await store.markSeen(key('new'), long));
      // The expired ones went, the new one stayed; other tests' keys may still be there.
      expect(await options.countEntries?.(store)).toBeLessThanOrEqual(before + 1);
    });

    it.each([
      ['an empty key', '', 'key'],
      ['a key over the longest allowed', 'x'.repeat(MAX_SEEN_ID_KEY_LENGTH + 1), 'key'],
      ['a number key', 42, 'key'],
      ['a null key', null, 'key'],
      ['a key with NUL', 'k\u0000', 'key'],
      ['a key with a lone surrogate', 'k\ud800', 'key'],
    ])('refuses %s with VALIDATION_ERROR', async (_label, bad, field) => {
      expectErr(await store.markSeen(bad as string, long), 'VALIDATION_ERROR', field);
    });

    it.each([
      ['0', 0],
      ['negative', -1],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['a string', '1000'],
    ])('refuses a %s TTL with VALIDATION_ERROR', async (_label, bad) => {
      expectErr(await store.markSeen(key('ttl'), { ttlMs: bad as number }), 'VALIDATION_ERROR', 'ttlMs');
    });

    it('refuses missing options with VALIDATION_ERROR, and records nothing on a refusal', async () => {
      expectErr(await store.markSeen(key('none'), undefined as never), 'VALIDATION_ERROR', 'ttlMs');
      expect(expectOk(await store.markSeen(key('none'), long))).toBe(true);
    });
  });
}
