// What the client and sync tests share: the emulator a test file runs against, the syncs built on it, and a
// client whose requests are captured. (The records the worker processes sync are in records.ts: a worker runs
// outside vitest and must not import this file.)
import { createMemoryStore, type IntegrationStore } from '@patchbay/core/store';
import { type RunningTwentyEmulator, startTwentyEmulator } from '@patchbay/emulators';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createTwentyClient, type TwentyClient } from '../src/client.ts';
import { createTwentySync, type TwentySync, type TwentySyncOptions } from '../src/sync.ts';

/**
 * One Twenty emulator for the calling test file (no rate limit), started before its tests and closed after
 * them; before each test its store, faults and counters are emptied. Read `emulator` inside tests and hooks.
 */
export function useEmulator(): { readonly emulator: RunningTwentyEmulator } {
  let emulator: RunningTwentyEmulator | undefined;
  beforeAll(async () => {
    emulator = await startTwentyEmulator({ port: 0, rateLimit: false });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    emulator?.emulator.reset();
  });
  return {
    get emulator() {
      if (!emulator) throw new Error('the emulator is started in beforeAll: use it inside tests and hooks');
      return emulator;
    },
  };
}

/** A test file's emulator (see {@link useEmulator}), a fresh memory store per test, and syncs on both. */
export interface SyncFixture {
  readonly emulator: RunningTwentyEmulator;
  readonly store: IntegrationStore;
  /** A sync on the emulator and the store: no rate limit, then the fixture's defaults, then `options`. */
  sync(options?: Partial<TwentySyncOptions>): TwentySync;
}

/**
 * {@link useEmulator} plus a fresh memory store before each test; unless `setup` is false, the workspace then
 * gets its externalId fields (`sync().setup()`) and the counters start from zero.
 * @example const twenty = useSyncFixture({ lease: false }); … await twenty.sync().upsertPerson(person);
 */
export function useSyncFixture(
  defaults: Partial<TwentySyncOptions> = {},
  { setup = true }: { setup?: boolean } = {},
): SyncFixture {
  const running = useEmulator();
  let store: IntegrationStore | undefined;
  const fixture: SyncFixture = {
    get emulator() {
      return running.emulator;
    },
    get store() {
      if (!store) throw new Error('the store is created in beforeEach: use it inside tests and hooks');
      return store;
    },
    sync: (options = {}) =>
      createTwentySync({
        baseUrl: running.emulator.url,
        apiKey: running.emulator.apiKey,
        store: fixture.store,
        rateLimit: false,
        ...defaults,
        ...options,
      }),
  };
  beforeEach(async () => {
    store = createMemoryStore();
    if (!setup) return;
    expect((await fixture.sync().setup()).success).toBe(true);
    running.emulator.counters.reset();
  });
  return fixture;
}

/**
 * A client on a fake server that answers every request 404, and the requests it sent (method, URL, body):
 * for tests that check what reaches the wire, or that nothing does.
 */
export function capturingClient(): {
  client: TwentyClient;
  sent: { method: string; url: string; body: string }[];
} {
  const sent: { method: string; url: string; body: string }[] = [];
  const fetchSpy = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    sent.push({ method: request.method, url: request.url, body: await request.text() });
    return Response.json({ statusCode: 404, messages: ['not found'], error: 'NOT_FOUND' }, { status: 404 });
  };
  const client = createTwentyClient({
    baseUrl: 'https://crm.example.test',
    apiKey: 'key',
    rateLimit: false,
    retry: false,
    fetch: fetchSpy,
  });
  return { client, sent };
}
