import { hostileValues, watchProcessFailures } from '@patchbay/core/testing';
import { startTwentyEmulator } from '@patchbay/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReachable, testConnection } from './connection.ts';

type Emulator = Awaited<ReturnType<typeof startTwentyEmulator>>;
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startTwentyEmulator({ port: 0, rateLimit: false });
});
afterAll(async () => {
  await emulator.close();
});

describe('testConnection', () => {
  it('succeeds with the right key, with a latency', async () => {
    const result = await testConnection({ baseUrl: emulator.url, apiKey: emulator.apiKey });
    expect(result).toMatchObject({ ok: true, message: 'Successfully connected', details: { status: 200 } });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('fails with a wrong key: 401, one request, no retry, key not echoed', async () => {
    emulator.counters.reset();
    const result = await testConnection({ baseUrl: emulator.url, apiKey: 'wrong-key-123456789' });
    expect(result).toMatchObject({ ok: false, details: { status: 401, code: 'AUTH_ERROR' } });
    expect(result.message).not.toContain('wrong-key-123456789');
    expect(emulator.counters.snapshot().total).toBe(1);
  });

  it('fails without throwing on bad options and unreachable hosts', async () => {
    expect(await testConnection({ baseUrl: 'not a url', apiKey: 'k' })).toMatchObject({
      ok: false,
      details: { code: 'CONFIG_ERROR' },
    });
    const down = await testConnection({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k' });
    expect(down).toMatchObject({ ok: false, details: { code: 'NETWORK_ERROR' } });
  });

  it('gives up after the timeout when the server hangs', async () => {
    emulator.faults.inject({ kind: 'hang', route: 'GET /rest/metadata/objects', times: 1 });
    const result = await testConnection({ baseUrl: emulator.url, apiKey: emulator.apiKey, timeoutMs: 100 });
    expect(result).toMatchObject({ ok: false, details: { code: 'TIMEOUT' } });
    emulator.faults.clear();
  });
});

describe('isReachable', () => {
  it('is true for a live instance and false for a closed port or a bad URL', async () => {
    expect(await isReachable(emulator.url)).toBe(true);
    expect(await isReachable('http://127.0.0.1:1')).toBe(false);
    expect(await isReachable('nope')).toBe(false);
  });
});

describe('hostile arguments', () => {
  it.each(hostileValues())('testConnection and isReachable of %s resolve to a failure', async (_, value) => {
    const watch = watchProcessFailures();
    const tested = await testConnection(value as never);
    expect(tested).toMatchObject({ ok: false, details: { code: 'CONFIG_ERROR' } });
    const fields = await testConnection({
      baseUrl: value as never,
      apiKey: value as never,
      fetch: value as never,
    });
    expect(fields.ok).toBe(false);
    expect(await isReachable(value as never, value as never)).toBe(false);
    expect(await watch.stop()).toEqual([]);
  });
});
