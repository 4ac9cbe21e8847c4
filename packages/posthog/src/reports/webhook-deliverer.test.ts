import { IntegrationError, type Logger } from '@patchbay/core';
import { hostileValues } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import type { ReportDelivery } from './report-delivery.ts';
import { webhookDeliverer } from './webhook-deliverer.ts';

const SECRET = 'Bearer whsec-do-not-log-1234567890';
const QUERY_TOKEN = 'qtok-do-not-show-0987654321';
const fastRetry = { retries: 3, initialDelayMs: 1, maxDelayMs: 5 };

const delivery = (text = 'a,b\r\n1,2\r\n'): ReportDelivery => ({
  reportId: 'weekly',
  format: 'csv',
  contentType: 'text/csv; charset=utf-8; header=present',
  filename: 'weekly-2026-03-31.csv',
  body: new Response(text).body as ReadableStream<Uint8Array>,
  now: new Date('2026-03-31T09:00:00Z'),
  range: undefined,
  signal: undefined,
});

// A local handler standing in for the receiving server: it records each request and answers from a script.
function handler(statuses: number[]) {
  const seen: { url: string; method: string; headers: Headers; body: string }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: await request.text(),
    });
    const status = statuses[seen.length - 1] ?? 200;
    return new Response(status === 200 ? 'ok' : JSON.stringify({ message: 'nope' }), {
      status,
      headers: status === 429 ? { 'retry-after': '0' } : {},
    });
  };
  return { seen, fetch: fetch as typeof globalThis.fetch };
}

const recordingLogger = () => {
  const lines: string[] = [];
  const log = (message: string, fields?: unknown) => lines.push(`${message} ${JSON.stringify(fields)}`);
  const logger: Logger = { debug: log, info: log, warn: log, error: log };
  return { lines, logger };
};

describe('webhookDeliverer', () => {
  it('POSTs the export with its content type and the headers, and names the URL without its query', async () => {
    const { seen, fetch } = handler([200]);
    const result = await webhookDeliverer({
      url: `https://hooks.example.com/reports/in?token=${QUERY_TOKEN}`,
      headers: { authorization: SECRET },
      fetch,
    }).deliver(delivery());
    expect(result).toEqual({ success: true, data: { deliveredTo: 'https://hooks.example.com/reports/in' } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', body: 'a,b\r\n1,2\r\n' });
    expect(seen[0]?.url).toBe(`https://hooks.example.com/reports/in?token=${QUERY_TOKEN}`);
    expect(seen[0]?.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(seen[0]?.headers.get('authorization')).toBe(SECRET);
  });

  it('retries 5xx and 429 with the same body and idempotency key', async () => {
    const { seen, fetch } = handler([503, 429, 502, 200]);
    const result = await webhookDeliverer({
      url: 'https://hooks.example.com/r',
      fetch,
      retry: fastRetry,
    }).deliver(delivery());
    expect(result.success).toBe(true);
    expect(seen.map((request) => request.body)).toEqual(Array(4).fill('a,b\r\n1,2\r\n'));
    const keys = new Set(seen.map((request) => request.headers.get('idempotency-key')));
    expect(keys.size).toBe(1);
  });

  it('a failure after the retries is the typed error, without the secrets', async () => {
    const { seen, fetch } = handler([503, 503, 503, 503]);
    const { lines, logger } = recordingLogger();
    const result = await webhookDeliverer({
      url: `https://hooks.example.com/r?token=${QUERY_TOKEN}`,
      headers: { authorization: SECRET, 'x-api-key': 'apikey-secret-value-42' },
      fetch,
      retry: fastRetry,
      logger,
    }).deliver(delivery());
    expect(result).toMatchObject({ success: false, error: { code: 'SERVER_ERROR', status: 503 } });
    expect(seen).toHaveLength(4);
    const text = `${JSON.stringify(result)} ${!result.success && result.error.stack} ${lines.join('\n')}`;
    for (const secret of [SECRET, 'whsec-do-not-log', QUERY_TOKEN, 'apikey-secret-value-42'])
      expect(text).not.toContain(secret);
  });

  it('a 4xx is not retried', async () => {
    const { seen, fetch } = handler([401]);
    const result = await webhookDeliverer({
      url: 'https://hooks.example.com/r',
      fetch,
      retry: fastRetry,
    }).deliver(delivery());
    expect(result).toMatchObject({ success: false, error: { code: 'AUTH_ERROR' } });
    expect(seen).toHaveLength(1);
  });

  it('refuses an export over maxBytes without sending it', async () => {
    const { seen, fetch } = handler([200]);
    const result = await webhookDeliverer({ url: 'https://hooks.example.com/r', fetch, maxBytes: 4 }).deliver(
      delivery(),
    );
    expect(result).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR', field: 'maxBytes' } });
    expect(seen).toHaveLength(0);
  });

  it("gives the export's error as it is", async () => {
    const failure = new IntegrationError('RATE_LIMIT', 'PostHog throttled');
    const { fetch } = handler([200]);
    const body = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(failure) });
    const result = await webhookDeliverer({ url: 'https://hooks.example.com/r', fetch }).deliver({
      ...delivery(),
      body,
    });
    expect(result).toEqual({ success: false, error: failure });
  });

  it.each([
    [() => ({ url: 'ftp://hooks.example.com/r' }), 'url'],
    [() => ({ url: 'not a url' }), 'url'],
    [() => ({ url: 'https://user:pass@hooks.example.com/r' }), 'url'],
    [() => ({ url: undefined }), 'url'],
    [() => ({ url: 'https://hooks.example.com', headers: { authorization: 1 } }), 'headers.authorization'],
    [() => ({ url: 'https://hooks.example.com', fetch: 'fetch' }), 'fetch'],
    [() => ({ url: 'https://hooks.example.com', maxBytes: 0 }), 'maxBytes'],
  ])('refuses options %# with CONFIG_ERROR naming %s', (options, field) => {
    expect(() => webhookDeliverer(options() as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', field }),
    );
  });

  it('a header value with a line break is CONFIG_ERROR, and the value is not quoted', () => {
    let error: unknown;
    try {
      webhookDeliverer({
        url: 'https://hooks.example.com',
        headers: { authorization: `${SECRET}\r\nx-evil: 1` },
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toMatchObject({ code: 'CONFIG_ERROR' });
    expect(JSON.stringify(error)).not.toContain('whsec');
  });

  it.each(hostileValues())('refuses options that are %s with CONFIG_ERROR', (_, options) => {
    expect(() => webhookDeliverer(options as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });
});
