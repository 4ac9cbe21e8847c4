// The behaviour every IntegrationStore adapter must share, as vitest tests. Each adapter runs it against
// itself, so "works on SQLite" and "works on PostgreSQL" mean the same thing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode, IntegrationError } from '../result/errors.ts';
import type { ApiResult } from '../result/result.ts';
import type { IntegrationStore, Lease, Mapping, MappingScope, OutboxEntry } from '../store/store.ts';
import { hostileValues, withThrowingGetter } from './hostile-values.ts';
import { watchProcessFailures } from './process-failures.ts';

/** Options of {@link describeIntegrationStoreContract}. */
export interface StoreContractOptions {
  /**
   * The clock the store was created with (e.g. `createManualClock()` passed as its `now`). Given, lease
   * lapses advance it; otherwise they wait in real time for `leaseTtlMs` plus a margin.
   */
  clock?: { now: () => number; advance: (ms: number) => void | Promise<void> };
  /** TTL of the leases that must lapse during a test. Default 150 ms. */
  leaseTtlMs?: number;
  /** How far a store's timestamps may be from the test's clock (a database server's own clock). Default 5 000 ms. */
  clockToleranceMs?: number;
  /**
   * Opens a store (closed by the test) on a clock the test sets back, for the run log's order under a clock
   * set back. Left out, that test is skipped: e.g. for a store that stamps runs on a database server's clock.
   */
  openWithClock?: (now: () => number) => Promise<IntegrationStore>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The data of a successful result; fails the test with the error's code and message otherwise. */
function expectOk<T>(result: ApiResult<T>): T {
  if (!result.success) {
    expect.unreachable(`expected success, got ${result.error.code}: ${result.error.message}`);
  }
  return result.data;
}

/** The error of a failed result, checked to carry `code`. */
function expectErr<T>(result: ApiResult<T>, code: ErrorCode): IntegrationError {
  if (result.success) return expect.unreachable(`expected ${code}, got success`);
  expect(result.error.name).toBe('IntegrationError');
  expect(result.error.code).toBe(code);
  return result.error;
}

const pad = (n: number) => String(n).padStart(6, '0');

function mappingsFor(count: number, prefix = 'ext', version = 1): Mapping[] {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `${prefix}-${pad(i)}`,
    remoteId: `remote-${version}-${i}`,
    contentHash: i % 7 === 0 ? null : `hash-${version}-${i}`,
    syncedAt: 1_767_225_600_000 + i,
  }));
}

async function collect(iterable: AsyncIterable<ApiResult<Mapping[]>>): Promise<Mapping[][]> {
  const pages: Mapping[][] = [];
  for await (const page of iterable) pages.push(expectOk(page));
  return pages;
}

/**
 * Declares vitest suites proving that an `IntegrationStore` meets the contract of `@patchbay/core`: batch
 * mappings (thousands of ids per call), configuration rows, checkpoints, the run log, leases, the outbox
 * and `commitMappings`. `factory` is called before every test and its store closed after; each test works
 * in its own randomly named scopes, so a factory may return stores over one shared database.
 * @example
 * describeIntegrationStoreContract('sqlite (memory)', async () => createSqliteStore({ path: ':memory:' }));
 */
export function describeIntegrationStoreContract(
  label: string,
  factory: () => Promise<IntegrationStore>,
  options: StoreContractOptions = {},
): void {
  const ttl = options.leaseTtlMs ?? 150;
  const tolerance = options.clockToleranceMs ?? 5_000;
  const now = () => options.clock?.now() ?? Date.now();
  // Past the TTL by a margin: timers fire late, and a database may round timestamps.
  const lapse = async () => {
    if (options.clock) await options.clock.advance(ttl + 1);
    else await sleep(ttl + 100);
  };
  const expectNearNow = (at: number) => {
    expect(typeof at).toBe('number');
    expect(Math.abs(at - now())).toBeLessThanOrEqual(tolerance);
  };

  let store: IntegrationStore;
  let tag: string;
  const scope = (objectType = 'person', integration = `contract-${tag}`): MappingScope => ({
    integration,
    objectType,
  });
  const name = (base: string) => `${base}-${tag}`;

  describe(`${label}: IntegrationStore contract`, () => {
    beforeEach(async () => {
      store = await factory();
      tag = crypto.randomUUID().slice(0, 8);
    });
    afterEach(async () => {
      await store?.close();
    });

    describe('mappings', () => {
      it('finds nothing in an empty scope, and nothing for an empty id list', async () => {
        expect(expectOk(await store.mappings.getMany(scope(), ['a', 'b'])).size).toBe(0);
        expect(expectOk(await store.mappings.getMany(scope(), [])).size).toBe(0);
        expect(expectOk(await store.mappings.count(scope()))).toBe(0);
        expect(await collect(store.mappings.iterate(scope()))).toEqual([]);
      });

      it('writes 5 000 mappings in one putMany and reads them back in one getMany', async () => {
        const entries = mappingsFor(5_000);
        expect(expectOk(await store.mappings.putMany(scope(), entries))).toEqual({ written: 5_000 });
        const ids = [...entries.map((e) => e.externalId), 'missing-1', 'missing-2'];
        const found = expectOk(await store.mappings.getMany(scope(), ids));
        expect(found.size).toBe(5_000);
        for (const entry of entries) expect(found.get(entry.externalId)).toEqual(entry);
        expect(found.has('missing-1')).toBe(false);
        expect(expectOk(await store.mappings.count(scope()))).toBe(5_000);
      });

      it('returns only what exists when asked for a few ids out of many, duplicates included', async () => {
        const entries = mappingsFor(300);
        expectOk(await store.mappings.putMany(scope(), entries));
        const ids = ['ext-000010', 'ext-000010', 'nope', 'ext-000299'];
        const found = expectOk(await store.mappings.getMany(scope(), ids));
        expect([...found.keys()].sort()).toEqual(['ext-000010', 'ext-000299']);
        expect(found.get('ext-000299')).toEqual(entries[299]);
      });

      it('replaces existing mappings: remote id, content hash and syncedAt all change, the count does not', async () => {
        expectOk(await store.mappings.putMany(scope(), mappingsFor(1_000, 'ext', 1)));
        const second = mappingsFor(1_000, 'ext', 2).map((m) => ({ ...m, syncedAt: m.syncedAt + 60_000 }));
        second[0] = { ...second[0]!, contentHash: 'not-null-any-more' };
        second[1] = { ...second[1]!, contentHash: null };
        expect(expectOk(await store.mappings.putMany(scope(), second))).toEqual({ written: 1_000 });
        const found = expectOk(
          await store.mappings.getMany(
            scope(),
            second.map((m) => m.externalId),
          ),
        );
        for (const entry of second) expect(found.get(entry.externalId)).toEqual(entry);
        expect(expectOk(await store.mappings.count(scope()))).toBe(1_000);
      });

      it('keeps the last entry when one batch names an external id twice, counting it once', async () => {
        const entries: Mapping[] = [
          { externalId: 'dup', remoteId: 'first', contentHash: 'h1', syncedAt: 1 },
          { externalId: 'other', remoteId: 'o', contentHash: null, syncedAt: 2 },
          { externalId: 'dup', remoteId: 'last', contentHash: 'h2', syncedAt: 3 },
        ];
        expect(expectOk(await store.mappings.putMany(scope(), entries))).toEqual({ written: 2 });
        const found = expectOk(await store.mappings.getMany(scope(), ['dup']));
        expect(found.get('dup')).toEqual(entries[2]);
      });

      it('writes nothing and answers VALIDATION_ERROR naming the entry when one entry of a batch is invalid', async () => {
        const entries = mappingsFor(2_000);
        const bad = [...entries, { externalId: 'x', remoteId: '', contentHash: null, syncedAt: 1 }];
        const error = expectErr(await store.mappings.putMany(scope(), bad), 'VALIDATION_ERROR');
        expect(error.field).toBe('entries.2000.remoteId');
        expect(expectOk(await store.mappings.count(scope()))).toBe(0);
      });

      it('treats an empty batch as a no-op', async () => {
        expect(expectOk(await store.mappings.putMany(scope(), []))).toEqual({ written: 0 });
        expect(expectOk(await store.mappings.deleteMany(scope(), []))).toEqual({ deleted: 0 });
      });

      it('round-trips ids with quotes, commas, brackets, SQL-ish text, non-ASCII and 500 characters', async () => {
        const ids = [
          "o'brien",
          'say "hi"',
          'a,b,c',
          '[1]',
          '(x)',
          '%_like',
          "'); DROP TABLE mappings; --",
          'Grüße-世界-😀',
          ' padded ',
          'back\\slash',
          'line\nbreak',
          'x'.repeat(500),
        ];
        const entries = ids.map((externalId, i) => ({
          externalId,
          remoteId: `r${i}`,
          contentHash: null,
          syncedAt: i,
        }));
        expectOk(await store.mappings.putMany(scope(), entries));
        const found = expectOk(await store.mappings.getMany(scope(), ids));
        expect(found.size).toBe(ids.length);
        for (const entry of entries) expect(found.get(entry.externalId)).toEqual(entry);
      });

      it('keeps scopes apart: the same external id in another object type or integration is another mapping', async () => {
        const person = scope('person');
        const company = scope('company');
        const elsewhere = scope('person', `contract-other-${tag}`);
        const entry = (remoteId: string): Mapping[] => [
          { externalId: 'shared-1', remoteId, contentHash: null, syncedAt: 1 },
        ];
        expectOk(await store.mappings.putMany(person, entry('p')));
        expectOk(await store.mappings.putMany(company, entry('c')));
        expectOk(await store.mappings.putMany(elsewhere, [...entry('e'), ...mappingsFor(10)]));
        expect(expectOk(await store.mappings.getMany(person, ['shared-1'])).get('shared-1')?.remoteId).toBe(
          'p',
        );
        expect(expectOk(await store.mappings.getMany(company, ['shared-1'])).get('shared-1')?.remoteId).toBe(
          'c',
        );
        expect(
          expectOk(await store.mappings.getMany(elsewhere, ['shared-1'])).get('shared-1')?.remoteId,
        ).toBe('e');
        expect(expectOk(await store.mappings.count(person))).toBe(1);
        expect(expectOk(await store.mappings.count(elsewhere))).toBe(11);
        expect(expectOk(await store.mappings.deleteMany(company, ['shared-1']))).toEqual({ deleted: 1 });
        expect(expectOk(await store.mappings.count(company))).toBe(0);
        expect(expectOk(await store.mappings.count(person))).toBe(1);
        expect(expectOk(await store.mappings.count(elsewhere))).toBe(11);
        expect((await collect(store.mappings.iterate(person))).flat().map((m) => m.remoteId)).toEqual(['p']);
      });

      it('deletes only the given ids and counts only those that existed', async () => {
        expectOk(await store.mappings.putMany(scope(), mappingsFor(5_000)));
        const doomed = mappingsFor(3_000).map((m) => m.externalId);
        const result = expectOk(
          await store.mappings.deleteMany(scope(), [...doomed, 'never-there', doomed[0]!]),
        );
        expect(result).toEqual({ deleted: 3_000 });
        expect(expectOk(await store.mappings.count(scope()))).toBe(2_000);
        const found = expectOk(await store.mappings.getMany(scope(), ['ext-002999', 'ext-003000']));
        expect([...found.keys()]).toEqual(['ext-003000']);
      });

      it('iterates in external-id order, in pages of pageSize', async () => {
        // Written out of order, in two batches, so insertion order cannot pass for sorting.
        const entries = mappingsFor(1_050);
        // i × 7919 mod 1050 visits every index once (7919 is prime to 1050), in a scrambled order.
        const shuffled = entries.map((_, i) => entries[(i * 7_919) % 1_050]!);
        expectOk(await store.mappings.putMany(scope(), shuffled.slice(525)));
        expectOk(await store.mappings.putMany(scope(), shuffled.slice(0, 525)));
        const pages = await collect(store.mappings.iterate(scope(), { pageSize: 100 }));
        expect(pages.map((page) => page.length)).toEqual([...Array(10).fill(100), 50]);
        expect(pages.flat()).toEqual(entries);
      });

      it('iterates in pages of 1 000 by default, and ends cleanly on an exact multiple', async () => {
        expectOk(await store.mappings.putMany(scope(), mappingsFor(2_500)));
        expect((await collect(store.mappings.iterate(scope()))).map((p) => p.length)).toEqual([
          1_000, 1_000, 500,
        ]);
        expectOk(await store.mappings.putMany(scope('exact'), mappingsFor(200)));
        const exact = await collect(store.mappings.iterate(scope('exact'), { pageSize: 100 }));
        expect(exact.map((p) => p.length)).toEqual([100, 100]);
      });
    });

    describe('configs', () => {
      const ciphertext = 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA';
      const other = 'v1.BBBBBBBBBBBBBBBB.BBBBBBBBBBBBBBBBBBBBBB';
      const third = 'v1.CCCCCCCCCCCCCCCC.CCCCCCCCCCCCCCCCCCCCCC';

      it('has no row for an unknown integration', async () => {
        expect(expectOk(await store.configs.get(name('crm')))).toBeNull();
        expect(expectOk(await store.configs.exists(name('crm')))).toBe(false);
      });

      it('creates a row with defaults for what the input leaves out, and reads it back', async () => {
        const created = expectOk(await store.configs.create(name('crm'), {}, 'user-1'));
        expect(created).toEqual({
          integration: name('crm'),
          baseUrl: null,
          secrets: {},
          enabled: false,
          syncMode: 'disabled',
          settings: {},
          createdBy: 'user-1',
          updatedBy: 'user-1',
          createdAt: created.createdAt,
          updatedAt: created.updatedAt,
        });
        expectNearNow(created.createdAt);
        expect(created.updatedAt).toBe(created.createdAt);
        expect(expectOk(await store.configs.get(name('crm')))).toEqual(created);
        expect(expectOk(await store.configs.exists(name('crm')))).toBe(true);
      });

      it('stores every field given on create, secrets per name and settings as nested JSON', async () => {
        const settings = { objects: ['person', 'company'], batch: { size: 60, strict: true }, note: 'ü' };
        const input = {
          baseUrl: 'https://crm.example.com',
          secrets: { apiKey: ciphertext, client_secret: other },
          enabled: true,
          syncMode: 'direct_crm',
          settings,
        };
        const created = expectOk(await store.configs.create(name('crm'), input, null));
        expect(created).toMatchObject({ ...input, createdBy: null, updatedBy: null });
        expect(expectOk(await store.configs.get(name('crm')))).toEqual(created);
      });

      it('stores nothing for a secret created as null', async () => {
        const created = expectOk(
          await store.configs.create(
            name('crm'),
            { secrets: { apiKey: ciphertext, refreshToken: null } },
            'u',
          ),
        );
        expect(created.secrets).toEqual({ apiKey: ciphertext });
        expect(expectOk(await store.configs.get(name('crm')))?.secrets).toEqual({ apiKey: ciphertext });
      });

      it('refuses a second create with CONFLICT (not retryable) and keeps the first row', async () => {
        const first = expectOk(
          await store.configs.create(name('crm'), { baseUrl: 'https://one.example' }, 'u1'),
        );
        const conflict = expectErr(
          await store.configs.create(name('crm'), { baseUrl: 'https://two.example' }, 'u2'),
          'CONFLICT',
        );
        expect(conflict.retryable).toBe(false);
        expect(expectOk(await store.configs.get(name('crm')))).toEqual(first);
      });

      it('updates only the given fields, records who updated, and keeps the creator', async () => {
        const created = expectOk(
          await store.configs.create(
            name('crm'),
            { baseUrl: 'https://one.example', secrets: { apiKey: ciphertext }, settings: { a: 1 } },
            'creator',
          ),
        );
        const updated = expectOk(
          await store.configs.update(name('crm'), { enabled: true, syncMode: 'platform' }, 'editor'),
        );
        expect(updated).toMatchObject({
          baseUrl: 'https://one.example',
          secrets: { apiKey: ciphertext },
          enabled: true,
          syncMode: 'platform',
          settings: { a: 1 },
          createdBy: 'creator',
          updatedBy: 'editor',
          createdAt: created.createdAt,
        });
        expect(updated.updatedAt).toBeGreaterThanOrEqual(created.updatedAt);
        expect(expectOk(await store.configs.get(name('crm')))).toEqual(updated);
      });

      it('clears a field updated to null, and replaces settings as a whole', async () => {
        expectOk(
          await store.configs.create(
            name('crm'),
            { baseUrl: 'https://one.example', secrets: { apiKey: ciphertext }, settings: { a: 1, b: 2 } },
            'u',
          ),
        );
        const updated = expectOk(
          await store.configs.update(
            name('crm'),
            { baseUrl: null, secrets: { apiKey: null }, settings: { c: 3 } },
            'u',
          ),
        );
        expect(updated).toMatchObject({ baseUrl: null, secrets: {}, settings: { c: 3 } });
      });

      it('merges secrets name by name: a ciphertext sets one, null removes one, the others stay', async () => {
        expectOk(
          await store.configs.create(
            name('crm'),
            { secrets: { apiKey: ciphertext, clientSecret: other } },
            'u',
          ),
        );
        const merged = expectOk(
          await store.configs.update(
            name('crm'),
            { secrets: { clientSecret: third, refreshToken: other } },
            'u',
          ),
        );
        expect(merged.secrets).toEqual({ apiKey: ciphertext, clientSecret: third, refreshToken: other });
        const removed = expectOk(
          await store.configs.update(name('crm'), { secrets: { apiKey: null, neverSet: null } }, 'u'),
        );
        expect(removed.secrets).toEqual({ clientSecret: third, refreshToken: other });
        // An empty patch, and an update without secrets, leave them as they are.
        expect(expectOk(await store.configs.update(name('crm'), { secrets: {} }, 'u')).secrets).toEqual(
          removed.secrets,
        );
        expect(expectOk(await store.configs.update(name('crm'), { enabled: true }, 'u')).secrets).toEqual(
          removed.secrets,
        );
        expect(expectOk(await store.configs.get(name('crm')))?.secrets).toEqual(removed.secrets);
      });

      it('loses no secret when updates of different names run at once (the merge is one write)', async () => {
        expectOk(await store.configs.create(name('crm'), { secrets: { apiKey: ciphertext } }, 'u'));
        const names = Array.from({ length: 12 }, (_, i) => `token${i}`);
        const results = await Promise.all(
          names.map((secret) => store.configs.update(name('crm'), { secrets: { [secret]: other } }, 'u')),
        );
        for (const result of results) expectOk(result);
        const row = expectOk(await store.configs.get(name('crm')));
        expect(row?.secrets).toEqual({
          apiKey: ciphertext,
          ...Object.fromEntries(names.map((secret) => [secret, other])),
        });
      });

      it('keeps any sync mode a connector declares, and refuses an empty or padded one', async () => {
        for (const [index, mode] of [
          'mirror',
          'webhook-only',
          'Two Way',
          'ünï:còdé/1',
          'x'.repeat(100),
        ].entries()) {
          const created = expectOk(await store.configs.create(name(`crm${index}`), { syncMode: mode }, 'u'));
          expect(created.syncMode).toBe(mode);
          expect(expectOk(await store.configs.get(name(`crm${index}`)))?.syncMode).toBe(mode);
        }
        expectOk(await store.configs.create(name('crm'), {}, 'u'));
        expect(
          expectOk(await store.configs.update(name('crm'), { syncMode: 'custom_mode' }, 'u')).syncMode,
        ).toBe('custom_mode');
        for (const mode of ['', ' padded ', 'x'.repeat(101), 42]) {
          const error = expectErr(
            await store.configs.update(name('crm'), { syncMode: mode as string }, 'u'),
            'VALIDATION_ERROR',
          );
          expect(error.field).toBe('input.syncMode');
        }
        expect(expectOk(await store.configs.get(name('crm')))?.syncMode).toBe('custom_mode');
      });

      it('refuses bad secrets by name, never quoting a secret, and writes nothing', async () => {
        const created = expectOk(
          await store.configs.create(name('crm'), { secrets: { apiKey: ciphertext } }, 'u'),
        );
        const pasted = 'sk_live_PASTED-WHERE-A-NAME-BELONGS';
        const attempts: [unknown, string][] = [
          [{ apiKey: other, refresh: 42 }, 'input.secrets.refresh'],
          [{ apiKey: other, refresh: '' }, 'input.secrets.refresh'],
          [{ apiKey: other, [pasted]: third }, 'input.secrets'],
          // An own key named __proto__, as JSON.parse makes it (an object literal would set the prototype).
          [JSON.parse(`{"apiKey":"${other}","__proto__":"${third}"}`), 'input.secrets'],
          [[other], 'input.secrets'],
          ['not an object', 'input.secrets'],
          [null, 'input.secrets'],
          [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`s${i}`, other])), 'input.secrets'],
          [withThrowingGetter({ apiKey: other }, 'refresh'), 'input.secrets.refresh'],
        ];
        for (const [secrets, field] of attempts) {
          for (const result of [
            await store.configs.update(
              name('crm'),
              { secrets: secrets as never, baseUrl: 'https://x.example' },
              'u',
            ),
            await store.configs.create(name('fresh'), { secrets: secrets as never }, 'u'),
          ]) {
            const error = expectErr(result, 'VALIDATION_ERROR');
            expect(error.issues?.map((issue) => issue.field)).toContain(field);
            for (const shown of [JSON.stringify(error), error.message, String(error.stack)]) {
              for (const secret of [ciphertext, other, third, pasted]) expect(shown).not.toContain(secret);
            }
          }
        }
        expect(expectOk(await store.configs.get(name('crm')))).toEqual(created);
        expect(expectOk(await store.configs.exists(name('fresh')))).toBe(false);
      });

      it('answers NOT_FOUND when updating an integration without a row, and creates nothing', async () => {
        expectErr(await store.configs.update(name('crm'), { enabled: true }, 'u'), 'NOT_FOUND');
        expect(expectOk(await store.configs.exists(name('crm')))).toBe(false);
      });

      it('keeps integrations apart', async () => {
        expectOk(await store.configs.create(name('a'), { baseUrl: 'https://a.example' }, 'u'));
        expectOk(
          await store.configs.create(
            name('b'),
            { baseUrl: 'https://b.example', secrets: { apiKey: other } },
            'u',
          ),
        );
        expectOk(
          await store.configs.update(name('a'), { enabled: true, secrets: { apiKey: ciphertext } }, 'u'),
        );
        expect(expectOk(await store.configs.get(name('b')))?.enabled).toBe(false);
        expect(expectOk(await store.configs.get(name('b')))?.baseUrl).toBe('https://b.example');
        expect(expectOk(await store.configs.get(name('b')))?.secrets).toEqual({ apiKey: other });
      });
    });

    describe('checkpoints', () => {
      it('reads null for an unset checkpoint, then the last value set', async () => {
        expect(expectOk(await store.syncState.getCheckpoint(name('people')))).toBeNull();
        expectOk(await store.syncState.setCheckpoint(name('people'), '2026-01-01T00:00:00Z'));
        expect(expectOk(await store.syncState.getCheckpoint(name('people')))).toBe('2026-01-01T00:00:00Z');
        expectOk(await store.syncState.setCheckpoint(name('people'), 'cursor:{"after":"abc"}'));
        expect(expectOk(await store.syncState.getCheckpoint(name('people')))).toBe('cursor:{"after":"abc"}');
      });

      it('keeps checkpoints apart by name', async () => {
        expectOk(await store.syncState.setCheckpoint(name('a'), '1'));
        expectOk(await store.syncState.setCheckpoint(name('b'), '2'));
        expect(expectOk(await store.syncState.getCheckpoint(name('a')))).toBe('1');
        expect(expectOk(await store.syncState.getCheckpoint(name('b')))).toBe('2');
      });
    });

    describe('run log', () => {
      it('starts a run as running with zero counts', async () => {
        const run = expectOk(await store.syncState.startRun(name('sync')));
        expect(run).toEqual({
          id: run.id,
          name: name('sync'),
          status: 'running',
          startedAt: run.startedAt,
          finishedAt: null,
          counts: { created: 0, updated: 0, unchanged: 0, failed: 0 },
          lastErrorCode: null,
        });
        expect(typeof run.id).toBe('string');
        expect(run.id.length).toBeGreaterThan(0);
        expectNearNow(run.startedAt);
      });

      it('finishes a run with its outcome, counts and last error code', async () => {
        const run = expectOk(await store.syncState.startRun(name('sync')));
        const counts = { created: 3, updated: 2, unchanged: 10, failed: 1 };
        const finished = expectOk(
          await store.syncState.finishRun(run.id, { status: 'failed', counts, lastErrorCode: 'RATE_LIMIT' }),
        );
        expect(finished).toMatchObject({
          id: run.id,
          name: name('sync'),
          status: 'failed',
          counts,
          lastErrorCode: 'RATE_LIMIT',
        });
        expect(finished.startedAt).toBe(run.startedAt);
        expect(finished.finishedAt).toBeGreaterThanOrEqual(run.startedAt);
        const ok2 = expectOk(await store.syncState.startRun(name('sync')));
        const succeeded = expectOk(await store.syncState.finishRun(ok2.id, { status: 'succeeded', counts }));
        expect(succeeded.lastErrorCode).toBeNull();
      });

      it('answers NOT_FOUND for an unknown run and CONFLICT for a run finished twice', async () => {
        const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
        expectErr(
          await store.syncState.finishRun(crypto.randomUUID(), { status: 'succeeded', counts }),
          'NOT_FOUND',
        );
        const run = expectOk(await store.syncState.startRun(name('sync')));
        expectOk(await store.syncState.finishRun(run.id, { status: 'succeeded', counts }));
        expectErr(await store.syncState.finishRun(run.id, { status: 'failed', counts }), 'CONFLICT');
        const [listed] = expectOk(await store.syncState.listRuns(name('sync')));
        expect(listed?.status).toBe('succeeded');
      });

      it('lists a name’s runs newest first, even when started in the same millisecond, honouring limit', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push(expectOk(await store.syncState.startRun(name('sync'))).id);
        expectOk(await store.syncState.startRun(name('other')));
        const listed = expectOk(await store.syncState.listRuns(name('sync')));
        expect(listed.map((run) => run.id)).toEqual([...ids].reverse());
        const limited = expectOk(await store.syncState.listRuns(name('sync'), { limit: 2 }));
        expect(limited.map((run) => run.id)).toEqual([ids[4], ids[3]]);
        expect(expectOk(await store.syncState.listRuns(name('never')))).toEqual([]);
      });

      it.skipIf(!options.openWithClock)(
        'lists runs by start time first, then by order of starting (a clock set back does not reorder)',
        async () => {
          let time = 10_000;
          const clocked = await options.openWithClock!(() => time);
          try {
            const first = expectOk(await clocked.syncState.startRun(name('sync')));
            time = 5_000;
            const setBack = expectOk(await clocked.syncState.startRun(name('sync')));
            const sameMs = expectOk(await clocked.syncState.startRun(name('sync')));
            const listed = expectOk(await clocked.syncState.listRuns(name('sync')));
            expect(listed.map((run) => run.id)).toEqual([first.id, sameMs.id, setBack.id]);
          } finally {
            await clocked.close();
          }
        },
      );

      it('lists 20 runs when no limit is given', async () => {
        for (let i = 0; i < 25; i++) expectOk(await store.syncState.startRun(name('sync')));
        expect(expectOk(await store.syncState.listRuns(name('sync')))).toHaveLength(20);
      });
    });

    describe('leases', () => {
      const acquire = async (lease: string, owner: string, ttlMs = ttl) =>
        expectOk(await store.syncState.acquireLease(name(lease), { owner, ttlMs }));

      it('grants a free lease with its owner, a token and an expiry ttlMs ahead', async () => {
        const before = now();
        const lease = await acquire('lock', 'worker-a', 30_000);
        expect(lease).not.toBeNull();
        expect(lease).toMatchObject({ name: name('lock'), owner: 'worker-a' });
        expect(typeof lease?.token).toBe('string');
        expect(lease!.token.length).toBeGreaterThan(0);
        expect(lease!.expiresAt).toBeGreaterThanOrEqual(before + 30_000 - tolerance);
        expect(lease!.expiresAt).toBeLessThanOrEqual(now() + 30_000 + tolerance);
      });

      it('refuses a second owner while the lease is held', async () => {
        expect(await acquire('lock', 'worker-a', 30_000)).not.toBeNull();
        expect(await acquire('lock', 'worker-b', 30_000)).toBeNull();
        expect(await acquire('other-lock', 'worker-b', 30_000)).not.toBeNull();
      });

      it('lets the same owner take its lease again, with a new token that fences the old one', async () => {
        const first = (await acquire('lock', 'worker-a', 30_000))!;
        const again = (await acquire('lock', 'worker-a', 30_000))!;
        expect(again).not.toBeNull();
        expect(again.token).not.toBe(first.token);
        expect(expectOk(await store.syncState.renewLease(first, { ttlMs: 30_000 }))).toBeNull();
        expect(expectOk(await store.syncState.renewLease(again, { ttlMs: 30_000 }))).not.toBeNull();
      });

      it('renews for the holder, pushing the expiry out and keeping the token', async () => {
        const lease = (await acquire('lock', 'worker-a', 1_000))!;
        const renewed = expectOk(await store.syncState.renewLease(lease, { ttlMs: 60_000 }));
        expect(renewed).toMatchObject({ name: lease.name, owner: 'worker-a', token: lease.token });
        expect(renewed!.expiresAt).toBeGreaterThan(lease.expiresAt);
        expect(renewed!.expiresAt).toBeGreaterThanOrEqual(now() + 60_000 - tolerance);
        expect(await acquire('lock', 'worker-b', 1_000)).toBeNull();
      });

      it('takes over a lapsed lease; the old holder can then neither renew nor release it', async () => {
        const old = (await acquire('lock', 'worker-a'))!;
        await lapse();
        const taken = await acquire('lock', 'worker-b', 30_000);
        expect(taken).toMatchObject({ owner: 'worker-b' });
        expect(taken!.token).not.toBe(old.token);
        expect(expectOk(await store.syncState.renewLease(old, { ttlMs: 30_000 }))).toBeNull();
        expectOk(await store.syncState.releaseLease(old));
        expect(await acquire('lock', 'worker-c', 30_000)).toBeNull();
        expect(expectOk(await store.syncState.renewLease(taken!, { ttlMs: 30_000 }))).toMatchObject({
          owner: 'worker-b',
        });
      });

      it('still renews a lapsed lease that nobody took', async () => {
        const lease = (await acquire('lock', 'worker-a'))!;
        await lapse();
        const renewed = expectOk(await store.syncState.renewLease(lease, { ttlMs: 30_000 }));
        expect(renewed).toMatchObject({ owner: 'worker-a', token: lease.token });
        expect(await acquire('lock', 'worker-b', 30_000)).toBeNull();
      });

      it('releases for the holder, so another owner can take it at once; a released lease cannot be renewed', async () => {
        const lease = (await acquire('lock', 'worker-a', 30_000))!;
        expectOk(await store.syncState.releaseLease(lease));
        expect(await acquire('lock', 'worker-b', 30_000)).toMatchObject({ owner: 'worker-b' });
        expect(expectOk(await store.syncState.renewLease(lease, { ttlMs: 30_000 }))).toBeNull();
      });

      it('refuses a TTL that is not a positive integer, or an empty owner, with VALIDATION_ERROR', async () => {
        const refused = await store.syncState.acquireLease(name('lock'), { owner: 'worker-a', ttlMs: 0 });
        expect(expectErr(refused, 'VALIDATION_ERROR').field).toBe('ttlMs');
        const anonymous = await store.syncState.acquireLease(name('lock'), { owner: '', ttlMs: 1_000 });
        expect(expectErr(anonymous, 'VALIDATION_ERROR').field).toBe('owner');
        expect(await acquire('lock', 'worker-b', 30_000)).not.toBeNull();
      });

      it('ignores a release with a stale token', async () => {
        const lease = (await acquire('lock', 'worker-a', 30_000))!;
        const stale: Lease = { ...lease, token: `${lease.token}-stale` };
        expectOk(await store.syncState.releaseLease(stale));
        expect(await acquire('lock', 'worker-b', 30_000)).toBeNull();
      });
    });

    describe('outbox', () => {
      const entry = (externalId: string, createdAt: number, operation = 'create'): OutboxEntry => ({
        externalId,
        operation,
        contentHash: `h-${externalId}`,
        createdAt,
      });

      it('lists nothing for an empty scope', async () => {
        expect(expectOk(await store.syncState.outboxList(scope()))).toEqual([]);
      });

      it('lists entries oldest first, honouring limit', async () => {
        const entries = [entry('c', 3_000), entry('a', 1_000), entry('b', 2_000, 'update')];
        expectOk(await store.syncState.outboxPut(scope(), entries));
        expect(expectOk(await store.syncState.outboxList(scope()))).toEqual([
          entries[1],
          entries[2],
          entries[0],
        ]);
        expect(expectOk(await store.syncState.outboxList(scope(), { limit: 2 }))).toEqual([
          entries[1],
          entries[2],
        ]);
      });

      it('replaces the entry of an external id recorded again, and keeps null hashes', async () => {
        expectOk(await store.syncState.outboxPut(scope(), [entry('a', 1_000)]));
        const again = { externalId: 'a', operation: 'update', contentHash: null, createdAt: 2_000 };
        expectOk(await store.syncState.outboxPut(scope(), [again]));
        expect(expectOk(await store.syncState.outboxList(scope()))).toEqual([again]);
      });

      it('deletes the given ids only, and keeps scopes apart', async () => {
        expectOk(await store.syncState.outboxPut(scope(), [entry('a', 1), entry('b', 2), entry('c', 3)]));
        expectOk(await store.syncState.outboxPut(scope('company'), [entry('a', 1)]));
        expectOk(await store.syncState.outboxDelete(scope(), ['a', 'c', 'missing']));
        expect(expectOk(await store.syncState.outboxList(scope()))).toEqual([entry('b', 2)]);
        expect(expectOk(await store.syncState.outboxList(scope('company')))).toEqual([entry('a', 1)]);
      });

      it('records thousands of entries in one call', async () => {
        const entries = Array.from({ length: 3_000 }, (_, i) => entry(`e-${pad(i)}`, 10_000 + i));
        expectOk(await store.syncState.outboxPut(scope(), entries));
        expect(expectOk(await store.syncState.outboxList(scope(), { limit: 5_000 }))).toEqual(entries);
        expect(expectOk(await store.syncState.outboxList(scope()))).toHaveLength(1_000);
      });

      it('writes nothing and answers VALIDATION_ERROR when one entry is invalid', async () => {
        const bad = [entry('a', 1), { externalId: 'b', operation: '', contentHash: null, createdAt: 2 }];
        expect(expectErr(await store.syncState.outboxPut(scope(), bad), 'VALIDATION_ERROR').field).toBe(
          'entries.1.operation',
        );
        expect(expectOk(await store.syncState.outboxList(scope()))).toEqual([]);
      });
    });

    describe('commitMappings', () => {
      it('writes the mappings and removes exactly their outbox entries', async () => {
        const inFlight = mappingsFor(2_500).map((m, i) => ({
          externalId: m.externalId,
          operation: 'create',
          contentHash: m.contentHash,
          createdAt: 1_000 + i,
        }));
        expectOk(await store.syncState.outboxPut(scope(), inFlight));
        expectOk(await store.syncState.outboxPut(scope('company'), inFlight.slice(0, 5)));
        const done = mappingsFor(2_000);
        expect(expectOk(await store.commitMappings(scope(), done))).toEqual({ written: 2_000 });

        const found = expectOk(
          await store.mappings.getMany(
            scope(),
            done.map((m) => m.externalId),
          ),
        );
        expect(found.size).toBe(2_000);
        const left = expectOk(await store.syncState.outboxList(scope(), { limit: 10_000 }));
        expect(left.map((e) => e.externalId)).toEqual(inFlight.slice(2_000).map((e) => e.externalId));
        expect(expectOk(await store.syncState.outboxList(scope('company')))).toHaveLength(5);
      });

      it('writes mappings that had no outbox entry too', async () => {
        expect(expectOk(await store.commitMappings(scope(), mappingsFor(3)))).toEqual({ written: 3 });
        expect(expectOk(await store.mappings.count(scope()))).toBe(3);
      });

      it('changes nothing when one entry is invalid: no mapping written, no outbox entry removed', async () => {
        const inFlight = [{ externalId: 'ext-000000', operation: 'create', contentHash: null, createdAt: 1 }];
        expectOk(await store.syncState.outboxPut(scope(), inFlight));
        const bad = [
          ...mappingsFor(1_000),
          { externalId: 'y', remoteId: 'r', contentHash: null, syncedAt: Number.NaN },
        ];
        expect(expectErr(await store.commitMappings(scope(), bad), 'VALIDATION_ERROR').field).toBe(
          'entries.1000.syncedAt',
        );
        expect(expectOk(await store.mappings.count(scope()))).toBe(0);
        expect(expectOk(await store.syncState.outboxList(scope()))).toEqual(inFlight);
      });
    });

    describe('hostile input', () => {
      // Every argument of every method, given each value a JavaScript caller could pass instead of the typed one:
      // the call resolves (never rejects, never leaves an unhandled rejection) with a VALIDATION_ERROR naming a
      // field, unless the value is one the argument accepts (`accepts`: an absent or empty options object).
      type Call = {
        call: string;
        run: (value: unknown) => Promise<ApiResult<unknown>> | AsyncIterable<ApiResult<unknown>>;
        accepts?: readonly string[];
      };
      const OPTIONS_ACCEPT = [
        'undefined',
        'an empty object',
        'an object without a prototype',
        'an object whose conversions throw',
        'an object whose getters throw',
        'a cyclic object',
      ];
      const USER_ID_ACCEPT = ['null', 'undefined', 'an empty string'];
      const lease = (): Lease => ({ name: name('lease'), owner: 'w', token: 't', expiresAt: 1 });
      const outbox = (): OutboxEntry[] => [
        { externalId: 'e', operation: 'create', contentHash: null, createdAt: 1 },
      ];
      const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
      const any = (value: unknown) => value as never;
      const calls = (): Call[] => [
        { call: 'mappings.getMany(scope)', run: (v) => store.mappings.getMany(any(v), ['a']) },
        { call: 'mappings.getMany(externalIds)', run: (v) => store.mappings.getMany(scope(), any(v)) },
        { call: 'mappings.putMany(scope)', run: (v) => store.mappings.putMany(any(v), mappingsFor(1)) },
        { call: 'mappings.putMany(entries)', run: (v) => store.mappings.putMany(scope(), any(v)) },
        { call: 'mappings.putMany([entry])', run: (v) => store.mappings.putMany(scope(), any([v])) },
        { call: 'mappings.deleteMany(scope)', run: (v) => store.mappings.deleteMany(any(v), ['a']) },
        { call: 'mappings.deleteMany(externalIds)', run: (v) => store.mappings.deleteMany(scope(), any(v)) },
        { call: 'mappings.iterate(scope)', run: (v) => store.mappings.iterate(any(v)) },
        {
          call: 'mappings.iterate(options)',
          run: (v) => store.mappings.iterate(scope(), any(v)),
          accepts: OPTIONS_ACCEPT,
        },
        { call: 'mappings.count(scope)', run: (v) => store.mappings.count(any(v)) },
        { call: 'configs.get(integration)', run: (v) => store.configs.get(any(v)) },
        { call: 'configs.exists(integration)', run: (v) => store.configs.exists(any(v)) },
        { call: 'configs.create(integration)', run: (v) => store.configs.create(any(v), {}, null) },
        {
          call: 'configs.create(input)',
          run: (v) => store.configs.create(name('crm'), any(v), null),
          accepts: OPTIONS_ACCEPT,
        },
        {
          call: 'configs.create(userId)',
          run: (v) => store.configs.create(name('crm'), {}, any(v)),
          accepts: USER_ID_ACCEPT,
        },
        { call: 'configs.update(integration)', run: (v) => store.configs.update(any(v), {}, null) },
        {
          call: 'configs.update(input)',
          run: (v) => store.configs.update(name('crm'), any(v), null),
          accepts: OPTIONS_ACCEPT,
        },
        { call: 'syncState.getCheckpoint(name)', run: (v) => store.syncState.getCheckpoint(any(v)) },
        { call: 'syncState.setCheckpoint(name)', run: (v) => store.syncState.setCheckpoint(any(v), 'x') },
        {
          call: 'syncState.setCheckpoint(value)',
          run: (v) => store.syncState.setCheckpoint(name('cp'), any(v)),
          accepts: ['an empty string'],
        },
        { call: 'syncState.startRun(name)', run: (v) => store.syncState.startRun(any(v)) },
        {
          call: 'syncState.finishRun(id)',
          run: (v) => store.syncState.finishRun(any(v), { status: 'failed', counts }),
        },
        { call: 'syncState.finishRun(outcome)', run: (v) => store.syncState.finishRun('x', any(v)) },
        { call: 'syncState.listRuns(name)', run: (v) => store.syncState.listRuns(any(v)) },
        {
          call: 'syncState.listRuns(options)',
          run: (v) => store.syncState.listRuns(name('run'), any(v)),
          accepts: OPTIONS_ACCEPT,
        },
        {
          call: 'syncState.acquireLease(name)',
          run: (v) => store.syncState.acquireLease(any(v), { owner: 'w', ttlMs: 1_000 }),
        },
        {
          call: 'syncState.acquireLease(options)',
          run: (v) => store.syncState.acquireLease(name('l'), any(v)),
        },
        {
          call: 'syncState.renewLease(lease)',
          run: (v) => store.syncState.renewLease(any(v), { ttlMs: 1_000 }),
        },
        { call: 'syncState.renewLease(options)', run: (v) => store.syncState.renewLease(lease(), any(v)) },
        { call: 'syncState.releaseLease(lease)', run: (v) => store.syncState.releaseLease(any(v)) },
        { call: 'syncState.outboxPut(scope)', run: (v) => store.syncState.outboxPut(any(v), outbox()) },
        { call: 'syncState.outboxPut(entries)', run: (v) => store.syncState.outboxPut(scope(), any(v)) },
        { call: 'syncState.outboxPut([entry])', run: (v) => store.syncState.outboxPut(scope(), any([v])) },
        { call: 'syncState.outboxList(scope)', run: (v) => store.syncState.outboxList(any(v)) },
        {
          call: 'syncState.outboxList(options)',
          run: (v) => store.syncState.outboxList(scope(), any(v)),
          accepts: OPTIONS_ACCEPT,
        },
        { call: 'syncState.outboxDelete(scope)', run: (v) => store.syncState.outboxDelete(any(v), ['a']) },
        {
          call: 'syncState.outboxDelete(externalIds)',
          run: (v) => store.syncState.outboxDelete(scope(), any(v)),
        },
        { call: 'commitMappings(scope)', run: (v) => store.commitMappings(any(v), mappingsFor(1)) },
        { call: 'commitMappings(entries)', run: (v) => store.commitMappings(scope(), any(v)) },
        { call: 'commitMappings([entry])', run: (v) => store.commitMappings(scope(), any([v])) },
      ];

      async function settleCall(outcome: Promise<ApiResult<unknown>> | AsyncIterable<ApiResult<unknown>>) {
        if (Symbol.asyncIterator in outcome) {
          for await (const page of outcome) return page;
          return { success: true, data: [] } as ApiResult<unknown>;
        }
        return outcome;
      }

      it('answers every hostile argument of every method with a typed error naming a field, never a throw', async () => {
        const watch = watchProcessFailures();
        const wrong: string[] = [];
        for (const { call, run, accepts = [] } of calls()) {
          for (const [valueLabel, value] of hostileValues()) {
            let result: ApiResult<unknown>;
            try {
              result = await settleCall(run(value));
            } catch (error) {
              wrong.push(`${call} with ${valueLabel} threw ${String(error)}`);
              continue;
            }
            if (accepts.includes(valueLabel)) continue;
            if (result.success) wrong.push(`${call} with ${valueLabel} succeeded`);
            else if (result.error.code !== 'VALIDATION_ERROR' || !result.error.field) {
              wrong.push(`${call} with ${valueLabel}: ${result.error.code} field ${result.error.field}`);
            }
          }
        }
        expect(wrong).toEqual([]);
        expect(await watch.stop()).toEqual([]);
        // Nothing of any refused write was stored.
        expect(expectOk(await store.mappings.count(scope()))).toBe(0);
        expect(expectOk(await store.syncState.outboxList(scope()))).toEqual([]);
      });

      it('names the field whose getter throws, and writes nothing of the batch', async () => {
        for (const field of ['externalId', 'remoteId', 'contentHash', 'syncedAt'] as const) {
          const entries = [...mappingsFor(3), withThrowingGetter(mappingsFor(1, 'bad')[0]!, field)];
          expect(expectErr(await store.mappings.putMany(scope(), entries), 'VALIDATION_ERROR').field).toBe(
            `entries.3.${field}`,
          );
          expect(expectErr(await store.commitMappings(scope(), entries), 'VALIDATION_ERROR').field).toBe(
            `entries.3.${field}`,
          );
        }
        const scopeGetter = withThrowingGetter(scope(), 'objectType');
        expect(
          expectErr(await store.mappings.putMany(scopeGetter, mappingsFor(1)), 'VALIDATION_ERROR').field,
        ).toBe('scope.objectType');
        expect(expectOk(await store.mappings.count(scope()))).toBe(0);
      });

      it('reads each value of a batch once: a getter that answers differently the second time changes nothing', async () => {
        let reads = 0;
        const fickle = {
          get externalId() {
            reads++;
            if (reads > 1) throw new Error('read twice');
            return 'fickle';
          },
          remoteId: 'r',
          contentHash: null,
          syncedAt: 1,
        };
        expect(expectOk(await store.commitMappings(scope(), [fickle]))).toEqual({ written: 1 });
        expect(expectOk(await store.mappings.getMany(scope(), ['fickle'])).get('fickle')?.remoteId).toBe('r');
      });
    });
  });
}
