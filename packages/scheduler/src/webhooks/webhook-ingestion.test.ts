// The webhook path end to end on both backends: Twenty's signed deliveries through the ingestion handler, the
// queue deduplicating by event id, webhookEventJob processing each event once, and the reconciliation job
// finding a delivery that never came.
import { createHmac } from 'node:crypto';
import { type ApiResult, err, IntegrationError } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { verifyTwentyWebhook } from '@patchbay/twenty-crm';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../test-support/behaviour.ts';
import { removePrefix, requireRedis, TEST_REDIS_URL, testPrefix } from '../../test-support/redis.ts';
import { createScheduler } from '../create-scheduler.ts';
import type { Scheduler } from '../scheduler.ts';
import { type WebhookEvent, type WebhookJobData, webhookJobId } from './webhook-event.ts';
import { webhookEventJob } from './webhook-event-job.ts';
import { createWebhookIngestion } from './webhook-ingestion.ts';
import { webhookReconcileJob } from './webhook-reconcile-job.ts';

const SECRET = 'whsec-test';
interface TwentyEvent {
  event: string;
  data: { id: string; updatedAt: string };
}

// A signed Twenty delivery, as Twenty sends it.
const delivery = (payload: unknown, secret = SECRET, body = JSON.stringify(payload)) => {
  const timestamp = String(Date.now());
  const signature = createHmac('sha256', secret).update(`${timestamp}:${body}`).digest('hex');
  return new Request('http://app.test/webhooks/twenty', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-twenty-webhook-timestamp': timestamp,
      'x-twenty-webhook-signature': signature,
    },
    body,
  });
};
const verify = async (request: Request): Promise<ApiResult<TwentyEvent>> => {
  const verified = await verifyTwentyWebhook({
    secret: SECRET,
    headers: request.headers,
    body: await request.text(),
  });
  return verified.success ? { success: true, data: verified.data.payload as TwentyEvent } : verified;
};
// Twenty sends no event id: an event is its record's change, named by what changed and when.
const eventIdOf = (payload: TwentyEvent) => `${payload.event}.${payload.data.id}.${payload.data.updatedAt}`;
const eventsOf = (payload: TwentyEvent): WebhookEvent[] => [{ id: eventIdOf(payload), data: payload }];

const personEvent = (id: string): TwentyEvent => ({
  event: 'person.updated',
  data: { id, updatedAt: '2026-12-07T10:00:00.000Z' },
});

const backends: {
  label: string;
  make: () => Promise<{ scheduler: Scheduler; cleanup: () => Promise<void> }>;
}[] = [
  {
    label: 'embedded (memory store)',
    make: async () => {
      const scheduler = createScheduler({
        store: createMemoryStore(),
        pollIntervalMs: 10,
        closeTimeoutMs: 500,
      });
      return { scheduler, cleanup: async () => undefined };
    },
  },
  {
    label: 'BullMQ (Redis)',
    make: async () => {
      await requireRedis();
      const prefix = testPrefix('webhooks');
      const scheduler = createScheduler({ connection: TEST_REDIS_URL, prefix, closeTimeoutMs: 500 });
      return { scheduler, cleanup: () => removePrefix(prefix) };
    },
  },
];

for (const backend of backends) {
  describe(`webhook ingestion: ${backend.label}`, () => {
    const open: { scheduler: Scheduler; cleanup: () => Promise<void> }[] = [];
    afterEach(async () => {
      for (const made of open.splice(0)) {
        await made.scheduler.close();
        await made.cleanup();
      }
    });

    const setup = async () => {
      const made = await backend.make();
      open.push(made);
      const { scheduler } = made;
      const store = createMemoryStore();
      const handled: string[] = [];
      // Closed until the test opens it: an event's job is still waiting or running while its copies arrive.
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      scheduler.define(
        'twenty-event',
        webhookEventJob({
          name: 'twenty',
          store,
          handle: async (data: WebhookJobData) => {
            await gate;
            handled.push(data.eventId);
          },
        }),
        { attempts: 3, backoff: { delayMs: 10 } },
      );
      const ingest = createWebhookIngestion({ scheduler, jobName: 'twenty-event', verify, eventsOf });
      const finished = async (count: number) =>
        until(
          async () => {
            const runs = await scheduler.runs({ name: 'twenty-event', limit: 100 });
            return runs.success && runs.data.filter((run) => run.outcome === 'succeeded').length >= count;
          },
          10_000,
          `${count} finished runs`,
        );
      return { scheduler, store, handled, ingest, finished, release: () => release() };
    };

    it('processes once the same delivery arriving 3 times (at once, and again after it ran), and a missed one the reconciliation finds', async () => {
      const { scheduler, store, handled, ingest, finished, release } = await setup();
      const a = personEvent('a');
      const answers = await Promise.all([ingest(delivery(a)), ingest(delivery(a)), ingest(delivery(a))]);
      expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
      const bodies = await Promise.all(answers.map((answer) => answer.json()));
      const accepted = bodies.reduce((sum, body) => sum + body.accepted, 0);
      expect(accepted + bodies.reduce((sum, body) => sum + body.duplicates, 0)).toBe(3);
      // BullMQ keeps one job per id, but the BullMQ backend's `added` asks before it adds, so copies arriving at
      // the same instant may each be told `added: true`; the embedded queue answers exactly.
      if (scheduler.backend === 'embedded') expect(accepted).toBe(1);
      release();
      await finished(1);
      // Sent again once it ran: enqueued anew, skipped as done.
      expect((await ingest(delivery(a))).status).toBe(202);
      await finished(2);
      expect(handled).toEqual([eventIdOf(a)]);

      // B was never delivered; the sender's event log has both.
      const b = personEvent('b');
      const log = [a, b];
      scheduler.define(
        'twenty-webhooks-reconcile',
        webhookReconcileJob({
          name: 'twenty-webhooks-reconcile',
          store,
          scheduler,
          jobName: 'twenty-event',
          listEvents: async function* (checkpoint) {
            const from = Number(checkpoint ?? 0);
            yield {
              events: log.slice(from).map((payload) => eventsOf(payload)[0] as WebhookEvent),
              checkpoint: String(log.length),
            };
          },
        }),
      );
      expect(
        (await scheduler.enqueue('twenty-webhooks-reconcile', null, { jobId: 'reconcile-1' })).success,
      ).toBe(true);
      await finished(4);
      expect(handled.sort()).toEqual([eventIdOf(a), eventIdOf(b)].sort());
      expect(await store.syncState.getCheckpoint('twenty-webhooks-reconcile')).toEqual({
        success: true,
        data: '2',
      });
    });

    it('answers 401 to a bad signature and 400 to a malformed body, enqueueing nothing', async () => {
      const { scheduler, ingest } = await setup();
      expect((await ingest(delivery(personEvent('x'), 'wrong-secret'))).status).toBe(401);
      expect((await ingest(delivery(null, SECRET, '{not json'))).status).toBe(400);
      const unsigned = new Request('http://app.test/hook', { method: 'POST', body: '{}' });
      expect((await ingest(unsigned)).status).toBe(400);
      expect((await ingest(new Request('http://app.test/hook'))).status).toBe(405);
      const runs = await scheduler.runs();
      expect(runs.success && runs.data).toEqual([]);
    });
  });
}

describe('webhook ingestion: failures', () => {
  const ok202 = { enqueue: async () => ({ success: true as const, data: { id: 'x', added: true } }) };

  it('answers 503 when the queue is down, 200 for a replayed delivery, and never throws', async () => {
    const down = {
      enqueue: async () => err(new IntegrationError('NETWORK_ERROR', 'redis down', { retryable: true })),
    };
    const ingest = createWebhookIngestion({ scheduler: down, jobName: 'e', verify, eventsOf });
    const answer = await ingest(delivery(personEvent('a')));
    expect([answer.status, answer.headers.get('retry-after')]).toEqual([503, '5']);

    const replayed = createWebhookIngestion({
      scheduler: ok202,
      jobName: 'e',
      verify: async () => err(new IntegrationError('CONFLICT', 'seen', { retryable: false })),
    });
    expect((await replayed(delivery({}))).status).toBe(200);

    const hostile = createWebhookIngestion({
      scheduler: ok202,
      jobName: 'e',
      verify: () => {
        throw new Error('verifier bug');
      },
    });
    expect((await hostile(delivery({}))).status).toBe(500);
    const badEvents = createWebhookIngestion({
      scheduler: ok202,
      jobName: 'e',
      verify,
      eventsOf: () => [{ id: '', data: 1 }],
    });
    expect((await badEvents(delivery(personEvent('a')))).status).toBe(400);
  });

  it('a processing job without an event id is a dead letter at once', async () => {
    const job = webhookEventJob({ name: 'n', store: createMemoryStore(), handle: () => undefined });
    const result = await job({
      id: 'j',
      name: 'e',
      data: {} as WebhookJobData,
      attempt: 1,
      attempts: 3,
      scheduleId: null,
      scheduledAt: null,
      signal: new AbortController().signal,
    });
    expect(!result.success && [result.error.code, result.error.retryable]).toEqual([
      'VALIDATION_ERROR',
      false,
    ]);
  });

  it('can take the event id from a header', async () => {
    const enqueued: (string | undefined)[] = [];
    const ingest = createWebhookIngestion({
      scheduler: {
        enqueue: async (_name, _data, options) => {
          enqueued.push(options?.jobId);
          return { success: true as const, data: { id: options?.jobId ?? '', added: true } };
        },
      },
      jobName: 'e',
      verify,
      eventsOf: (payload, request) => [{ id: request.headers.get('x-delivery-id') ?? '', data: payload }],
    });
    const request = delivery(personEvent('a'));
    request.headers.set('x-delivery-id', 'msg_2a');
    expect((await ingest(request)).status).toBe(202);
    expect(enqueued).toEqual(['evt_msg_2a']);
  });

  it('maps an event id to a job id the queue accepts, the same each time', () => {
    expect(webhookJobId('person.updated.a.2026')).toBe('evt_person.updated.a.2026');
    const odd = webhookJobId('delivery:123/456');
    expect(odd).toMatch(/^evh_[0-9a-f]{64}$/);
    expect(webhookJobId('delivery:123/456')).toBe(odd);
    expect(webhookJobId('42')).toBe('evt_42');
  });
});
