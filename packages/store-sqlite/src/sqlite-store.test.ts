import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { IntegrationError } from '@patchbay/core';
import { createManualClock, describeIntegrationStoreContract, hostileValues } from '@patchbay/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDbs, tempDbPath } from '../test-support/temp-db.ts';
import { MIGRATIONS, SQLITE_SCHEMA_VERSION } from './migrations.ts';
import { createSqliteStore } from './sqlite-store.ts';

afterAll(removeTempDbs);

describeIntegrationStoreContract('sqlite file', async () => createSqliteStore({ path: tempDbPath() }));
describeIntegrationStoreContract('sqlite :memory:', async () => createSqliteStore({ path: ':memory:' }));
const clock = createManualClock();
describeIntegrationStoreContract(
  'sqlite file, manual clock',
  async () => createSqliteStore({ path: tempDbPath(), now: clock.now }),
  { clock, openWithClock: async (now) => createSqliteStore({ path: ':memory:', now }) },
);

const scope = { integration: 'twenty-crm', objectType: 'person' };
const mapping = (i: number) => ({ externalId: `e${i}`, remoteId: `r${i}`, contentHash: null, syncedAt: i });

function thrownBy(open: () => unknown): IntegrationError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(IntegrationError);
    return error as IntegrationError;
  }
  throw new Error('expected a throw');
}

describe('createSqliteStore', () => {
  it('creates the file in WAL mode with synchronous=FULL and records the schema version', async () => {
    const path = tempDbPath();
    const store = createSqliteStore({ path });
    expect(existsSync(path)).toBe(true);
    const raw = new DatabaseSync(path);
    expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    const versions = raw
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((row) => row.version);
    expect(versions).toEqual(MIGRATIONS.map((migration) => migration.version));
    raw.close();
    await store.close();
  });

  it('keeps everything across close and reopen, applying no migration twice', async () => {
    const path = tempDbPath();
    const first = createSqliteStore({ path });
    await first.mappings.putMany(scope, [mapping(1), mapping(2)]);
    await first.syncState.setCheckpoint('people', 'cursor-1');
    await first.close();
    const second = createSqliteStore({ path });
    expect(await second.mappings.count(scope)).toEqual({ success: true, data: 2 });
    expect(await second.syncState.getCheckpoint('people')).toEqual({ success: true, data: 'cursor-1' });
    await second.close();
    const raw = new DatabaseSync(path);
    expect(raw.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({
      n: MIGRATIONS.length,
    });
    raw.close();
  });

  it('lets two connections share one file', async () => {
    const path = tempDbPath();
    const a = createSqliteStore({ path });
    const b = createSqliteStore({ path });
    await a.mappings.putMany(scope, [mapping(1)]);
    expect(await b.mappings.count(scope)).toEqual({ success: true, data: 1 });
    const lease = await a.syncState.acquireLease('lock', { owner: 'a', ttlMs: 60_000 });
    expect(lease.success && lease.data).not.toBeNull();
    expect(await b.syncState.acquireLease('lock', { owner: 'b', ttlMs: 60_000 })).toEqual({
      success: true,
      data: null,
    });
    await a.close();
    await b.close();
  });

  it('answers a retryable OPERATION_FAILED when another connection holds the write lock past the busy timeout', async () => {
    const path = tempDbPath();
    const store = createSqliteStore({ path, busyTimeoutMs: 50 });
    const blocker = new DatabaseSync(path);
    blocker.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const result = await store.mappings.putMany(scope, [mapping(1)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    if (result.success) throw new Error('expected a failure');
    expect(result.error.code).toBe('OPERATION_FAILED');
    expect(result.error.retryable).toBe(true);
    expect(result.error.message).toContain('putMany');
    expect(result.error.message).toContain('locked');
    blocker.exec('ROLLBACK');
    blocker.close();
    // Nothing half-done was left behind, and the store works again.
    expect(await store.mappings.putMany(scope, [mapping(1)])).toEqual({
      success: true,
      data: { written: 1 },
    });
    await store.close();
  });

  it('waits for a lock shorter than the busy timeout instead of failing', async () => {
    const path = tempDbPath();
    const store = createSqliteStore({ path, busyTimeoutMs: 5_000 });
    // The lock is held by another process for 300 ms: the store's synchronous wait must outlast it.
    const { spawn } = await import('node:child_process');
    const holder = spawn(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        '-e',
        `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(${JSON.stringify(path)});
         db.exec('BEGIN IMMEDIATE'); console.log('locked'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, 300);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const result = await store.mappings.putMany(scope, [mapping(1)]);
    expect(result).toEqual({ success: true, data: { written: 1 } });
    await new Promise((resolve) => holder.once('exit', resolve));
    await store.close();
  });

  it('refuses a database written by a newer release with CONFIG_ERROR, leaving it untouched', () => {
    const path = tempDbPath();
    createSqliteStore({ path }).close();
    const raw = new DatabaseSync(path);
    raw
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
      .run(SQLITE_SCHEMA_VERSION + 1, 'from the future', 0);
    raw.close();
    const error = thrownBy(() => createSqliteStore({ path }));
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.message).toContain(`schema version ${SQLITE_SCHEMA_VERSION + 1}`);
    expect(error.message).toContain('upgrade');
  });

  it('throws CONFIG_ERROR for a file that is not a database', async () => {
    const path = tempDbPath();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, 'this is not a database, just text that is long enough to be read as a header');
    const error = thrownBy(() => createSqliteStore({ path }));
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.field).toBe('path');
  });

  it('throws CONFIG_ERROR for a path in a directory that does not exist', () => {
    const error = thrownBy(() => createSqliteStore({ path: '/nonexistent-dir-patchbay/x/store.db' }));
    expect(error.code).toBe('CONFIG_ERROR');
  });

  it('throws CONFIG_ERROR naming every invalid option', () => {
    const error = thrownBy(() => createSqliteStore({ path: '', busyTimeoutMs: -1 }));
    expect(error.code).toBe('CONFIG_ERROR');
    expect(error.issues?.map((issue) => issue.field)).toEqual(['path', 'busyTimeoutMs']);
  });

  it('answers OPERATION_FAILED after close instead of throwing; close twice is fine', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.close();
    await store.close();
    for (const result of [
      await store.mappings.getMany(scope, ['e1']),
      await store.mappings.putMany(scope, [mapping(1)]),
      await store.configs.get('crm'),
      await store.syncState.startRun('sync'),
      await store.commitMappings(scope, [mapping(1)]),
    ]) {
      expect(result.success === false && result.error.code).toBe('OPERATION_FAILED');
      expect(result.success === false && result.error.message).toContain('closed');
    }
    const pages = [];
    for await (const page of store.mappings.iterate(scope)) pages.push(page);
    expect(pages.map((page) => page.success)).toEqual([false]);
  });

  it('stamps rows with the injected clock', async () => {
    const clock = createManualClock(1_000);
    const store = createSqliteStore({ path: ':memory:', now: clock.now });
    const lease = await store.syncState.acquireLease('lock', { owner: 'a', ttlMs: 500 });
    expect(lease.success && lease.data?.expiresAt).toBe(1_500);
    clock.advance(500);
    const taken = await store.syncState.acquireLease('lock', { owner: 'b', ttlMs: 500 });
    expect(taken.success && taken.data?.owner).toBe('b');
    await store.close();
  });

  it('writes batches of every size around the multi-row chunk boundary', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    for (const size of [1, 127, 128, 129, 256, 300]) {
      const s = { integration: 'crm', objectType: `size-${size}` };
      const entries = Array.from({ length: size }, (_, i) => mapping(i));
      expect(await store.mappings.putMany(s, entries)).toEqual({ success: true, data: { written: size } });
      const found = await store.mappings.getMany(
        s,
        entries.map((e) => e.externalId),
      );
      expect(found.success && found.data.size).toBe(size);
    }
    await store.close();
  });
});

describe('createSqliteStore with values no typed caller would pass', () => {
  it.each(hostileValues())('throws only CONFIG_ERROR for options of %s', (_, value) => {
    expect(() => createSqliteStore(value as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });
});
