import { createConfigStore } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { createPostHogEmulator, type EmulatorReply } from '@patchbay/emulators';
import { describe, expect, it } from 'vitest';
import { createPostHogCaptureFromEnv } from './capture-from-env.ts';

const ENV_KEY = 'phc_from_the_environment_0123';
const DB_KEY = 'phc_from_the_database_0123456';

function recorder(projectKey: string) {
  const emulator = createPostHogEmulator({ projectKey });
  const hosts: string[] = [];
  const fetchEmulator: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    hosts.push(new URL(request.url).origin);
    const reply: EmulatorReply = await emulator.handler(request);
    return reply instanceof Response ? reply : new Response('reset', { status: 503 });
  };
  return { emulator, hosts, fetch: fetchEmulator };
}

describe('createPostHogCaptureFromEnv', () => {
  it('reads POSTHOG_KEY and sends to the ingestion host of the configured Cloud region', async () => {
    const { emulator, hosts, fetch } = recorder(ENV_KEY);
    const created = await createPostHogCaptureFromEnv({
      env: { POSTHOG_KEY: ENV_KEY, POSTHOG_HOST: 'https://eu.posthog.com' },
      store: createMemoryStore(),
      fetch,
    });
    if (!created.success) throw created.error;
    const captured = await created.data.capture({ event: 'from_env', distinctId: 'u1' });
    expect(captured.success).toBe(true);
    expect((await created.data.shutdown()).success).toBe(true);
    expect(hosts).toEqual(['https://eu.i.posthog.com']);
    expect(emulator.events().map((event) => event.event)).toEqual(['from_env']);
  });

  it('lets the database row win over the environment', async () => {
    const { emulator, hosts, fetch } = recorder(DB_KEY);
    const config = createConfigStore({
      rows: createMemoryStore().configs,
      secretKey: 'posthog-capture-env-secret-0123',
    });
    await config.createConfig('posthog', {
      baseUrl: 'https://posthog.example.com',
      secrets: { projectApiKey: DB_KEY },
    });
    const created = await createPostHogCaptureFromEnv({
      env: { POSTHOG_KEY: ENV_KEY },
      config,
      store: createMemoryStore(),
      fetch,
    });
    if (!created.success) throw created.error;
    await created.data.capture({ event: 'from_db', distinctId: 'u1' });
    expect((await created.data.shutdown()).success).toBe(true);
    expect(hosts).toEqual(['https://posthog.example.com']);
    expect(emulator.events().map((event) => event.token)).toEqual([DB_KEY]);
  });

  it('says where to set a key configured nowhere, and never rejects on bad options', async () => {
    const missing = await createPostHogCaptureFromEnv({ env: {}, store: createMemoryStore() });
    expect(!missing.success && [missing.error.code, missing.error.field]).toEqual([
      'CONFIG_ERROR',
      'projectApiKey',
    ]);
    expect(!missing.success && missing.error.message).toContain('POSTHOG_KEY');
    const bad = await createPostHogCaptureFromEnv({
      env: { POSTHOG_KEY: ENV_KEY },
      store: createMemoryStore(),
      batchSize: -1,
    });
    expect(!bad.success && [bad.error.code, bad.error.field]).toEqual(['CONFIG_ERROR', 'batchSize']);
    const hostile = await createPostHogCaptureFromEnv(null as never);
    expect(!hostile.success && hostile.error.code).toBe('CONFIG_ERROR');
  });
});
