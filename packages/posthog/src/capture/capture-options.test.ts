import { type IntegrationError, revealSecret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPTURE_HOST, DEFAULT_CAPTURE_STORE, resolveCaptureOptions } from './capture-options.ts';

describe('resolveCaptureOptions', () => {
  it('fills the defaults: US ingestion host, a SQLite outbox, batches of 1 000, gzip, backpressure', () => {
    const resolved = resolveCaptureOptions({ projectApiKey: 'phc_key' });
    expect(resolved).toMatchObject({
      host: DEFAULT_CAPTURE_HOST,
      store: DEFAULT_CAPTURE_STORE,
      queueName: 'posthog-capture',
      batchSize: 1_000,
      flushIntervalMs: 1_000,
      maxEventBytes: 1_000_000,
      whenFull: 'wait',
      gzip: true,
      serverless: false,
    });
    expect(revealSecret(resolved.projectApiKey)).toBe('phc_key');
    expect(resolved.now).toBe(Date.now);
  });

  it('names the wrong field without quoting the key', () => {
    const failure = (options: unknown) => {
      try {
        resolveCaptureOptions(options);
      } catch (error) {
        return error as IntegrationError;
      }
      throw new Error('expected a CONFIG_ERROR');
    };
    expect(failure({ projectApiKey: '' }).field).toBe('projectApiKey');
    expect(failure({ projectApiKey: 'phc_secret_value', concurrency: 0 }).field).toBe('concurrency');
    expect(failure({ projectApiKey: 'phc_secret_value', serverless: { waitUntil: 1 } }).field).toMatch(
      /^serverless/,
    );
    expect(failure({ projectApiKey: 'phc_secret_value', store: 5 }).field).toBe('store');
    expect(failure({ projectApiKey: 'phc_secret_value', leaseMs: 5_000, timeoutMs: 5_000 }).field).toBe(
      'leaseMs',
    );
    expect(failure({ projectApiKey: 'phc_secret_value', host: 'nope' }).message).not.toContain(
      'phc_secret_value',
    );
  });
});
