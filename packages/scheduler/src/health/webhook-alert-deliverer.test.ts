import { describe, expect, it } from 'vitest';
import type { FailureAlert } from './failure-alerts.ts';
import { alertText, webhookAlertDeliverer } from './webhook-alert-deliverer.ts';

const alert: FailureAlert = {
  integration: 'hubspot',
  failures: 12,
  threshold: 10,
  windowMs: 3_600_000,
  at: 1_700_000_000_000,
  jobName: 'hubspot.pull',
  lastError: { code: 'RATE_LIMIT', message: 'slow down' },
};

// A fetch that answers `status` and keeps what it was sent.
function recordingFetch(status: number) {
  const sent: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(input, init));
    return new Response(status === 200 ? 'ok' : 'nope', { status });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

describe('alertText', () => {
  it('says the integration, failures, window in minutes, threshold and last error', () => {
    expect(alertText(alert)).toBe(
      'hubspot: 12 failures in the last 60 minutes (threshold 10). Last error: RATE_LIMIT: slow down',
    );
    expect(alertText({ ...alert, lastError: null, windowMs: 90_000 })).toBe(
      'hubspot: 12 failures in the last 2 minutes (threshold 10).',
    );
  });
});

describe('webhookAlertDeliverer', () => {
  it('POSTs the alert with its text as JSON to the URL, query and headers included', async () => {
    const { fetch, sent } = recordingFetch(200);
    const deliver = webhookAlertDeliverer({
      url: 'https://hooks.example.test/services/T0/B0?team=ops',
      headers: { authorization: 'Bearer t0k' },
      client: { fetch },
    });
    expect(await deliver(alert)).toEqual({ success: true, data: undefined });
    expect(sent).toHaveLength(1);
    const [request] = sent as [Request];
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://hooks.example.test/services/T0/B0?team=ops');
    expect(request.headers.get('authorization')).toBe('Bearer t0k');
    expect(request.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await request.json()).toEqual({ ...alert, text: alertText(alert) });
  });

  it('sends the body `body` shapes', async () => {
    const { fetch, sent } = recordingFetch(200);
    const deliver = webhookAlertDeliverer({
      url: 'http://localhost:9/alerts',
      body: (a) => ({ content: `${a.integration} is failing` }),
      client: { fetch },
    });
    expect((await deliver(alert)).success).toBe(true);
    expect(await (sent[0] as Request).json()).toEqual({ content: 'hubspot is failing' });
  });

  it('answers a failed result (never throws) when the receiver refuses, without the URL’s secret', async () => {
    const { fetch } = recordingFetch(404);
    const deliver = webhookAlertDeliverer({
      url: 'https://hooks.example.test/services/SECRET-PATH',
      client: { fetch, retry: false },
    });
    const sent = await deliver(alert);
    expect(sent.success).toBe(false);
    expect(!sent.success && sent.error).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      retryable: false,
      message: 'The alert webhook answered 404',
    });
    expect(JSON.stringify(sent)).not.toContain('SECRET-PATH');
  });

  it('answers a failed result without the URL when the request cannot be sent', async () => {
    const fetch = (async () => {
      throw new TypeError('connect ECONNREFUSED https://hooks.example.test/services/SECRET-PATH');
    }) as typeof globalThis.fetch;
    const deliver = webhookAlertDeliverer({
      url: 'https://hooks.example.test/services/SECRET-PATH',
      client: { fetch, retry: false },
    });
    const sent = await deliver(alert);
    expect(sent.success).toBe(false);
    expect(!sent.success && sent.error.message).toMatch(/^The alert webhook failed \([A-Z_]+\)$/);
    expect(!sent.success && sent.error.cause).toBeUndefined();
    expect(JSON.stringify(sent)).not.toContain('SECRET-PATH');
  });

  it('throws a CONFIG_ERROR naming url for a URL that is not http(s)', () => {
    for (const url of ['not a url', 'ftp://files.example.test/x', 'javascript:alert(1)']) {
      expect(() => webhookAlertDeliverer({ url })).toThrow(
        expect.objectContaining({ code: 'CONFIG_ERROR', field: 'url' }),
      );
    }
  });
});
