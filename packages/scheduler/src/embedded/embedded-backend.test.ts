import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, type MemoryStore } from '@patchbay/core/store';
import { afterAll } from 'vitest';
import { describeSchedulerBehaviour } from '../../test-support/behaviour.ts';
import { createScheduler } from '../create-scheduler.ts';

const dir = mkdtempSync(join(tmpdir(), 'scheduler-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const memoryStores = new Map<string, MemoryStore>();
const sqliteFiles = new Map<string, string>();

describeSchedulerBehaviour('embedded, memory store', {
  backend: 'embedded',
  make: async (shared) => {
    const store = (shared && memoryStores.get(shared)) || createMemoryStore();
    if (shared) memoryStores.set(shared, store);
    return { scheduler: createScheduler({ store, pollIntervalMs: 20 }) };
  },
});

describeSchedulerBehaviour('embedded, SQLite store (opened from its URL)', {
  backend: 'embedded',
  make: async (shared) => {
    files += 1;
    const file = (shared && sqliteFiles.get(shared)) || join(dir, `jobs-${files}.db`);
    if (shared) sqliteFiles.set(shared, file);
    return { scheduler: createScheduler({ store: `sqlite:${file}`, pollIntervalMs: 20 }) };
  },
});
