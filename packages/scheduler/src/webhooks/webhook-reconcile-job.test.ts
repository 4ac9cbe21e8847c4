import { err, IntegrationError, ok } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import { jobContext } from '../../test-support/job-context.ts';
import type { Scheduler } from '../scheduler.ts';
import { webhookJobId } from './webhook-event.ts';
import { type WebhookEventPage, webhookReconcileJob } from './webhook-reconcile-job.ts';

const job = jobContext({
  id: 'repeat:reconcile:1',
  name: 'crm-reconcile',
  scheduleId: 'reconcile',
  scheduledAt: 1,
});

type Enqueued = { name: string; data: unknown; jobId: string | undefined };
function recordingScheduler(failOn?: string) {
  const enqueued: Enqueued[] = [];
  const scheduler: Pick<Scheduler, 'enqueue'> = {
    enqueue: (async (name: string, data: unknown, options?: { jobId?: string }) => {
      if (options?.jobId === failOn) return err(new IntegrationError('TIMEOUT', 'redis slow'));
      enqueued.push({ name, data, jobId: options?.jobId });
      return ok({ id: options?.jobId ?? 'x', added: true });
    }) as Scheduler['enqueue'],
  };
  return { scheduler, enqueued };
}

const pages: WebhookEventPage[] = [
  {
    events: [
      { id: 'e1', data: { n: 1 } },
      { id: 'person:2', data: undefined },
    ],
    checkpoint: 'c1',
  },
  { events: [{ id: 'e3', data: { n: 3 } }], checkpoint: 'c2' },
];

describe('webhookReconcileJob', () => {
  it('enqueues every event under its webhook job id and saves the checkpoint after each page', async () => {
    const store = createMemoryStore();
    const { scheduler, enqueued } = recordingScheduler();
    const asked: (string | null)[] = [];
    const run = webhookReconcileJob({
      name: 'crm-reconcile',
      store,
      scheduler,
      jobName: 'crm-event',
      listEvents: (checkpoint) => {
        asked.push(checkpoint);
        return checkpoint === null ? pages : [];
      },
    });
    expect(await run(job)).toEqual({ success: true, data: { pages: 2, changes: 3, checkpoint: 'c2' } });
    expect(enqueued).toEqual([
      { name: 'crm-event', data: { eventId: 'e1', event: { n: 1 } }, jobId: 'evt_e1' },
      { name: 'crm-event', data: { eventId: 'person:2', event: null }, jobId: webhookJobId('person:2') },
      { name: 'crm-event', data: { eventId: 'e3', event: { n: 3 } }, jobId: 'evt_e3' },
    ]);
    expect(await store.syncState.getCheckpoint('crm-reconcile')).toEqual({ success: true, data: 'c2' });
    // The next run resumes after the saved checkpoint.
    expect(await run(job)).toEqual({ success: true, data: { pages: 0, changes: 0, checkpoint: 'c2' } });
    expect(asked).toEqual([null, 'c2']);
  });

  it('fails retryably when an enqueue fails, keeping the checkpoint of the last page fully enqueued', async () => {
    const store = createMemoryStore();
    const { scheduler } = recordingScheduler('evt_e3');
    const run = webhookReconcileJob({
      name: 'crm-reconcile',
      store,
      scheduler,
      jobName: 'crm-event',
      listEvents: async function* () {
        yield* pages;
      },
    });
    const result = await run(job);
    expect(!result.success && result.error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(await store.syncState.getCheckpoint('crm-reconcile')).toEqual({ success: true, data: 'c1' });
  });
});
