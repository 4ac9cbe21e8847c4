import type { JsonValue } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import type { JobRun } from '../scheduler.ts';
import { recordsOf, runStats, skipReasonOf } from './run-stats.ts';

const NOW = 1_700_000_000_000;
const run = (
  outcome: JobRun['outcome'],
  finishedAt: number | null,
  result: JobRun['result'] = null,
): JobRun => ({
  name: 'sync',
  jobId: `j-${Math.random()}`,
  scheduleId: null,
  attempt: 1,
  attempts: 3,
  startedAt: (finishedAt ?? NOW) - 10,
  finishedAt,
  outcome,
  error: null,
  result,
});

describe('skipReasonOf', () => {
  it('reads the reasons the guard writes, and nothing else', () => {
    expect(skipReasonOf({ skipped: 'disabled' })).toBe('disabled');
    expect(skipReasonOf({ skipped: 'circuit-open' })).toBe('circuit-open');
    const others: JsonValue[] = [null, 3, 'disabled', ['disabled'], { skipped: 'maybe' }, { skipped: true }];
    for (const other of others) {
      expect(skipReasonOf(other)).toBeNull();
    }
  });
});

describe('recordsOf', () => {
  it('reads a non-negative number, or the first of synced, records, count, processed', () => {
    expect(recordsOf(7)).toBe(7);
    expect(recordsOf({ synced: 3, records: 9 })).toBe(3);
    expect(recordsOf({ synced: 'x', records: -1, count: 4 })).toBe(4);
    expect(recordsOf({ processed: 0 })).toBe(0);
  });

  it('is null for anything else', () => {
    const others: JsonValue[] = [-1, null, 'seven', [1], { other: 1 }, { synced: -2 }];
    for (const other of others) expect(recordsOf(other)).toBeNull();
  });
});

describe('runStats', () => {
  it('counts outcomes, tells skipped runs apart, and keeps the newest success and failure', () => {
    const stats = runStats(
      [
        run('succeeded', NOW - 100, { synced: 2 }),
        run('succeeded', NOW - 50),
        run('succeeded', NOW - 10, { skipped: 'disabled' }),
        run('failed', NOW - 300),
        run('dead', NOW - 200),
        run('running', null),
        run('interrupted', NOW - 20),
      ],
      { now: NOW, windowMs: 1_000 },
    );
    expect(stats.counts).toEqual({
      running: 1,
      succeeded: 2,
      failed: 1,
      dead: 1,
      interrupted: 1,
      skipped: 1,
    });
    expect(stats.lastSuccessAt).toBe(NOW - 50);
    expect(stats.lastFailureAt).toBe(NOW - 200);
    // 2 failures over 4 finished (skipped and interrupted left out).
    expect(stats.errorRate).toBe(0.5);
    expect(stats.failuresInWindow).toBe(2);
  });

  it('leaves runs outside the window out of the rate, but not out of the counts', () => {
    const stats = runStats(
      [run('failed', NOW - 5_000), run('succeeded', NOW - 10), run('failed', NOW + 10)],
      {
        now: NOW,
        windowMs: 1_000,
      },
    );
    expect(stats.counts.failed).toBe(2);
    expect(stats.errorRate).toBe(0);
    expect(stats.failuresInWindow).toBe(0);
    expect(stats.lastFailureAt).toBe(NOW + 10);
  });

  it('has no rate, success or failure without finished runs', () => {
    expect(runStats([run('running', null)], { now: NOW, windowMs: 1_000 })).toEqual({
      counts: { running: 1, succeeded: 0, failed: 0, dead: 0, interrupted: 0, skipped: 0 },
      lastSuccessAt: null,
      lastFailureAt: null,
      errorRate: null,
      failuresInWindow: 0,
    });
  });
});
