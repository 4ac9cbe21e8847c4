// Acceptance: 50 000 accounts pulled through exactChanges from the Exact Online emulator with its limits on (60 a
// minute per division, fixed minute windows, 429 past them): the bulk endpoint for the first load, with a restart (a
// new client, from the checkpoint string alone) in the middle of it; then 500 changes and 20 deletions pulled from
// the saved checkpoint through the Sync API.
//
// One simulated clock drives the emulator and the client's limiter. The limiter sleeps in real time for the wait its
// store names, so the test's store turns each wait into a jump of the simulated clock instead (and takes again): the
// emulator sees the requests at the instants the limiter allowed them, without the minute of real waiting.
import { createMemoryRateLimitStore, ok, type RateLimitStore, Secret } from '@patchbay/core';
import { createExactOnlineEmulator, generateExactRecords } from '@patchbay/emulators';
import { describe, expect, it } from 'vitest';
import { mostInAFixedWindow, mostInAnyWindow } from '../test-support/busiest.ts';
import { createExactClient } from './client.ts';
import { type ExactChangesPage, exactChanges } from './pull-changes.ts';
import type { ExactAccount } from './records.ts';

const TOKEN = 'emulated-exact-access-token';
const MINUTE = 60_000;

function simulation() {
  // Mid-minute, so the load straddles the emulator's minute windows.
  let time = Date.UTC(2026, 11, 7, 9, 0, 30);
  const now = () => time;
  const emulator = createExactOnlineEmulator({ acceptToken: (token) => token === TOKEN, now });
  const requests: { at: number; path: string; status: number }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const reply = await emulator.handler(request);
    if (!(reply instanceof Response)) throw new TypeError('connection reset');
    requests.push({ at: time, path: new URL(request.url).pathname, status: reply.status });
    return reply;
  };
  // A process's client: its own limiter state (a restart loses it), the shared simulated clock.
  const client = () => {
    const memory = createMemoryRateLimitStore();
    const store: RateLimitStore = {
      async take(key, bucket, _at, cost) {
        for (;;) {
          const wait = await memory.take(key, bucket, time, cost);
          if (wait <= 0) return 0;
          time += wait;
        }
      },
      update: (key, feedback) => memory.update(key, feedback, time),
      peek: (key, bucket) => memory.peek(key, bucket, time),
    };
    return createExactClient({
      baseUrl: emulator.baseUrl,
      oauth: { getAccessToken: async () => ok(new Secret(TOKEN)) },
      division: emulator.division,
      fetch,
      rateLimit: { now, store },
      errorBudget: { now },
      retry: { retries: 2, initialDelayMs: 1, maxDelayMs: 1 },
    });
  };
  return { emulator, requests, client, now };
}

describe('exactChanges: 50 000 accounts, then 500 changes and 20 deletions, within 60 requests a minute', () => {
  it('loads all, resumes after a restart, then pulls exactly the changes, with 0 × 429', async () => {
    const { emulator, requests, client, now } = simulation();
    // Modified over the past year, as an account's records are.
    const seeded = emulator.seed(
      'crm/Accounts',
      generateExactRecords({ entity: 'account', count: 50_000 }).map((record, index) => ({
        ...record,
        Modified: `/Date(${now() - 86_400_000 * (1 + (index % 365))})/`,
      })),
    );
    const started = now();
    const pull = () =>
      exactChanges({ client: client(), entity: 'accounts', includeDeleted: true, clock: now });

    // First process: stopped (as by a restart) after 20 handled pages; the checkpoint saved is a string.
    let saved: string | null = null;
    const seen = new Map<string, number>();
    const handle = (page: ExactChangesPage<ExactAccount>) => {
      for (const change of page.changes) {
        if (change.kind !== 'upsert') continue;
        const id = String(change.record.ID);
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      saved = page.checkpoint;
    };
    let handled = 0;
    for await (const page of pull()(null)) {
      handle(page);
      if (++handled === 20) break;
    }
    expect(seen.size).toBe(20_000);
    expect(saved).toMatch(/^load:/);

    // Second process: a new client, from the saved string alone.
    for await (const page of pull()(saved)) handle(page);
    expect(seen.size).toBe(50_000);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    expect(new Set(seen.keys())).toEqual(new Set(seeded.map((record) => String(record.ID))));
    const loadRequests = requests.length;
    const loadSeconds = (now() - started) / 1_000;

    // 500 changes and 20 deletions, made in Exact (the emulator) by a user.
    const changed = seeded.filter((_, index) => index % 97 === 3).slice(0, 500);
    const removed = seeded.filter((_, index) => index % 97 === 50).slice(0, 20);
    expect([changed.length, removed.length]).toEqual([500, 20]);
    for (const record of changed)
      emulator.updateRecord('crm/Accounts', String(record.ID), { Name: `Changed ${record.ID}` });
    for (const record of removed) emulator.deleteRecord('crm/Accounts', String(record.ID));

    // Third process: the changes since the checkpoint, exactly those.
    const before = requests.length;
    const upserts: ExactAccount[] = [];
    const deletes: string[] = [];
    let last = saved as string | null;
    for await (const page of pull()(last)) {
      for (const change of page.changes) {
        if (change.kind === 'upsert') upserts.push(change.record);
        else deletes.push(change.key);
      }
      const [records, deletions] = page.checkpoint.split(':').map(BigInt);
      const [oldRecords, oldDeletions] = (last ?? '1:1').split(':').map(BigInt);
      expect(records! >= oldRecords! && deletions! >= oldDeletions!).toBe(true);
      last = page.checkpoint;
    }
    expect(upserts).toHaveLength(500);
    expect(new Set(upserts.map((record) => record.ID))).toEqual(new Set(changed.map((record) => record.ID)));
    expect(upserts.every((record) => record.Name === `Changed ${record.ID}`)).toBe(true);
    expect(deletes.sort()).toEqual(removed.map((record) => String(record.ID)).sort());
    const changeRequests = requests.length - before;

    // Nothing more: one records read and one deletions read, no page.
    const idle: unknown[] = [];
    for await (const page of pull()(last)) idle.push(page);
    expect(idle).toEqual([]);

    const times = requests.map((request) => request.at);
    const rate = { fixed: mostInAFixedWindow(times, MINUTE), rolling: mostInAnyWindow(times, MINUTE) };
    const report = {
      loadRequests,
      loadSeconds,
      changeRequests,
      total: requests.length,
      status429: requests.filter((request) => request.status === 429).length,
      ...rate,
    };
    // SyncTimestamp, 50 bulk pages of 1 000 (one more when the last page is full and names a next link), then one
    // Sync API read and one deletions read finding nothing new.
    const kinds = requests
      .slice(0, loadRequests)
      .map((request) => request.path.split('/').slice(4, 6).join('/'));
    expect(kinds.filter((kind) => kind === 'bulk/CRM').length).toBeGreaterThanOrEqual(50);
    expect(kinds.filter((kind) => kind === 'bulk/CRM').length).toBeLessThanOrEqual(51);
    expect(kinds.filter((kind) => kind === 'read/sync')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'sync/CRM')).toHaveLength(1);
    expect(loadRequests).toBeLessThanOrEqual(54);
    expect(changeRequests).toBe(2);
    expect(report.status429).toBe(0);
    expect(requests.every((request) => request.status === 200)).toBe(true);
    expect(rate.fixed).toBeLessThanOrEqual(60);
    expect(rate.rolling).toBeLessThanOrEqual(60);
    // The limiter paced the load (6 at once, then 54 a minute), not the test: the simulated minute passed.
    expect(loadSeconds).toBeGreaterThan(40);
    expect(report).toMatchObject({ status429: 0 });
  }, 120_000);
});
