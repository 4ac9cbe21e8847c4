// Redis down is a typed error, not a crash: calls answer NETWORK_ERROR within operationTimeoutMs, a worker keeps
// retrying in the background without an unhandled 'error' event, close() still resolves, and no error or log line
// quotes the URL's password.
import type { Logger } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../create-scheduler.ts';

describe('Redis down (BullMQ backend)', () => {
  it('answers typed errors, never hangs, crashes or quotes the password', async () => {
    const logged: string[] = [];
    const log = (message: string, fields?: Record<string, unknown>) => {
      logged.push(`${message} ${JSON.stringify(fields ?? {})}`);
    };
    const logger: Logger = { debug: log, info: log, warn: log, error: log };
    // Port 1: nothing listens, every connection is refused at once.
    const scheduler = createScheduler({
      connection: 'redis://:hunter2@127.0.0.1:1',
      prefix: 'pbtest-down',
      operationTimeoutMs: 300,
      closeTimeoutMs: 200,
      logger,
    });
    scheduler.define('sync', () => undefined);
    const started = Date.now();
    const results = await Promise.all([
      scheduler.enqueue('sync', { page: 1 }),
      scheduler.schedule({ id: 'every-minute', every: 60_000, job: { name: 'sync' } }),
      scheduler.schedules(),
      scheduler.runs(),
      scheduler.deadLetters(),
      scheduler.replay('sync:job-1'),
      scheduler.unschedule('every-minute'),
    ]);
    expect(Date.now() - started).toBeLessThan(2_000);
    for (const result of results) {
      expect(result.success).toBe(false);
      if (!result.success) {
        expect(result.error.code).toBe('NETWORK_ERROR');
        expect(result.error.retryable).toBe(true);
        expect(JSON.stringify(result.error)).not.toContain('hunter2');
      }
    }
    // The worker's reconnect attempts go on for a while without ending the process.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await scheduler.close()).success).toBe(true);
    expect(logged.join('\n')).not.toContain('hunter2');
    expect(logged.some((line) => line.startsWith('Scheduler: Redis is not reachable'))).toBe(true);
  });
});
