// A pull killed with SIGKILL mid-way through its bulk first load resumes from the checkpoint it saved in SQLite: a child process pulls accounts
// from the emulator over HTTP, saves each page's checkpoint after handling it, and is killed after handling a page
// but before saving its checkpoint; this process resumes from the saved string. That page comes again (at least
// once, as pullSyncJob promises), and no account is missed. The scheduler's own pullSyncJob is not used here (this
// package does not depend on it); the child does what it does: handle, then save.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ok, Secret } from '@patchbay/core';
import { generateExactRecords, startExactOnlineEmulator } from '@patchbay/emulators';
import { afterEach, describe, expect, it } from 'vitest';
import { workspaceExecArgv } from '../../../test-support/child-exec-argv.mjs';
import { createExactClient } from './client.ts';
import { exactChanges } from './pull-changes.ts';

const TOKEN = 'emulated-exact-access-token';
const here = fileURLToPath(new URL('.', import.meta.url));
const packageDir = join(here, '..');

// The child: handles each page (its account IDs into `handled`), then saves the checkpoint; after handling the
// fourth page it stops before saving and waits to be killed.
// @patchbay/* resolve to their sources (workspaceExecArgv's hook, which Node 22.13 runs too), so no build is needed.
const CHILD = `
import { DatabaseSync } from 'node:sqlite';
const { ok, Secret } = await import('@patchbay/core');
const [url, dbPath, token, division] = process.argv.slice(1);
const { createExactClient } = await import(${JSON.stringify(pathToFileURL(join(here, 'client.ts')).href)});
const { exactChanges } = await import(${JSON.stringify(pathToFileURL(join(here, 'pull-changes.ts')).href)});
const db = new DatabaseSync(dbPath);
db.exec('CREATE TABLE IF NOT EXISTS checkpoint (name TEXT PRIMARY KEY, value TEXT NOT NULL)');
db.exec('CREATE TABLE IF NOT EXISTS handled (id TEXT NOT NULL)');
const client = createExactClient({
  baseUrl: url,
  oauth: { getAccessToken: async () => ok(new Secret(token)) },
  division: Number(division),
});
const saved = db.prepare('SELECT value FROM checkpoint WHERE name = ?').get('exact-accounts');
const insert = db.prepare('INSERT INTO handled (id) VALUES (?)');
const save = db.prepare(
  'INSERT INTO checkpoint (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
);
let pages = 0;
for await (const page of exactChanges({ client, entity: 'accounts' })(saved?.value ?? null)) {
  db.exec('BEGIN');
  for (const change of page.changes) insert.run(change.record.ID);
  db.exec('COMMIT');
  if (++pages === 4) {
    process.stdout.write('handled-not-saved\\n');
    setInterval(() => {}, 1_000);
    await new Promise(() => {});
  }
  save.run('exact-accounts', page.checkpoint);
  process.stdout.write('saved ' + page.checkpoint + '\\n');
}
process.stdout.write('done\\n');
`;

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('exactChanges after a SIGKILL', () => {
  it('resumes from the checkpoint saved in SQLite: the unsaved page again, no account missed', async () => {
    const running = await startExactOnlineEmulator({ acceptToken: (token) => token === TOKEN });
    const dir = mkdtempSync(join(tmpdir(), 'exact-kill-'));
    cleanup = async () => {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    };
    // Last modified a day or more ago, as an account's records are: the bulk load reads them all.
    const seeded = running.emulator.seed(
      'crm/Accounts',
      generateExactRecords({ entity: 'account', count: 10_000 }).map((record, index) => ({
        ...record,
        Modified: `/Date(${Date.now() - 86_400_000 * (1 + (index % 365))})/`,
      })),
    );
    const dbPath = join(dir, 'sync.db');

    const child = spawn(
      process.execPath,
      [
        ...workspaceExecArgv,
        '--no-warnings',
        '--input-type=module',
        '-e',
        CHILD,
        running.url,
        dbPath,
        TOKEN,
        String(running.emulator.division),
      ],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('handled-not-saved')) resolve();
      });
      child.on('exit', () => reject(new Error(`the child ended first: ${output} ${errors.slice(0, 2_000)}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const db = new DatabaseSync(dbPath);
    const saved = db.prepare('SELECT value FROM checkpoint WHERE name = ?').get('exact-accounts') as
      | { value: string }
      | undefined;
    const handled = (db.prepare('SELECT id FROM handled').all() as { id: string }[]).map((row) => row.id);
    db.close();
    expect(output.match(/^saved /gm)).toHaveLength(3);
    expect(handled).toHaveLength(4_000);
    // Mid-way through the bulk load: after the last key of the third page.
    expect(saved?.value).toMatch(new RegExp(`^load:\\d+:\\d+:${handled[2_999]}$`));

    // This process resumes from the saved string alone.
    const client = createExactClient({
      baseUrl: running.url,
      oauth: { getAccessToken: async () => ok(new Secret(TOKEN)) },
      division: running.emulator.division,
    });
    const resumed: string[] = [];
    for await (const page of exactChanges({ client, entity: 'accounts' })(saved?.value ?? null)) {
      for (const change of page.changes) if (change.kind === 'upsert') resumed.push(String(change.record.ID));
    }
    expect(resumed).toHaveLength(7_000);
    // The page handled but not saved comes again; every account arrives, none is lost.
    const all = [...handled, ...resumed];
    expect(new Set(all)).toEqual(new Set(seeded.map((record) => String(record.ID))));
    expect(all.length - new Set(all).size).toBe(1_000);
    expect(resumed.slice(0, 1_000)).toEqual(handled.slice(3_000));
  }, 60_000);
});
