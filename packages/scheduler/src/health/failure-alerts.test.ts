import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMemoryFailureWindowStore,
  err,
  type FailureWindowStore,
  IntegrationError,
  ok,
} from '@patchbay/core';
import { createRedisFailureWindowStore } from '@patchbay/store-redis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { removePrefix, requireRedis, TEST_REDIS_URL, testPrefix } from '../../test-support/redis.ts';
import type { JobContext } from '../scheduler.ts';
import { type EmailMessage, emailAlertDeliverer } from './email-alert-deliverer.ts';
import { alertOnFailures, type FailureAlert } from './failure-alerts.ts';
import { webhookAlertDeliverer } from './webhook-alert-deliverer.ts';

describe('alertOnFailures', () => {
  it('alerts once when 10 failures within an hour cross the threshold, not once per failure', async () => {
    let clock = 0;
    const sent: FailureAlert[] = [];
    const alerts = alertOnFailures({
      threshold: 10,
      windowMs: 3_600_000,
      deliver: async (alert) => {
        sent.push(alert);
        return ok(undefined);
      },
      now: () => clock,
    });
    const answers: boolean[] = [];
    for (let i = 0; i < 15; i += 1) {
      clock += 60_000;
      const answer = await alerts.record({
        integration: 'twenty',
        error: { code: 'SERVER_ERROR', message: 'x' },
      });
      answers.push(answer.success && answer.data.alerted);
    }
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(answers[9]).toBe(true);
    expect(sent[0]).toMatchObject({ integration: 'twenty', failures: 10, threshold: 10, at: 600_000 });
    // Another integration counts apart.
    expect(await alerts.record({ integration: 'hubspot' })).toEqual(ok({ alerted: false }));
    // The window empties; a new crossing alerts again.
    clock += 3_600_000;
    for (let i = 0; i < 10; i += 1) await alerts.record({ integration: 'twenty' });
    expect(sent).toHaveLength(2);
  });

  it('9 failures an hour never alert', async () => {
    let clock = 0;
    const deliver = vi.fn(async () => ok(undefined));
    const alerts = alertOnFailures({ threshold: 10, windowMs: 3_600_000, deliver, now: () => clock });
    for (let i = 0; i < 50; i += 1) {
      clock += 400_001; // 9 per hour at most
      await alerts.record({ integration: 'twenty' });
    }
    expect(deliver).not.toHaveBeenCalled();
  });

  it('tracks a handler: throws and failed results count, successes do not', async () => {
    const deliver = vi.fn(async () => ok(undefined));
    const alerts = alertOnFailures({ threshold: 2, deliver });
    const job = { name: 'sync', signal: new AbortController().signal } as JobContext<unknown>;
    const failing = alerts.track(() => err(new IntegrationError('SERVER_ERROR', 'upstream')), {
      integration: 'x',
    });
    const throwing = alerts.track(
      () => {
        throw new Error('boom');
      },
      { integration: 'x' },
    );
    await failing(job);
    await expect(throwing(job)).rejects.toThrow('boom');
    expect(deliver).toHaveBeenCalledWith(
      expect.objectContaining({
        integration: 'x',
        jobName: 'sync',
        lastError: { code: 'OPERATION_FAILED', message: 'boom' },
      }),
    );
  });

  it('a deliverer that fails or throws is an err result, the others still get the alert', async () => {
    const good = vi.fn(async () => ok(undefined));
    const alerts = alertOnFailures({
      threshold: 1,
      deliver: [() => Promise.reject(new Error('smtp down')), good],
    });
    const answer = await alerts.record({ integration: 'x' });
    expect(answer).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED' } });
    expect(good).toHaveBeenCalledOnce();
  });

  it('counts the failures of every instance sharing a store, and only the one that crosses alerts', async () => {
    const store = createMemoryFailureWindowStore();
    const sent: FailureAlert[] = [];
    const deliver = async (alert: FailureAlert) => {
      sent.push(alert);
      return ok(undefined);
    };
    const [a, b] = [alertOnFailures({ deliver, store }), alertOnFailures({ deliver, store })];
    const answers = [];
    for (let i = 0; i < 10; i += 1)
      answers.push(await (i % 2 === 0 ? a : b).record({ integration: 'twenty' }));
    expect(answers.filter((answer) => answer.success && answer.data.alerted)).toHaveLength(1);
    expect(answers[9]).toEqual(ok({ alerted: true }));
    expect(sent).toEqual([expect.objectContaining({ integration: 'twenty', failures: 10, threshold: 10 })]);
  });

  it('counts under the key option’s name, and sends the policy with each record', async () => {
    const store = createMemoryFailureWindowStore();
    const alerts = alertOnFailures({
      threshold: 2,
      windowMs: 1_000,
      deliver: async () => ok(undefined),
      store,
      key: (integration) => `app-1:${integration}`,
      now: () => 5_000,
    });
    await alerts.record({ integration: 'twenty' });
    expect(await store.read('app-1:twenty', { threshold: 2, windowMs: 1_000 }, 5_000)).toEqual(
      ok({ failures: 1 }),
    );
    expect(await store.read('twenty', { threshold: 2, windowMs: 1_000 }, 5_000)).toEqual(ok({ failures: 0 }));
  });

  it('answers a store’s error, or a throw of the store, key option or clock, as an err result, sending nothing', async () => {
    const deliver = vi.fn(async () => ok(undefined));
    const down: FailureWindowStore = {
      ...createMemoryFailureWindowStore(),
      record: async () => err(new IntegrationError('NETWORK_ERROR', 'Redis failureWindow.record failed')),
    };
    expect(
      await alertOnFailures({ threshold: 1, deliver, store: down }).record({ integration: 'x' }),
    ).toMatchObject({ success: false, error: { code: 'NETWORK_ERROR' } });
    const throwing: FailureWindowStore = {
      ...createMemoryFailureWindowStore(),
      record: () => Promise.reject(new Error('broken store')),
    };
    for (const options of [
      { store: throwing },
      {
        key: () => {
          throw new Error('broken key');
        },
      },
      {
        now: () => {
          throw new Error('broken clock');
        },
      },
    ]) {
      const answer = await alertOnFailures({ threshold: 1, deliver, ...options }).record({
        integration: 'x',
      });
      expect(answer).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED' } });
    }
    // What the store refuses (here an empty key) comes back as its VALIDATION_ERROR.
    expect(await alertOnFailures({ threshold: 1, deliver }).record({ integration: '' })).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', field: 'key' },
    });
    expect(deliver).not.toHaveBeenCalled();
  });

  it('refuses wrong options', () => {
    expect(() => alertOnFailures({ threshold: 0, deliver: async () => ok(undefined) })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'threshold' }),
    );
    expect(() => alertOnFailures({ deliver: [] })).toThrow(expect.objectContaining({ field: 'deliver' }));
    expect(() => alertOnFailures({ deliver: async () => ok(undefined), store: {} as never })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'store' }),
    );
    expect(() => alertOnFailures({ deliver: async () => ok(undefined), key: 'twenty' as never })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field: 'key' }),
    );
  });
});

describe('alertOnFailures over one Redis store', () => {
  const prefix = testPrefix('alerts');
  afterAll(() => removePrefix(prefix));

  it('two processes, 5 failures each within the hour: exactly one alert, from the one whose failure crossed', async () => {
    await requireRedis();
    // Two connections, as two worker processes would have.
    const stores = [0, 1].map(() =>
      createRedisFailureWindowStore({ url: TEST_REDIS_URL, prefix: `${prefix}:` }),
    );
    try {
      const sent: { process: number; alert: FailureAlert }[] = [];
      const processes = stores.map((store, process) =>
        alertOnFailures({
          threshold: 10,
          windowMs: 3_600_000,
          store,
          deliver: async (alert) => {
            sent.push({ process, alert });
            return ok(undefined);
          },
        }),
      );
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          processes[i % 2]?.record({ integration: 'twenty', error: { code: 'SERVER_ERROR', message: 'x' } }),
        ),
      );
      expect(answers.filter((answer) => answer?.success && answer.data.alerted)).toHaveLength(1);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.alert).toMatchObject({ integration: 'twenty', failures: 10, threshold: 10 });
      // Further failures, in either process, send nothing more.
      await processes[0]?.record({ integration: 'twenty' });
      await processes[1]?.record({ integration: 'twenty' });
      expect(sent).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});

const alert: FailureAlert = {
  integration: 'twenty\r\nBcc: evil@x.test',
  failures: 10,
  threshold: 10,
  windowMs: 3_600_000,
  at: 0,
  jobName: 'sync',
  lastError: { code: 'SERVER_ERROR', message: 'upstream 500' },
};

describe('emailAlertDeliverer', () => {
  it('sends one plain-text message through the transport, subject on one line', async () => {
    const messages: EmailMessage[] = [];
    const deliver = emailAlertDeliverer({
      transport: { send: async (message: EmailMessage) => void messages.push(message) },
      from: 'ops@app.test',
      to: 'oncall@app.test',
    });
    expect(await deliver(alert)).toEqual(ok(undefined));
    expect(messages[0]).toMatchObject({ from: 'ops@app.test', to: ['oncall@app.test'] });
    expect(messages[0]?.subject).not.toMatch(/[\r\n]/);
    expect(messages[0]?.text).toContain('10 failures in the last 60 minutes');
  });

  it('answers a transport failure as an err result', async () => {
    const deliver = emailAlertDeliverer({
      transport: { send: () => Promise.reject(new Error('smtp')) },
      from: 'a@b.test',
      to: ['c@d.test'],
    });
    expect(await deliver(alert)).toMatchObject({ success: false, error: { code: 'OPERATION_FAILED' } });
    expect(() => emailAlertDeliverer({ transport: {}, from: 'a', to: 'b' } as never)).toThrow(
      expect.objectContaining({ field: 'transport' }),
    );
  });
});

describe('webhookAlertDeliverer', () => {
  it('POSTs the alert as JSON to the URL, query kept', async () => {
    const received: { url: string; body: string; type: string }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({ url: request.url ?? '', body, type: request.headers['content-type'] ?? '' });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const deliver = webhookAlertDeliverer({ url: `http://127.0.0.1:${port}/hooks/alert?team=ops` });
      expect(await deliver(alert)).toEqual(ok(undefined));
      expect(received[0]?.url).toBe('/hooks/alert?team=ops');
      expect(received[0]?.type).toContain('application/json');
      expect(JSON.parse(received[0]?.body ?? '')).toMatchObject({ failures: 10, text: expect.any(String) });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers an unreachable receiver as an err result and refuses a non-http URL', async () => {
    const deliver = webhookAlertDeliverer({ url: 'http://127.0.0.1:9/x', client: { retry: false } });
    const answer = await deliver(alert);
    expect(answer.success).toBe(false);
    expect(() => webhookAlertDeliverer({ url: 'ftp://x.test/' })).toThrow(
      expect.objectContaining({ field: 'url' }),
    );
  });
});
