import { IntegrationError, toSecret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { isPostHogConfigured, parsePostHogOptions } from './client-options.ts';

const KEY = 'phx_options_test_key_0123456789';

const refusal = (options: unknown) => {
  try {
    parsePostHogOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(IntegrationError);
    return error as IntegrationError;
  }
  throw new Error('expected a CONFIG_ERROR');
};

describe('parsePostHogOptions', () => {
  it("fills PostHog's defaults: Cloud US, 3 retries, the documented query limits, polls from 500 ms", () => {
    const resolved = parsePostHogOptions({ personalApiKey: ` ${KEY} `, projectId: 42 });
    expect(resolved).toMatchObject({
      host: 'https://us.posthog.com',
      personalApiKey: KEY,
      projectId: '42',
      retry: { retries: 3, initialDelayMs: 1_000, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 },
      rateLimits: { perMinute: 240, perHour: 2_400, concurrent: 3, key: 'posthog-query' },
      poll: { initialDelayMs: 500, maxDelayMs: 5_000, timeoutMs: 600_000 },
    });
  });

  it('reads an ingestion or /js host as its app host, and turns retries and limits off on request', () => {
    const resolved = parsePostHogOptions({
      host: 'https://eu.i.posthog.com/js/',
      personalApiKey: toSecret(KEY),
      projectId: '7',
      retry: false,
      rateLimits: false,
      timeoutMs: 5_000,
    });
    expect(resolved.host).toBe('https://eu.posthog.com');
    expect(resolved.retry.retries).toBe(0);
    expect(resolved.rateLimits).toBe(false);
    expect(resolved.http).toEqual({ timeoutMs: 5_000 });
  });

  it('names every wrong option, never quoting the key', () => {
    expect(refusal({ projectId: 1 }).field).toBe('personalApiKey');
    expect(refusal({ personalApiKey: KEY }).field).toBe('projectId');
    expect(refusal({ personalApiKey: KEY, projectId: 'abc' }).field).toBe('projectId');
    expect(refusal({ personalApiKey: KEY, projectId: 1, host: 'ftp://x' }).field).toBe('host');
    const many = refusal({ personalApiKey: KEY, projectId: -1, rateLimits: { perMinute: 1 } });
    expect(many.issues?.map((issue) => issue.field)).toEqual(
      expect.arrayContaining(['projectId', 'rateLimits.perMinute']),
    );
    expect(`${many.message} ${JSON.stringify(many)}`).not.toContain(KEY);
  });
});

describe('isPostHogConfigured', () => {
  it('says whether a key and a project id are there, without throwing', () => {
    expect(isPostHogConfigured({ personalApiKey: KEY, projectId: 3 })).toBe(true);
    expect(isPostHogConfigured({ personalApiKey: toSecret(KEY), projectId: '3' })).toBe(true);
    expect(isPostHogConfigured({ personalApiKey: '', projectId: 3 })).toBe(false);
    expect(isPostHogConfigured({ personalApiKey: KEY })).toBe(false);
    expect(isPostHogConfigured(undefined)).toBe(false);
    expect(
      isPostHogConfigured(
        new Proxy(
          {},
          {
            get() {
              throw new Error('trap');
            },
          },
        ),
      ),
    ).toBe(false);
  });
});
