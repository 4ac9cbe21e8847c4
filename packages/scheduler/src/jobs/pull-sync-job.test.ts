import { err, IntegrationError } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { describe, expect, it } from 'vitest';
import { until } from '../../test-support/behaviour.ts';
import { createScheduler } from '../create-scheduler.ts';
import type { JobContext } from '../scheduler.ts';
import { type PullPage, pullSyncJob } from './pull-sync-job.ts';

const context = (): JobContext<unknown> => ({
  id: 'j1',
  name: 'pull',
  data: null,
  attempt: 1,
  attempts: 3,
  scheduleId: null,
  scheduledAt: null,
  signal: new AbortController().signal,
});

// A connector with 5 changes, 2 per page; the checkpoint is the index of the next change.
const changes = ['a', 'b', 'c', 'd', 'e'];
const pulls: (string | null)[] = [];
async function* pull(checkpoint: string | null): AsyncIterable<PullPage<string>> {
  pulls.push(checkpoint);
  for (let at = Number(checkpoint ?? 0); at < changes.length; at += 2) {
    yield { changes: changes.slice(at, at + 2), checkpoint: String(Math.min(at + 2, changes.length)) };
  }
}

describe('pullSyncJob', () => {
  it('saves no checkpoint for a page whose handler failed, and resumes from the last one saved', async () => {
    const store = createMemoryStore();
    const delivered: string[] = [];
    let failOn: string | null = 'c';
    const job = pullSyncJob({
      name: 'crm-pull',
      store,
      pull,
      handle: (page: readonly string[]) => {
        if (failOn !== null && page.includes(failOn)) {
          return err(new IntegrationError('NETWORK_ERROR', 'app database down', { retryable: true }));
        }
        delivered.push(...page);
        return undefined;
      },
    });
    pulls.length = 0;
    const first = await job(context());
    expect(!first.success && first.error.retryable).toBe(true);
    expect(delivered).toEqual(['a', 'b']);
    expect(await store.syncState.getCheckpoint('crm-pull')).toEqual({ success: true, data: '2' });

    failOn = null;
    const second = await job(context());
    expect(second).toEqual({ success: true, data: { pages: 2, changes: 3, checkpoint: '5' } });
    // The failed page came again, and nothing before it.
    expect(delivered).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pulls).toEqual([null, '2']);
  });

  it('a handler that throws, a pull that throws and a failing store keep the checkpoint', async () => {
    const store = createMemoryStore();
    const thrown = await pullSyncJob({
      name: 'p',
      store,
      pull,
      handle: () => {
        throw new Error('boom');
      },
    })(context());
    expect(!thrown.success && thrown.error.message).toContain('boom');
    expect(await store.syncState.getCheckpoint('p')).toEqual({ success: true, data: null });

    async function* broken(): AsyncIterable<PullPage<string>> {
      yield { changes: ['a'], checkpoint: '1' };
      throw new Error('connection reset');
    }
    const pulled = await pullSyncJob({ name: 'q', store, pull: broken, handle: () => undefined })(context());
    expect(!pulled.success && pulled.error.retryable).toBe(true);
    expect(await store.syncState.getCheckpoint('q')).toEqual({ success: true, data: '1' });

    const failing = {
      syncState: {
        getCheckpoint: async () => ({ success: true as const, data: null }),
        setCheckpoint: async () => {
          throw new Error('disk full');
        },
      },
    };
    const saved = await pullSyncJob({ name: 'r', store: failing, pull, handle: () => undefined })(context());
    expect(!saved.success && saved.error.message).toContain('disk full');
  });
});

describe('pullSyncJob on the scheduler', () => {
  it('is retried with backoff after a failed page and resumes from the checkpoint (SQLite)', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const scheduler = createScheduler({
      store: createMemoryStore(),
      pollIntervalMs: 10,
      closeTimeoutMs: 500,
    });
    try {
      const delivered: string[] = [];
      let failures = 1;
      scheduler.define(
        'crm-pull',
        pullSyncJob({
          name: 'crm-pull',
          store,
          pull,
          handle: (page: readonly string[]) => {
            if (page.includes('c') && failures-- > 0) throw new Error('app database down');
            delivered.push(...page);
          },
        }),
        { attempts: 3, backoff: { type: 'fixed', delayMs: 10 } },
      );
      pulls.length = 0;
      expect((await scheduler.enqueue('crm-pull', null, { jobId: 'pull-1' })).success).toBe(true);
      await until(async () => {
        const runs = await scheduler.runs({ name: 'crm-pull' });
        return runs.success && runs.data.some((run) => run.outcome === 'succeeded');
      });
      const runs = await scheduler.runs({ name: 'crm-pull' });
      expect(runs.success && runs.data.map((run) => [run.attempt, run.outcome])).toEqual([
        [2, 'succeeded'],
        [1, 'failed'],
      ]);
      expect(delivered).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(pulls).toEqual([null, '2']);
      expect(await store.syncState.getCheckpoint('crm-pull')).toEqual({ success: true, data: '5' });
    } finally {
      await scheduler.close();
      await store.close();
    }
  });
});
