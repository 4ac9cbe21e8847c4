// Temporary database files for tests, removed when the test file's run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs: string[] = [];

/** A fresh path in a new temporary directory (the file itself does not exist yet). */
export function tempDbPath(name = 'store.db'): string {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-sqlite-'));
  dirs.push(dir);
  return join(dir, name);
}

/** Removes every directory `tempDbPath` created. */
export function removeTempDbs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
