import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostileValues, watchProcessFailures } from '@patchbay/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore, parseStoreUrl, passwordForms } from './open-store.ts';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'patchbay-open-')), 'patchbay.db');
const scope = { integration: 'acme-crm', objectType: 'person' };
const mapping = { externalId: 'e1', remoteId: 'r1', contentHash: null, syncedAt: 1 };

/** Writes a mapping through one store and reads it back through a second one on the same URL. */
async function roundTrip(url: string): Promise<void> {
  const first = await openStore(url);
  if (!first.success) throw first.error;
  expect((await first.data.mappings.putMany(scope, [mapping])).success).toBe(true);
  await first.data.close();
  const second = await openStore(url);
  if (!second.success) throw second.error;
  const read = await second.data.mappings.getMany(scope, ['e1']);
  expect(read.success && read.data.get('e1')?.remoteId).toBe('r1');
  await second.data.close();
}

describe('parseStoreUrl', () => {
  it.each([
    ['sqlite:./patchbay.db', { kind: 'sqlite', path: './patchbay.db' }],
    ['sqlite:/var/lib/patchbay.db', { kind: 'sqlite', path: '/var/lib/patchbay.db' }],
    ['file:./patchbay.db', { kind: 'sqlite', path: './patchbay.db' }],
    ['FILE:data.db', { kind: 'sqlite', path: 'data.db' }],
    ['file:///var/lib/my%20data.db', { kind: 'sqlite', path: '/var/lib/my data.db' }],
    ['file://localhost/tmp/x.db', { kind: 'sqlite', path: '/tmp/x.db' }],
    [':memory:', { kind: 'sqlite', path: ':memory:' }],
    ['sqlite::memory:', { kind: 'sqlite', path: ':memory:' }],
    ['memory:', { kind: 'memory' }],
    ['  memory:\n', { kind: 'memory' }],
    ['postgres://u:p@db:5432/app', { kind: 'postgres', url: 'postgres://u:p@db:5432/app' }],
    ['postgresql://db/app', { kind: 'postgres', url: 'postgresql://db/app' }],
    ['POSTGRES://db/app', { kind: 'postgres', url: 'POSTGRES://db/app' }],
  ])('%s', (url, target) => {
    expect(parseStoreUrl(url)).toEqual(target);
  });

  it.each([
    ['mysql://u:p@db/app', 'must be one of'],
    ['./patchbay.db', 'must be one of'],
    ['', 'must be one of'],
    ['sqlite:', 'must name a file'],
    ['sqlite:///x.db', 'must be sqlite:<path>'],
    ['file://server/share/x.db', 'on this machine'],
    ['file:///', 'must name a file'],
  ])('refuses %s', (url, message) => {
    const target = parseStoreUrl(url);
    expect(target.kind).toBe('invalid');
    expect(target.kind === 'invalid' && target.message).toContain(message);
  });
});

describe('openStore', () => {
  afterEach(() => {
    vi.doUnmock('@patchbay/store-sqlite');
    vi.doUnmock('@patchbay/store-postgres');
  });

  it('opens SQLite from sqlite:, file: and file:// URLs, the same file each time', async () => {
    await roundTrip(`sqlite:${tempFile()}`);
    await roundTrip(`file:${tempFile()}`);
    await roundTrip(pathToFileURL(tempFile()).href);
  });

  it('opens an in-process memory store for memory: and a private SQLite one for :memory:', async () => {
    for (const url of ['memory:', ':memory:']) {
      const opened = await openStore(url);
      if (!opened.success) throw opened.error;
      expect((await opened.data.mappings.putMany(scope, [mapping])).success).toBe(true);
      expect((await opened.data.mappings.count(scope)).success).toBe(true);
      await opened.data.close();
    }
  });

  it('opens PostgreSQL lazily; a failed connection names no part of the password', async () => {
    const password = 'pw-Zq8!x/7';
    const url = `postgres://patchbay:${encodeURIComponent(password)}@127.0.0.1:1/app`;
    const opened = await openStore(url);
    if (!opened.success) throw opened.error;
    const read = await opened.data.configs.get('acme-crm');
    expect(read.success).toBe(false);
    const shown = JSON.stringify(read.success || [read.error, read.error.message, read.error.stack]);
    for (const form of passwordForms(url)) expect(shown).not.toContain(form);
    await opened.data.close();
  });

  it('refuses another form naming the field, never echoing the URL or its password', async () => {
    const opened = await openStore('mysql://root:hunter2-secret@db/app', { field: 'PATCHBAY_DATABASE_URL' });
    expect(opened.success || opened.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'PATCHBAY_DATABASE_URL',
    });
    expect(JSON.stringify(opened.success || opened.error)).not.toContain('hunter2');
    const unnamed = await openStore('nope');
    expect(unnamed.success || unnamed.error.field).toBe('url');
  });

  it('a store that cannot open its file is a CONFIG_ERROR naming the field', async () => {
    const opened = await openStore(`sqlite:${join(tempFile(), 'no-such-dir', 'x.db')}`, { field: 'DB' });
    expect(opened.success || opened.error).toMatchObject({ code: 'CONFIG_ERROR', field: 'DB' });
  });

  it('an invalid PostgreSQL URL keeps nothing of its password', async () => {
    const opened = await openStore('postgres://u:s3cr3t-pass@host with spaces/app');
    expect(opened.success || opened.error.code).toBe('CONFIG_ERROR');
    expect(JSON.stringify(opened.success || [opened.error, opened.error.message])).not.toContain('s3cr3t');
  });

  it.each([
    ['sqlite::memory:', '@patchbay/store-sqlite'],
    ['postgres://u:pw-not-shown@db/app', '@patchbay/store-postgres'],
  ])('a missing store package for %s says which one to install', async (url, name) => {
    vi.doMock(name, () => {
      throw Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' });
    });
    const opened = await openStore(url, { field: 'PATCHBAY_DATABASE_URL' });
    expect(opened.success || opened.error).toMatchObject({
      code: 'CONFIG_ERROR',
      field: 'PATCHBAY_DATABASE_URL',
      message: expect.stringContaining(`npm install ${name}`),
    });
    expect(JSON.stringify(opened.success || opened.error.message)).not.toContain('pw-not-shown');
  });

  it('a store package that fails to load is not reported as missing', async () => {
    vi.doMock('@patchbay/store-sqlite', () => {
      throw new Error('No such built-in module: node:sqlite');
    });
    const opened = await openStore('sqlite::memory:');
    expect(opened.success || opened.error.message).toContain('could not be loaded');
  });

  it.each(hostileValues())('openStore(%s) resolves to CONFIG_ERROR', async (_, value) => {
    const watch = watchProcessFailures();
    const opened = await openStore(value as never);
    expect(opened.success || opened.error.code).toBe('CONFIG_ERROR');
    const withOptions = await openStore('memory:', value as never);
    expect(withOptions.success || withOptions.error.code).toBe(withOptions.success || 'CONFIG_ERROR');
    if (withOptions.success) await withOptions.data.close();
    expect(await watch.stop()).toEqual([]);
  });
});

describe('passwordForms', () => {
  it('finds the password as written and decoded, and nothing without one', () => {
    expect(passwordForms('postgres://u:a%2Fb@h/db')).toEqual(['a%2Fb', 'a/b']);
    expect(passwordForms('postgres://u@h/db')).toEqual([]);
    expect(passwordForms('postgres://h/db')).toEqual([]);
    expect(passwordForms('postgres://u:%E0%A4%A@h/db')).toEqual(['%E0%A4%A']);
  });
});
