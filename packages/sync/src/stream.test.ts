import { describe, expect, it, vi } from 'vitest';
import { companies, remoteIds, setup, testContext, unwrap } from '../test-support/fixtures.ts';
import { openRecordSource } from './record-source.ts';
import { createReport, type SyncProgress } from './report.ts';
import { streamChunks } from './stream.ts';
import { createMemoryRemote } from './testing/memory-remote.ts';

function streamWith(records: unknown, overrides: Parameters<typeof testContext>[0] = {}) {
  const built = testContext(overrides);
  const builder = createReport('company', 'enabled', 100);
  const source = unwrap(openRecordSource(records, 'records'));
  return {
    ...built,
    builder,
    run: (options: { leaseLost?: () => boolean; onProgress?: (progress: SyncProgress) => void } = {}) =>
      streamChunks(built.context, 'company', source, builder, { leaseLost: () => false, ...options }),
  };
}

describe('streamChunks', () => {
  it.each([1, 2, 4])(
    'pulls a 10 000-record async iterable chunk by chunk, never more than concurrency + 1 chunks ahead (concurrency %i)',
    async (concurrency) => {
      const batchSize = 50;
      let pulled = 0;
      let processed = 0;
      let maxAhead = 0;
      async function* records() {
        for (let index = 0; index < 10_000; index++) {
          pulled++;
          maxAhead = Math.max(maxAhead, pulled - processed);
          yield { externalId: `c${index}`, name: `Company ${index}` };
        }
      }
      const remote = createMemoryRemote({ maxBatchSize: batchSize });
      const { run } = streamWith(records(), { remote, concurrency });
      const progress: number[] = [];
      const report = unwrap(
        await run({
          onProgress: (p) => {
            processed = p.processed;
            progress.push(p.processed);
          },
        }),
      );
      expect(report).toMatchObject({ created: 10_000, failed: 0 });
      expect(remoteIds(remote, 'company').size).toBe(10_000);
      expect(maxAhead).toBeLessThanOrEqual((concurrency + 1) * batchSize);
      expect(maxAhead).toBeGreaterThan(concurrency === 1 ? 0 : batchSize);
      expect(progress).toHaveLength(200);
      expect(progress.at(-1)).toBe(10_000);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    },
    30_000,
  );

  it('syncs the records read before the source failed and answers its error with what was done', async () => {
    function* records() {
      yield* companies(120);
      throw new Error('cursor lost');
    }
    const { run, remote } = streamWith(records(), { remote: createMemoryRemote({ maxBatchSize: 50 }) });
    const result = await run();
    expect(result.success || result.error).toMatchObject({ code: 'OPERATION_FAILED', field: 'records' });
    if (result.success) return;
    expect(result.error.message).toContain('The 120 records read before were synced (120 created');
    expect(result.error.message).toContain('run it again to sync the rest');
    expect(remoteIds(remote, 'company').size).toBe(120);
  });

  it('keeps the retryable flag and field of a source error', async () => {
    const records = {
      [Symbol.asyncIterator]: () => ({
        next: (() => {
          let n = 0;
          return async () => (n++ < 3 ? { value: companies(1, '', n)[0], done: false } : 7);
        })(),
      }),
    };
    const { run } = streamWith(records);
    const result = await run();
    expect(result.success || result.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'records.next',
      retryable: false,
    });
  });

  it('goes on when onProgress throws: the records are written all the same', async () => {
    const onProgress = vi.fn(() => {
      throw new Error('progress bar crashed');
    });
    const { run, remote } = streamWith(companies(30), { remote: createMemoryRemote({ maxBatchSize: 10 }) });
    expect(unwrap(await run({ onProgress }))).toMatchObject({ created: 30, failed: 0 });
    expect(onProgress).toHaveBeenCalledTimes(3);
    expect(remoteIds(remote, 'company').size).toBe(30);
  });

  it('reports progress with the counts so far and a copy of parentsCreated', async () => {
    const seen: SyncProgress[] = [];
    const { run } = streamWith(companies(20), {
      remote: createMemoryRemote({ maxBatchSize: 10 }),
      concurrency: 1,
    });
    unwrap(await run({ onProgress: (p) => seen.push(p) }));
    expect(seen).toEqual([
      {
        objectType: 'company',
        processed: 10,
        created: 10,
        updated: 0,
        unchanged: 0,
        failed: 0,
        parentsCreated: {},
      },
      {
        objectType: 'company',
        processed: 20,
        created: 20,
        updated: 0,
        unchanged: 0,
        failed: 0,
        parentsCreated: {},
      },
    ]);
  });

  it('stops pulling once the lease is lost, and answers a retryable CONFLICT', async () => {
    let pulled = 0;
    function* records() {
      for (const record of companies(100)) {
        pulled++;
        yield record;
      }
    }
    let chunks = 0;
    const { run, remote } = streamWith(records(), {
      remote: createMemoryRemote({ maxBatchSize: 10 }),
      concurrency: 1,
    });
    const result = await run({ leaseLost: () => chunks >= 2, onProgress: () => chunks++ });
    expect(result.success || result.error).toMatchObject({ code: 'CONFLICT', retryable: true });
    expect(pulled).toBe(20);
    expect(remoteIds(remote, 'company').size).toBe(20);
  });

  it('answers an empty report for an empty source', async () => {
    const { run } = streamWith([]);
    expect(unwrap(await run())).toMatchObject({ created: 0, updated: 0, unchanged: 0, failed: 0 });
  });
});

describe('streaming through the engine', () => {
  it('syncs arrays, Sets, generators and async generators alike', async () => {
    const { engine, remote } = setup({ remote: createMemoryRemote({ maxBatchSize: 7 }) });
    function* gen() {
      yield* companies(10, '', 10);
    }
    async function* agen() {
      yield* companies(10, '', 20);
    }
    for (const records of [companies(10), new Set(companies(10, '', 30)), gen(), agen()]) {
      expect(unwrap(await engine.upsertMany('company', records))).toMatchObject({ created: 10, failed: 0 });
    }
    expect(remoteIds(remote, 'company').size).toBe(40);
  });
});
