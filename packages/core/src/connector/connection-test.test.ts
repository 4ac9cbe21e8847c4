import { describe, expect, it } from 'vitest';
import { Secret } from '../secrets/secret.ts';
import { throwingProxy } from '../testing/hostile-values.ts';
import { type ConnectionTestResult, guardConnectionTest } from './connection-test.ts';

const KEY = 'live_key_0123456789abcdef';
const config = { credentials: { apiKey: new Secret(KEY), projectId: 'p-1' } };
const guarded = (answer: () => unknown) =>
  guardConnectionTest<typeof config, object>(async () => answer() as ConnectionTestResult);

describe('guardConnectionTest', () => {
  it('passes a good answer through as a plain copy', async () => {
    const answer = { ok: true, latencyMs: 12.4, message: 'Connected', details: { status: 200 }, extra: 1 };
    expect(await guarded(() => answer)(config)).toEqual({
      ok: true,
      latencyMs: 12,
      message: 'Connected',
      details: { status: 200 },
    });
  });

  it('scrubs every secret credential from the message, in the forms a server echoes it', async () => {
    const message = `refused ${KEY}, ${encodeURIComponent(`${KEY}/`)} and ${JSON.stringify(KEY)}`;
    const result = await guarded(() => ({ ok: false, latencyMs: 1, message, details: {} }))(config);
    expect(result.message).not.toContain(KEY);
    expect(result.message).toContain('[REDACTED]');
  });

  it.each([
    [
      'throws',
      () =>
        guardConnectionTest(() => {
          throw new Error(KEY);
        }),
    ],
    ['rejects', () => guardConnectionTest(() => Promise.reject(new Error(KEY)))],
  ])('a test that %s is a failed test with nothing of what it threw', async (_, make) => {
    const result = await make()(config, {});
    expect(result).toMatchObject({
      ok: false,
      message: 'The connection test failed unexpectedly',
      details: { code: 'OPERATION_FAILED' },
    });
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'ok'],
    ['no ok', { message: 'x', latencyMs: 1, details: {} }],
  ])('an answer that is %s is a failed test', async (_, answer) => {
    expect(await guarded(() => answer)(config)).toMatchObject({
      ok: false,
      message: 'The connection test answered something that is not a result',
    });
  });

  it('an answer that is a Proxy whose traps throw is a failed test (awaiting it throws)', async () => {
    expect(await guarded(() => throwingProxy())(config)).toMatchObject({
      ok: false,
      details: { code: 'OPERATION_FAILED' },
    });
  });

  it('keeps only well-formed details, and a latency that is a finite non-negative number', async () => {
    const result = await guarded(() => ({
      ok: false,
      latencyMs: Number.NaN,
      message: 'x',
      details: { status: 'four hundred', code: 'AUTH_ERROR', more: true },
    }))(config);
    expect(result).toEqual({ ok: false, latencyMs: 0, message: 'x', details: { code: 'AUTH_ERROR' } });
  });
});
