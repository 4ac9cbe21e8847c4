import { describe, expect, it } from 'vitest';
import {
  type AsyncCompletion,
  createQueryStatusRegistry,
  formatDate,
  type QueryOutcome,
} from './query-status.ts';
import { createConcurrencySlots } from './query-throttle.ts';

const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
function setup(completion: AsyncCompletion = { completeAfterPolls: 1 }, limit = 3) {
  const clock = { now: T0 };
  const slots = createConcurrencySlots(limit);
  let task = 0;
  const registry = createQueryStatusRegistry({
    teamId: 1,
    slots,
    completion,
    queueWaitMs: 30_000,
    clock: () => clock.now,
    newTaskId: () => `task-${++task}`,
  });
  return { clock, slots, registry };
}
const ok = (body: unknown) => (): QueryOutcome => ({ ok: true, body });
const poll = async (registry: ReturnType<typeof setup>['registry'], id: string) => {
  const response = registry.poll(id);
  return { status: response.status, body: await response.json() };
};

describe('formatDate', () => {
  it('writes DRF microseconds and Django milliseconds, without a zero fraction', () => {
    expect(formatDate(T0 + 123, 'drf')).toBe('2026-01-15T10:00:00.123000Z');
    expect(formatDate(T0 + 123, 'django')).toBe('2026-01-15T10:00:00.123Z');
    expect(formatDate(T0, 'drf')).toBe('2026-01-15T10:00:00Z');
    expect(formatDate(T0, 'django')).toBe('2026-01-15T10:00:00Z');
  });
});

describe('createQueryStatusRegistry', () => {
  it('enqueues a status as PostHog stores it, then finishes it on the Nth poll with the whole response', async () => {
    const { registry, clock } = setup({ completeAfterPolls: 2 });
    const enqueued = registry.enqueue('q1', ok({ results: [[1]] }));
    expect(enqueued).toEqual({
      complete: false,
      dashboard_id: null,
      end_time: null,
      error: false,
      error_message: null,
      expiration_time: '2026-01-15T10:20:00Z',
      id: 'q1',
      insight_id: null,
      labels: null,
      pickup_time: null,
      query_async: true,
      query_progress: null,
      results: null,
      start_time: '2026-01-15T10:00:00Z',
      task_id: null,
      team_id: 1,
    });
    expect(registry.running()).toBe(1);
    clock.now += 500;
    const first = await poll(registry, 'q1');
    expect(first.status).toBe(202);
    expect(first.body.query_status).toMatchObject({
      complete: false,
      pickup_time: '2026-01-15T10:00:00Z',
      task_id: 'task-1',
    });
    const second = await poll(registry, 'q1');
    expect(second.status).toBe(200);
    expect(second.body.query_status).toMatchObject({
      complete: true,
      error: false,
      results: { results: [[1]] },
      end_time: '2026-01-15T10:00:00.500Z',
    });
    expect(registry.running()).toBe(0);
  });

  it('finishes by time with completeAfterMs, and shows progress while running when asked', async () => {
    const { registry, clock } = setup({ completeAfterMs: 1_000 });
    registry.enqueue('q', ok({ results: [] }));
    const running = registry.poll('q', { showProgress: true });
    expect(running.status).toBe(202);
    expect((await running.json()).query_status.query_progress).toEqual({
      bytes_read: 0,
      rows_read: 0,
      estimated_rows_total: 0,
      time_elapsed: 0,
      active_cpu_time: 0,
    });
    clock.now += 1_000;
    expect(registry.poll('q').status).toBe(200);
  });

  it('polls a failure as 400 with its message, or 500 when it may not be shown', async () => {
    const { registry } = setup();
    registry.enqueue('shown', () => ({ ok: false, message: 'Unable to resolve field: nope' }));
    registry.enqueue('hidden', () => {
      throw new Error('boom');
    });
    const shown = await poll(registry, 'shown');
    expect([shown.status, shown.body.query_status]).toEqual([
      400,
      expect.objectContaining({
        complete: true,
        error: true,
        error_message: 'Unable to resolve field: nope',
        results: null,
      }),
    ]);
    const hidden = await poll(registry, 'hidden');
    expect([hidden.status, hidden.body.query_status.error_message]).toEqual([500, null]);
  });

  it('answers an unknown id 404 as QueryNotFoundError', async () => {
    const { registry } = setup();
    expect(await poll(registry, 'nope')).toEqual({
      status: 404,
      body: {
        type: 'invalid_request',
        code: 'not_found',
        detail: 'Query nope not found for team 1',
        attr: null,
      },
    });
  });

  it('cancels a running query (its slot freed, later polls 404) but keeps a finished one', async () => {
    const { registry, slots } = setup();
    registry.enqueue('run', ok({}));
    expect(slots.inUse()).toBe(1);
    expect(registry.cancel('run')).toBe('Cancelled query on clickhouse');
    expect(slots.inUse()).toBe(0);
    expect(registry.poll('run').status).toBe(404);
    registry.enqueue('done', ok({}));
    registry.poll('done');
    expect(registry.cancel('done')).toBe('Query already complete');
    expect(registry.poll('done').status).toBe(200);
    expect(registry.cancel('never', { dequeueOnly: true })).toBe(
      'Only tried to dequeue, not cancelling query on clickhouse',
    );
  });

  it('queues a query without a slot, picks it up when one frees, and fails it after the queue wait', async () => {
    const { registry, slots, clock } = setup({ completeAfterPolls: 1 }, 1);
    registry.enqueue('a', ok('A'));
    registry.enqueue('b', ok('B'));
    const queued = await poll(registry, 'b');
    expect([queued.status, queued.body.query_status.pickup_time]).toEqual([202, null]);
    expect((await poll(registry, 'a')).status).toBe(200); // frees the slot
    expect(slots.inUse()).toBe(1); // b picked up
    expect(await poll(registry, 'b')).toMatchObject({
      status: 200,
      body: { query_status: { results: 'B' } },
    });
    registry.enqueue('c', ok('C'));
    registry.enqueue('d', ok('D'));
    clock.now += 30_000;
    const starved = await poll(registry, 'd');
    expect([starved.status, starved.body.query_status.error]).toEqual([500, true]);
  });

  it('forgets statuses 20 minutes after their last store, freeing their slots', () => {
    const { registry, slots, clock } = setup({ completeAfterPolls: 5 });
    registry.enqueue('q', ok({}));
    clock.now += 20 * 60 * 1000 + 1;
    expect(registry.has('q')).toBe(false);
    expect(slots.inUse()).toBe(0);
  });

  it('replaces a status enqueued again under the same id, and resets', () => {
    const { registry, slots } = setup();
    registry.enqueue('q', ok(1));
    registry.enqueue('q', ok(2));
    expect(slots.inUse()).toBe(1);
    expect(registry.peek('q')?.complete).toBe(false);
    registry.reset();
    expect([registry.has('q'), slots.inUse()]).toEqual([false, 0]);
  });
});
