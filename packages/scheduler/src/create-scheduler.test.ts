import type { Logger } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { hostileValues, throwingProxy } from '@patchbay/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../test-support/redis.ts';
import { createScheduler } from './create-scheduler.ts';
import type { Scheduler } from './scheduler.ts';

const open: Scheduler[] = [];
afterEach(async () => {
  for (const scheduler of open.splice(0)) await scheduler.close();
});
const embedded = (options: Parameters<typeof createScheduler>[0] = {}) => {
  const scheduler = createScheduler({ store: createMemoryStore(), pollIntervalMs: 20, ...options });
  open.push(scheduler);
  return scheduler;
};

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (message: string) => {
    lines.push(message);
  };
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe('createScheduler options', () => {
  it.each([
    ['connection', { connection: 'http://127.0.0.1:6379' }],
    ['connection', { connection: 42 }],
    ['connection', { connection: new Date() }],
    ['connection', { connection: { isCluster: true, duplicate() {}, sendCommand() {} } }],
    ['store', { store: 42 }],
    ['store', { store: {} }],
    ['store', { store: '' }],
    ['prefix', { prefix: 'has space' }],
    ['prefix', { prefix: 'x'.repeat(61) }],
    ['logger', { logger: {} }],
    ['leaseMs', { leaseMs: 10 }],
    ['pollIntervalMs', { pollIntervalMs: 1.5 }],
    ['operationTimeoutMs', { operationTimeoutMs: -1 }],
    ['closeTimeoutMs', { closeTimeoutMs: 'soon' }],
    ['runLogSize', { runLogSize: 0 }],
    ['deadLetterLimit', { deadLetterLimit: Number.NaN }],
  ])('refuses a wrong %s with a CONFIG_ERROR naming it', (field, options) => {
    expect(() => createScheduler(options as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field }),
    );
  });

  it('never quotes a connection URL (it may hold a password)', () => {
    try {
      createScheduler({ connection: 'http://user:hunter2@redis.internal:6379' });
      expect.unreachable();
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain('hunter2');
      expect(String(error)).not.toContain('hunter2');
    }
  });

  // Objects that read as options with no field set (empty, without a prototype, cyclic…) are valid: not here.
  const valid = [
    'an empty object',
    'an object without a prototype',
    'an object whose conversions throw',
    'a cyclic object',
  ];
  const notOptions = hostileValues().filter(
    ([label, value]) => value !== undefined && !valid.includes(label),
  );
  it.each(notOptions)('refuses options %s with a CONFIG_ERROR', (_, value) => {
    expect(() => createScheduler(value as never)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });
});

describe('createScheduler backends', () => {
  it('is embedded without a connection, and says so', async () => {
    const logger = capture();
    const scheduler = embedded({ logger });
    expect(scheduler.backend).toBe('embedded');
    expect(logger.lines[0]).toMatch(/^Scheduler on the embedded store/);
  });

  it('is BullMQ with a connection, and says so', async () => {
    const logger = capture();
    const scheduler = createScheduler({
      connection: TEST_REDIS_URL,
      prefix: 'pbtest-backend',
      logger,
    });
    expect(scheduler.backend).toBe('bullmq');
    expect(logger.lines[0]).toMatch(/^Scheduler on BullMQ on Redis/);
    expect((await scheduler.close()).success).toBe(true);
  });

  it('answers every call with the store failure when its URL cannot be opened', async () => {
    const scheduler = embedded({ store: 'sqlite:/nonexistent-dir/nested/jobs.db' });
    const enqueued = await scheduler.enqueue('kind', {});
    expect(enqueued.success || [enqueued.error.code, enqueued.error.field]).toEqual([
      'CONFIG_ERROR',
      'store',
    ]);
    const listed = await scheduler.schedules();
    expect(listed.success || listed.error.code).toBe('CONFIG_ERROR');
  });

  it('answers OPERATION_FAILED after close, and define throws', async () => {
    const scheduler = embedded();
    expect((await scheduler.close()).success).toBe(true);
    expect((await scheduler.close()).success).toBe(true);
    const enqueued = await scheduler.enqueue('kind', {});
    expect(enqueued.success || enqueued.error.code).toBe('OPERATION_FAILED');
    expect(() => scheduler.define('kind', () => undefined)).toThrow(
      expect.objectContaining({ code: 'OPERATION_FAILED' }),
    );
  });
});

describe('hostile arguments never throw or reject', () => {
  const calls: [string, (scheduler: Scheduler, value: unknown) => Promise<unknown>][] = [
    ['enqueue(name)', (scheduler, value) => scheduler.enqueue(value as string, {})],
    ['enqueue(data)', (scheduler, value) => scheduler.enqueue('kind', value, { delayMs: 60_000 })],
    ['enqueue(options)', (scheduler, value) => scheduler.enqueue('kind', {}, value as never)],
    ['schedule', (scheduler, value) => scheduler.schedule(value as never)],
    [
      'schedule(job)',
      (scheduler, value) => scheduler.schedule({ id: 's', every: 1_000, job: value as never }),
    ],
    ['unschedule', (scheduler, value) => scheduler.unschedule(value as string)],
    ['runs', (scheduler, value) => scheduler.runs(value as never)],
    ['deadLetters', (scheduler, value) => scheduler.deadLetters(value as never)],
    ['replay', (scheduler, value) => scheduler.replay(value as string)],
  ];

  it.each(calls)('%s', async (_, call) => {
    const scheduler = embedded();
    for (const [label, value] of [
      ...hostileValues(),
      ['a throwing proxy', throwingProxy()] as [string, unknown],
    ]) {
      const result = (await call(scheduler, value)) as { success: boolean; error?: { code: string } };
      expect(typeof result.success, label).toBe('boolean');
      if (!result.success) expect(['VALIDATION_ERROR', 'NOT_FOUND'], label).toContain(result.error?.code);
    }
  });

  it('a handler that throws anything, or returns a hostile value, is a failed or finished run', async () => {
    const scheduler = embedded();
    const outcomes: unknown[] = [
      throwingProxy(),
      Symbol('x'),
      10n,
      { success: false, error: throwingProxy() },
    ];
    scheduler.define(
      'hostile',
      (job) => {
        const index = (job.data as { index: number }).index;
        if (index === 0) throw throwingProxy();
        if (index === 1) throw 'a string';
        return outcomes[index - 2];
      },
      { attempts: 1 },
    );
    for (let index = 0; index < 6; index += 1) await scheduler.enqueue('hostile', { index });
    const end = Date.now() + 5_000;
    for (;;) {
      const runs = await scheduler.runs();
      if (runs.success && runs.data.filter((run) => run.outcome !== 'running').length === 6) break;
      if (Date.now() > end) throw new Error('runs did not finish');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const runs = await scheduler.runs();
    const outcomes6 = runs.success ? runs.data.map((run) => run.outcome).sort() : [];
    // Thrown: a Proxy, a string; returned: a Proxy (awaiting it reads its `then`, which throws), a failed result
    // whose error is a Proxy. Finished: a Symbol and a BigInt (no result kept).
    expect(outcomes6).toEqual(['dead', 'dead', 'dead', 'dead', 'succeeded', 'succeeded']);
  });
});
