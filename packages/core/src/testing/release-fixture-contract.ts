// A database written by an earlier release opens under this one with nothing lost, as vitest tests. Each store
// adapter commits a fixture made by that release (and what its store answered for it) and runs this against
// it, so "upgrades cleanly" means the same thing for SQLite and PostgreSQL. The adapter supplies only what no
// IntegrationStore method can: loading a fresh copy of its fixture, and reading the database around the store.
import { afterEach, describe, expect, it } from 'vitest';
import { createConfigStore } from '../config/config-store.ts';
import { resolveIntegrationConfig } from '../config/integration-config.ts';
import type { ApiResult } from '../result/result.ts';
import type { SeenIdStore } from '../store/seen-id-store.ts';
import type {
  IntegrationStore,
  Mapping,
  MappingScope,
  OutboxEntry,
  StoredIntegrationConfig,
  SyncRun,
} from '../store/store.ts';

/**
 * A configuration row as an earlier release's store answered it: the current shape (`secrets`), or the 0.1.0
 * one, whose single API key ciphertext the current schema keeps as `secrets.apiKey`.
 */
export type ReleaseFixtureConfigRow =
  | StoredIntegrationConfig
  | (Omit<StoredIntegrationConfig, 'secrets'> & { apiKeyCiphertext: string | null });

/** What a fixture generator recorded (its `expected.json`): what the earlier release answered for its fixture. */
export interface ReleaseFixtureExpected {
  /** The release and commit that made the fixture. */
  madeBy: string;
  /** The key every secret of the fixture was encrypted with. */
  secretKey: string;
  /** Integration → its plain API key; an integration without one is absent. */
  apiKeys: Record<string, string>;
  /** Integration → its configuration row. */
  configRows: Record<string, ReleaseFixtureConfigRow>;
  /** `integration/objectType` → every mapping of that scope, in external-id order. */
  mappings: Record<string, Mapping[]>;
  /** Checkpoint name → value. */
  checkpoints: Record<string, string>;
  /** Run-log name → its runs, newest first. */
  runs: Record<string, SyncRun[]>;
  /** `integration/objectType` → its outbox entries, oldest first. */
  outbox: Record<string, OutboxEntry[]>;
  /** Every seen-id key, each marked with a TTL that outlives the tests. */
  seenIds: string[];
}

/** The store a fixture opens as: an IntegrationStore with its webhook seen-id store (and its queue, if it has one). */
export type ReleaseFixtureStore = IntegrationStore & { seenIds: SeenIdStore };

/** One fresh copy of the fixture database (the committed fixture itself is never opened). */
export interface ReleaseFixtureCopy {
  /**
   * Opens the copy with the current release, which migrates it on its first open. Called twice in one test (the
   * second open must change nothing); each store is closed by the contract. A good place for store-specific
   * checks of every open (e.g. the version a `ready()` reports).
   */
  open(): Promise<ReleaseFixtureStore>;
  /** The schema versions the database records as applied, ascending, read without the store. */
  appliedVersions(): Promise<number[]>;
  /** Every seen-id key the database holds, read without the store (`markSeen` cannot list them). */
  seenIdKeys(): Promise<string[]>;
  /** Every row of every table and the schema itself, as plain data, read while no store has it open. */
  snapshot(): Promise<unknown>;
}

/** Options of {@link describeReleaseFixtureContract}. */
export interface ReleaseFixtureContractOptions {
  /** The release that wrote the fixture, e.g. `'0.1.0'`. */
  release: string;
  /** What that release answered for the fixture (its `expected.json`). */
  expected: ReleaseFixtureExpected;
  /** Loads a fresh copy of the fixture, as that release left it; called once per test. */
  load: () => Promise<ReleaseFixtureCopy>;
  /** The schema version the release left, e.g. 2: the copy must record versions 1 to this before the open. */
  releaseVersion: number;
  /**
   * The schema version this test expects the current release to migrate to, written out (e.g. `3`), so that a
   * new migration fails the test until someone checks the fixture against it.
   */
  latestVersion: number;
  /** The store's own constant for its latest schema version; must equal `latestVersion`. */
  storeLatestVersion: number;
}

const scopeOf = (key: string): MappingScope => {
  const [integration = '', objectType = ''] = key.split('/');
  return { integration, objectType };
};

const versionsUpTo = (last: number) => Array.from({ length: last }, (_, i) => i + 1);

// The row the current release must answer for a row the earlier one wrote: a 0.1.0 ciphertext moved unchanged,
// byte for byte, into secrets.apiKey.
function currentRow(row: ReleaseFixtureConfigRow): StoredIntegrationConfig {
  if (!('apiKeyCiphertext' in row)) return row;
  const { apiKeyCiphertext, ...rest } = row;
  return { ...rest, secrets: apiKeyCiphertext === null ? {} : { apiKey: apiKeyCiphertext } };
}

function expectOk<T>(result: ApiResult<T>, what: string): T {
  if (!result.success) {
    expect.unreachable(`${what}: expected success, got ${result.error.code}: ${result.error.message}`);
  }
  return result.data;
}

/**
 * Declares vitest tests proving that a database written by an earlier release opens under the current one with
 * nothing lost: it records versions 1 to `releaseVersion`, then 1 to `latestVersion` once opened; every
 * configuration row is as that release answered it (a 0.1.0 API key ciphertext unchanged in `secrets.apiKey`),
 * every key decrypts with the same secret key (through `apiKey`, `secrets.apiKey` and `resolveIntegrationConfig`),
 * and every mapping, checkpoint, run, outbox entry and seen id is kept; the database takes new writes (a secret
 * merged beside the migrated key, a mode the old schema refused, a new run and outbox entry); and a second open
 * changes no row and no part of the schema.
 * @example
 * describeReleaseFixtureContract({ release: '0.1.0', expected, load: loadSqliteCopy, releaseVersion: 2, latestVersion: 3, storeLatestVersion: SQLITE_SCHEMA_VERSION });
 */
export function describeReleaseFixtureContract(options: ReleaseFixtureContractOptions): void {
  const { release, expected, load, releaseVersion, latestVersion, storeLatestVersion } = options;
  const opened: ReleaseFixtureStore[] = [];
  const open = async (copy: ReleaseFixtureCopy) => {
    const store = await copy.open();
    opened.push(store);
    return store;
  };
  const close = async (store: ReleaseFixtureStore) => {
    const at = opened.indexOf(store);
    if (at >= 0) opened.splice(at, 1);
    await store.close();
  };
  const configStore = (store: ReleaseFixtureStore) =>
    createConfigStore({ rows: store.configs, secretKey: expected.secretKey });

  describe(`a database written by ${release} (schema version ${releaseVersion})`, () => {
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it(`opens at version ${latestVersion} with every configuration intact, an API key in secrets.apiKey`, async () => {
      const copy = await load();
      expect(await copy.appliedVersions()).toEqual(versionsUpTo(releaseVersion));
      const store = await open(copy);
      for (const [integration, row] of Object.entries(expected.configRows)) {
        expect(await store.configs.get(integration)).toEqual({ success: true, data: currentRow(row) });
      }
      expect(await copy.appliedVersions()).toEqual(versionsUpTo(latestVersion));
      expect(storeLatestVersion).toBe(latestVersion);
    });

    it('decrypts every API key with the same secret key, through apiKey and secrets.apiKey', async () => {
      const configs = configStore(await open(await load()));
      for (const [integration, row] of Object.entries(expected.configRows)) {
        const read = expectOk(await configs.getConfig(integration), integration);
        const plain = expected.apiKeys[integration];
        if (plain === undefined) {
          expect(read?.apiKey).toBeNull();
          expect(read?.secrets).toEqual({});
        } else {
          expect(read?.apiKey?.reveal()).toBe(plain);
          expect(read?.secrets.apiKey?.reveal()).toBe(plain);
        }
        // And the application reads the same configuration through the resolver, the key from the database.
        const resolved = expectOk(
          await resolveIntegrationConfig({
            integration,
            store: configs,
            env: {},
            envPrefix: 'RELEASE_FIXTURE',
          }),
          `resolve ${integration}`,
        );
        expect(resolved.config).toMatchObject({
          enabled: row.enabled,
          syncMode: row.syncMode,
          ...(row.baseUrl !== null && { baseUrl: row.baseUrl }),
        });
        expect(resolved.config.apiKey?.reveal()).toBe(plain);
        if (plain !== undefined) expect(resolved.origins.apiKey).toBe('database');
      }
    });

    it('keeps every mapping, checkpoint, run, outbox entry and seen id', async () => {
      const copy = await load();
      const store = await open(copy);
      for (const [key, mappings] of Object.entries(expected.mappings)) {
        const all: Mapping[] = [];
        for await (const page of store.mappings.iterate(scopeOf(key))) all.push(...expectOk(page, key));
        expect(all).toEqual(mappings);
      }
      for (const [name, value] of Object.entries(expected.checkpoints)) {
        expect(await store.syncState.getCheckpoint(name)).toEqual({ success: true, data: value });
      }
      for (const [name, runs] of Object.entries(expected.runs)) {
        expect(await store.syncState.listRuns(name)).toEqual({ success: true, data: runs });
      }
      for (const [key, entries] of Object.entries(expected.outbox)) {
        expect(await store.syncState.outboxList(scopeOf(key))).toEqual({ success: true, data: entries });
      }
      expect(await copy.seenIdKeys()).toEqual([...expected.seenIds].sort());
      for (const key of expected.seenIds) {
        expect(await store.seenIds.markSeen(key, { ttlMs: 60_000 })).toEqual({ success: true, data: false });
      }
    });

    it('takes new writes: a secret merged beside the migrated key, a mode 0.1.0 refused, a run, an outbox entry', async () => {
      const store = await open(await load());
      const configs = configStore(store);
      for (const [integration, row] of Object.entries(expected.configRows)) {
        const updated = expectOk(
          await configs.updateConfig(
            integration,
            { secrets: { webhookSecret: 'whsec_0123456789' }, syncMode: 'mirror' },
            'release-fixture-admin',
          ),
          `update ${integration}`,
        );
        const reread = expectOk(await configs.getConfig(integration), `reread ${integration}`);
        for (const config of [updated, reread]) {
          expect(config?.apiKey?.reveal() ?? null).toBe(expected.apiKeys[integration] ?? null);
          expect(config?.secrets.webhookSecret?.reveal()).toBe('whsec_0123456789');
          expect(config?.syncMode).toBe('mirror');
          expect(config?.updatedBy).toBe('release-fixture-admin');
        }
        // The migrated ciphertext itself stays as it was; the new secret is stored beside it.
        const stored = expectOk(await store.configs.get(integration), `row ${integration}`);
        const { apiKey } = currentRow(row).secrets;
        expect(stored?.secrets).toEqual({
          ...(apiKey !== undefined && { apiKey }),
          webhookSecret: expect.any(String),
        });
      }
      // The sequences and ids carried over too: a new run and outbox entry take their place beside the old ones.
      for (const [name, runs] of Object.entries(expected.runs)) {
        const run = expectOk(await store.syncState.startRun(name), `start ${name}`);
        expect(runs.map((old) => old.id)).not.toContain(run.id);
        const listed = expectOk(await store.syncState.listRuns(name), `runs ${name}`);
        expect(listed).toHaveLength(runs.length + 1);
        expect(listed).toEqual(expect.arrayContaining([...runs, run]));
      }
      for (const [key, entries] of Object.entries(expected.outbox)) {
        const entry: OutboxEntry = {
          externalId: `release-fixture-new-${key}`,
          operation: 'create',
          contentHash: null,
          createdAt: Math.max(0, ...entries.map((old) => old.createdAt)) + 1,
        };
        expect(await store.syncState.outboxPut(scopeOf(key), [entry])).toEqual({
          success: true,
          data: undefined,
        });
        expect(await store.syncState.outboxList(scopeOf(key))).toEqual({
          success: true,
          data: [...entries, entry],
        });
      }
    });

    it('takes queue messages on the upgraded database, when the store has a queue', async (context) => {
      const store = await open(await load());
      const queue = store.queue;
      if (!queue) {
        context.skip();
        return;
      }
      const messages = [
        { id: 'release-fixture-1', payload: '{"event":"upgraded"}' },
        { id: 'release-fixture-2', payload: 'é' },
      ];
      expect(await queue.enqueue('release-fixture', messages)).toEqual({ success: true, data: { added: 2 } });
      const claimed = expectOk(
        await queue.claim('release-fixture', { owner: 'release-fixture', limit: 10, leaseMs: 60_000 }),
        'claim',
      );
      expect(claimed.map(({ id, payload, attempts }) => ({ id, payload, attempts }))).toEqual(
        messages.map((message) => ({ ...message, attempts: 1 })),
      );
      expect(await queue.ack('release-fixture', ['release-fixture-1', 'release-fixture-2'])).toEqual({
        success: true,
        data: { deleted: 2 },
      });
    });

    it('opens a second time as a no-op: the schema and every row stay as the first open left them', async () => {
      const copy = await load();
      await close(await open(copy));
      const afterFirst = await copy.snapshot();
      const again = await open(copy);
      for (const integration of Object.keys(expected.configRows)) {
        expect(await again.configs.exists(integration)).toEqual({ success: true, data: true });
      }
      await close(again);
      expect(await copy.snapshot()).toEqual(afterFirst);
      expect(await copy.appliedVersions()).toEqual(versionsUpTo(latestVersion));
    });
  });
}
