import { err, IntegrationError, ok } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import { jobContext } from '../../test-support/job-context.ts';
import type { WebhookJobData } from './webhook-event.ts';
import { webhookEventJob } from './webhook-event-job.ts';

const jobOf = (data: WebhookJobData) => jobContext({ id: 'evt_e1', name: 'crm-event', data });
const event: WebhookJobData = { eventId: 'e1', event: { id: 'e1', person: 42 } };

describe('webhookEventJob', () => {
  it('handles an event once: a second run of it is skipped (processed: false)', async () => {
    const store = createMemoryStore();
    const handled: WebhookJobData[] = [];
    const run = webhookEventJob({ name: 'crm', store, handle: (data) => void handled.push(data) });
    expect(await run(jobOf(event))).toEqual({ success: true, data: { eventId: 'e1', processed: true } });
    expect(await run(jobOf(event))).toEqual({ success: true, data: { eventId: 'e1', processed: false } });
    expect(handled).toEqual([event]);
    const marker = await store.syncState.getCheckpoint('webhook-done:crm:evt_e1');
    expect(marker.success && marker.data).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('keeps markers per name', async () => {
    const store = createMemoryStore();
    let calls = 0;
    const handle = () => {
      calls += 1;
    };
    await webhookEventJob({ name: 'a', store, handle })(jobOf(event));
    await webhookEventJob({ name: 'b', store, handle })(jobOf(event));
    expect(calls).toBe(2);
  });

  it('refuses data without an eventId as a permanent failure, without calling handle', async () => {
    let calls = 0;
    const run = webhookEventJob({ name: 'crm', store: createMemoryStore(), handle: () => (calls += 1) });
    const result = await run(jobOf({ eventId: '', event: null }));
    expect(!result.success && result.error).toMatchObject({ code: 'VALIDATION_ERROR', retryable: false });
    expect(calls).toBe(0);
  });

  it('fails retryably, leaving no marker, when handle throws or returns a failed result', async () => {
    const store = createMemoryStore();
    const failing = [
      () => {
        throw new Error('db down');
      },
      () => err(new IntegrationError('TIMEOUT', 'slow')),
    ];
    for (const handle of failing) {
      const result = await webhookEventJob({ name: 'crm', store, handle })(jobOf(event));
      expect(!result.success && result.error.retryable).toBe(true);
      expect(!result.success && result.error.message).toMatch(/^Processing the webhook event e1 failed/);
    }
    expect(await store.syncState.getCheckpoint('webhook-done:crm:evt_e1')).toEqual({
      success: true,
      data: null,
    });
  });

  it('fails retryably when the store cannot read or save the marker', async () => {
    const down = err(new IntegrationError('NETWORK_ERROR', 'store down'));
    let handled = 0;
    const unreadable = webhookEventJob({
      name: 'crm',
      store: { syncState: { getCheckpoint: async () => down, setCheckpoint: async () => ok(undefined) } },
      handle: () => (handled += 1),
    });
    const read = await unreadable(jobOf(event));
    expect(!read.success && read.error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    expect(handled).toBe(0);
    const unsaved = webhookEventJob({
      name: 'crm',
      store: {
        syncState: {
          getCheckpoint: async () => ok(null),
          setCheckpoint: () => {
            throw new Error('disk full');
          },
        },
      },
      handle: () => (handled += 1),
    });
    const saved = await unsaved(jobOf(event));
    expect(!saved.success && saved.error.message).toMatch(/^Saving the webhook done-marker failed/);
    expect(handled).toBe(1);
  });
});
