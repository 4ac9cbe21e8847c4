import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, ok } from '../result/result.ts';
import { throwingProxy } from '../testing/hostile-values.ts';
import { createManualClock } from '../testing/manual-clock.ts';
import { outcome } from '../testing/outcomes.ts';
import { watchProcessFailures } from '../testing/process-failures.ts';
import { createMemoryStore } from './memory-store.ts';
import type { IntegrationStore, Mapping, MappingStore } from './store.ts';
import { guardStore } from './store-guard.ts';

const scope = { integration: 'acme', objectType: 'person' };
const clock = createManualClock();
const mapping = (externalId: string): Mapping => ({
  externalId,
  remoteId: `r-${externalId}`,
  contentHash: null,
  syncedAt: clock.now(),
});

// A memory store with one part's method replaced.
function storeWith(patch: (store: IntegrationStore) => void): IntegrationStore {
  const store = createMemoryStore({ now: clock.now });
  patch(store);
  return store;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('guardStore', () => {
  it('answers what a working store answers', async () => {
    const safe = guardStore(createMemoryStore({ now: clock.now }));
    expect(await safe.mappings.putMany(scope, [mapping('a'), mapping('b')])).toEqual(ok({ written: 2 }));
    expect(await safe.mappings.count(scope)).toEqual(ok(2));
    const got = await safe.mappings.getMany(scope, ['a', 'x']);
    expect(got.success && [...got.data.keys()]).toEqual(['a']);
    expect(await collect(safe.mappings.iterate(scope, { pageSize: 1 }))).toHaveLength(2);
    expect(await safe.commitMappings(scope, [mapping('c')])).toEqual(ok({ written: 1 }));
    expect(await safe.syncState.setCheckpoint('cursor', 'v1')).toEqual(ok(undefined));
    expect(await safe.syncState.getCheckpoint('cursor')).toEqual(ok('v1'));
    expect(await safe.configs.exists('acme')).toEqual(ok(false));
    await expect(safe.close()).resolves.toBeUndefined();
  });

  it('passes a typed failure of the store through as it is', async () => {
    const safe = guardStore(createMemoryStore({ now: clock.now }));
    const result = await safe.mappings.putMany({ integration: '', objectType: 'person' }, []);
    expect(result.success || result.error).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('calls the method on its own part, with the arguments given', async () => {
    const calls: unknown[] = [];
    const store = storeWith((s) => {
      const part = s.syncState;
      s.syncState.getCheckpoint = function (this: unknown, ...args: unknown[]) {
        calls.push(this === part, ...args);
        return Promise.resolve(ok('seen'));
      } as typeof part.getCheckpoint;
    });
    expect(await guardStore(store).syncState.getCheckpoint('cursor')).toEqual(ok('seen'));
    expect(calls).toEqual([true, 'cursor']);
  });

  it('looks the method up on every call, not once when wrapped', async () => {
    const store = createMemoryStore({ now: clock.now });
    const safe = guardStore(store);
    store.mappings.count = async () => ok(42);
    expect(await safe.mappings.count(scope)).toEqual(ok(42));
  });

  type Breakage = [label: string, make: () => unknown];
  const breakages: Breakage[] = [
    [
      'throws',
      () => () => {
        throw new TypeError('db exploded');
      },
    ],
    ['rejects', () => () => Promise.reject(new Error('connection reset'))],
    ['rejects with a non-Error', () => () => Promise.reject('nope')],
    [
      'throws a Proxy',
      () => () => {
        throw throwingProxy();
      },
    ],
  ];

  it.each(breakages)('a method that %s answers OPERATION_FAILED naming it', async (_, make) => {
    const watch = watchProcessFailures();
    const safe = guardStore(
      storeWith((s) => {
        (s.mappings as unknown as Record<string, unknown>).getMany = make();
        (s.syncState as unknown as Record<string, unknown>).startRun = make();
        (s.configs as unknown as Record<string, unknown>).update = make();
        (s as unknown as Record<string, unknown>).commitMappings = make();
      }),
    );
    const cases: [string, () => Promise<ApiResult<unknown>>][] = [
      ['store.mappings.getMany', () => safe.mappings.getMany(scope, ['a'])],
      ['store.syncState.startRun', () => safe.syncState.startRun('sync')],
      ['store.configs.update', () => safe.configs.update('acme', {}, null)],
      ['store.commitMappings', () => safe.commitMappings(scope, [])],
    ];
    for (const [operation, call] of cases) {
      const done = await outcome(call);
      expect(done.resolved).toBe(true);
      const result = (done as { value: ApiResult<unknown> }).value;
      expect(result.success || result.error).toMatchObject({
        code: 'OPERATION_FAILED',
        retryable: false,
        message: `${operation} failed unexpectedly`,
      });
    }
    expect(await watch.stop()).toEqual([]);
  });

  it('keeps an Error thrown by the store as the cause', async () => {
    const thrown = new Error('disk full');
    const safe = guardStore(
      storeWith((s) => {
        s.syncState.setCheckpoint = () => Promise.reject(thrown);
      }),
    );
    const result = await safe.syncState.setCheckpoint('cursor', 'v');
    expect(result.success || result.error.cause).toBe(thrown);
  });

  it('returns an IntegrationError the store threw as it is', async () => {
    const thrown = new IntegrationError('CONFLICT', 'taken', { field: 'integration' });
    const safe = guardStore(
      storeWith((s) => {
        s.configs.create = () => {
          throw thrown;
        };
      }),
    );
    expect(await safe.configs.create('acme', {}, null)).toEqual({ success: false, error: thrown });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a string', 'ok'],
    ['an object without success', { data: 1 }],
    ['a success that is not a boolean', { success: 'yes', data: 1 }],
    ['a failure without an IntegrationError', { success: false, error: 'boom' }],
    ['a failure with a plain Error', { success: false, error: new Error('boom') }],
    ['a Proxy whose traps throw', throwingProxy()],
  ])('a method that answers %s (not an ApiResult) answers OPERATION_FAILED', async (_, answer) => {
    const watch = watchProcessFailures();
    const safe = guardStore(
      storeWith((s) => {
        (s.mappings as unknown as Record<string, unknown>).count = async () => answer;
        (s.syncState as unknown as Record<string, unknown>).acquireLease = () => answer;
      }),
    );
    for (const [operation, call] of [
      ['store.mappings.count', () => safe.mappings.count(scope)],
      ['store.syncState.acquireLease', () => safe.syncState.acquireLease('lock', { owner: 'w', ttlMs: 1 })],
    ] as const) {
      const done = await outcome(call);
      expect(done.resolved).toBe(true);
      const result = (done as { value: ApiResult<unknown> }).value;
      expect(result.success).toBe(false);
      expect(result.success || result.error).toMatchObject({ code: 'OPERATION_FAILED', retryable: false });
      expect(result.success || result.error.message).toContain(operation);
    }
    expect(await watch.stop()).toEqual([]);
  });

  it.each([
    ['missing', undefined],
    ['not a function', 'getCheckpoint'],
  ])('a method that is %s answers OPERATION_FAILED', async (_, value) => {
    const safe = guardStore(
      storeWith((s) => {
        (s.syncState as unknown as Record<string, unknown>).getCheckpoint = value;
      }),
    );
    const result = await safe.syncState.getCheckpoint('cursor');
    expect(result.success || result.error).toMatchObject({
      code: 'OPERATION_FAILED',
      retryable: false,
      message: 'store.syncState.getCheckpoint is not a function',
    });
  });

  it('a part that is missing, or whose getter throws, fails each call instead of the wrapping', async () => {
    const store = createMemoryStore({ now: clock.now });
    Object.defineProperty(store, 'configs', {
      get() {
        throw new Error('getter trap');
      },
    });
    Object.defineProperty(store, 'syncState', { value: undefined });
    const safe = guardStore(store);
    const configs = await safe.configs.get('acme');
    expect(configs.success || configs.error).toMatchObject({
      code: 'OPERATION_FAILED',
      message: 'store.configs.get failed unexpectedly',
    });
    const state = await safe.syncState.listRuns('sync');
    expect(state.success || state.error).toMatchObject({ code: 'OPERATION_FAILED' });
    // The parts that work still do.
    expect(await safe.mappings.count(scope)).toEqual(ok(0));
  });

  it('a store that is a Proxy whose traps throw fails every call, never throws', async () => {
    const watch = watchProcessFailures();
    const safe = guardStore(throwingProxy() as IntegrationStore);
    for (const call of [
      () => safe.mappings.count(scope),
      () => safe.syncState.getCheckpoint('c'),
      () => safe.configs.exists('acme'),
      () => safe.commitMappings(scope, []),
    ]) {
      const done = await outcome(call);
      expect(done.resolved).toBe(true);
      const result = (done as { value: ApiResult<unknown> }).value;
      expect(result.success || result.error).toMatchObject({ code: 'OPERATION_FAILED' });
    }
    expect(await outcome(() => safe.close())).toEqual({ resolved: true, value: undefined });
    expect(await collect(safe.mappings.iterate(scope))).toMatchObject([
      { success: false, error: { code: 'OPERATION_FAILED' } },
    ]);
    expect(await watch.stop()).toEqual([]);
  });

  describe('mappings.iterate', () => {
    const pages = (...items: ApiResult<Mapping[]>[]) =>
      async function* () {
        yield* items;
      };

    it('yields the pages of the store', async () => {
      const safe = guardStore(
        storeWith((s) => {
          s.mappings.iterate = pages(ok([mapping('a')]), ok([mapping('b')]));
        }),
      );
      expect(await collect(safe.mappings.iterate(scope))).toEqual([ok([mapping('a')]), ok([mapping('b')])]);
    });

    it.each<[string, (s: MappingStore) => void]>([
      [
        'throws when called',
        (m) => {
          m.iterate = () => {
            throw new Error('no cursor');
          };
        },
      ],
      ['is missing', (m) => Reflect.deleteProperty(m, 'iterate')],
      ['answers something that is not iterable', (m) => Object.assign(m, { iterate: () => 42 })],
      [
        'throws part way',
        (m) => {
          m.iterate = async function* () {
            yield ok([mapping('a')]);
            throw new Error('cursor lost');
          };
        },
      ],
    ])('that %s yields one OPERATION_FAILED and ends', async (_, patch) => {
      const watch = watchProcessFailures();
      const safe = guardStore(storeWith((s) => patch(s.mappings)));
      const items = await collect(safe.mappings.iterate(scope));
      const last = items.at(-1);
      expect(last?.success || last?.error).toMatchObject({
        code: 'OPERATION_FAILED',
        message: 'store.mappings.iterate failed unexpectedly',
      });
      expect(items.slice(0, -1).every((item) => item.success)).toBe(true);
      expect(await watch.stop()).toEqual([]);
    });

    it('yields one OPERATION_FAILED and ends at a page that is not an ApiResult', async () => {
      const safe = guardStore(
        storeWith((s) => {
          (s.mappings as unknown as Record<string, unknown>).iterate = async function* () {
            yield ok([mapping('a')]);
            yield [mapping('b')];
            yield ok([mapping('c')]);
          };
        }),
      );
      const items = await collect(safe.mappings.iterate(scope));
      expect(items).toHaveLength(2);
      expect(items[0]).toEqual(ok([mapping('a')]));
      expect(items[1]?.success || items[1]?.error).toMatchObject({
        code: 'OPERATION_FAILED',
        message: 'store.mappings.iterate did not answer an ApiResult',
      });
    });

    it('closes the store’s iterator when the caller stops early', async () => {
      let closed = false;
      const safe = guardStore(
        storeWith((s) => {
          s.mappings.iterate = async function* () {
            try {
              yield ok([mapping('a')]);
              yield ok([mapping('b')]);
            } finally {
              closed = true;
            }
          };
        }),
      );
      for await (const page of safe.mappings.iterate(scope)) {
        expect(page.success).toBe(true);
        break;
      }
      expect(closed).toBe(true);
    });

    it('yields an IntegrationError thrown part way as it is', async () => {
      const thrown = new IntegrationError('TIMEOUT', 'slow');
      const safe = guardStore(
        storeWith((s) => {
          s.mappings.iterate = async function* () {
            yield* [];
            throw thrown;
          };
        }),
      );
      expect(await collect(safe.mappings.iterate(scope))).toEqual([{ success: false, error: thrown }]);
    });
  });

  describe('close', () => {
    it.each<[string, () => Promise<void>]>([
      ['rejects', () => Promise.reject(new Error('already closed'))],
      [
        'throws',
        () => {
          throw new Error('already closed');
        },
      ],
      ['is missing', undefined as unknown as () => Promise<void>],
    ])('never rejects when the store’s close %s', async (_, close) => {
      const watch = watchProcessFailures();
      const safe = guardStore(
        storeWith((s) => {
          s.close = close;
        }),
      );
      expect(await outcome(() => safe.close())).toEqual({ resolved: true, value: undefined });
      expect(await watch.stop()).toEqual([]);
    });

    it('closes the store', async () => {
      let closed = 0;
      const safe = guardStore(
        storeWith((s) => {
          s.close = async () => {
            closed++;
          };
        }),
      );
      await safe.close();
      expect(closed).toBe(1);
    });
  });
});
