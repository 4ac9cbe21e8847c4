import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '@patchbay/core/store';
import { afterAll } from 'vitest';
import { describeSchedulerBehaviour } from '../../test-support/behaviour.ts';
import { createScheduler } from '../create-scheduler.ts';

const dir = mkdtempSync(join(tmpdir(), 'scheduler-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeSchedulerBehaviour('embedded, memory store', {
  backend: 'embedded',
  make: async () => ({ scheduler: createScheduler({ store: createMemoryStore(), pollIntervalMs: 20 }) }),
});

describeSchedulerBehaviour('embedded, SQLite store (opened from its URL)', {
  backend: 'embedded',
  make: async () => {
    files += 1;
    return {
      scheduler: createScheduler({ store: `sqlite:${join(dir, `jobs-${files}.db`)}`, pollIntervalMs: 20 }),
    };
  },
});
