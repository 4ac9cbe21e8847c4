import { err, IntegrationError, ok } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import type { JobContext } from '../scheduler.ts';
import { type PushSyncEngineReport, pushSyncJob, type RecordStream } from './push-sync-job.ts';

const context = (signal = new AbortController().signal): JobContext<unknown> => ({
  id: 'j1',
  name: 'push',
  data: null,
  attempt: 1,
  attempts: 3,
  scheduleId: null,
  scheduledAt: null,
  signal,
});

// An engine that drains the stream and counts what it saw.
const engine = (report: Partial<PushSyncEngineReport> = {}) => {
  const seen: unknown[] = [];
  return {
    seen,
    async upsertMany(_type: string, records: RecordStream<number>) {
      for await (const record of records) seen.push(record);
      return ok({ created: seen.length, updated: 0, unchanged: 0, failed: 0, ...report });
    },
  };
};

describe('pushSyncJob', () => {
  it('streams an async source into the engine and returns the counts', async () => {
    const sync = engine();
    async function* source() {
      yield* [1, 2, 3];
    }
    const result = await pushSyncJob({ type: 'person', source, sync })(context());
    expect(result).toEqual(
      ok({ type: 'person', created: 3, updated: 0, unchanged: 0, failed: 0, skipped: null }),
    );
    expect(sync.seen).toEqual([1, 2, 3]);
  });

  it('a failed engine call, failed records or a throwing source are retryable failures', async () => {
    const down = {
      upsertMany: async () => err(new IntegrationError('NETWORK_ERROR', 'down', { retryable: true })),
    };
    const failed = await pushSyncJob({ type: 'person', source: () => [1], sync: down })(context());
    expect(!failed.success && [failed.error.code, failed.error.retryable]).toEqual(['NETWORK_ERROR', true]);

    const partial = await pushSyncJob({ type: 'p', source: () => [1], sync: engine({ failed: 1 }) })(
      context(),
    );
    expect(!partial.success && partial.error.retryable).toBe(true);
    const tolerated = await pushSyncJob({
      type: 'p',
      source: () => [1],
      sync: engine({ failed: 1 }),
      failOnRecordFailures: false,
    })(context());
    expect(tolerated.success && tolerated.data.failed).toBe(1);

    function* broken() {
      yield 1;
      throw new Error('cursor lost');
    }
    const thrown = await pushSyncJob({ type: 'p', source: broken, sync: engine() })(context());
    expect(!thrown.success && thrown.error.message).toContain('cursor lost');
    expect(!thrown.success && thrown.error.retryable).toBe(true);
  });

  it('stops streaming when the scheduler closes, and asks for another run', async () => {
    const controller = new AbortController();
    const sync = engine();
    function* source() {
      yield 1;
      controller.abort();
      yield 2;
    }
    const result = await pushSyncJob({ type: 'p', source, sync })(context(controller.signal));
    expect(sync.seen).toEqual([1]);
    expect(!result.success && result.error.retryable).toBe(true);
  });
});
