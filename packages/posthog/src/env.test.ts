import { createConfigStore } from '@patchbay/core';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import { hogqlAnswer, json, recordingFetch } from '../test-support/query-fetch.ts';
import { createPostHogClientFromEnv, posthogEnvironment, resolvePostHogConfig } from './env.ts';

const KEY = 'phx_env_test_key_0a9b8c7d';
const DB_KEY = 'phx_database_key_1f2e3d4c';

const configs = () =>
  createConfigStore({ rows: createMemoryStore().configs, secretKey: 'posthog-env-test-secret-key-0123' });

describe('posthogEnvironment', () => {
  it.each([
    [{ POSTHOG_HOST: 'https://eu.posthog.com' }, 'https://eu.posthog.com'],
    [{ POSTHOG_HOST: 'https://eu.i.posthog.com' }, 'https://eu.posthog.com'],
    [{ NEXT_PUBLIC_POSTHOG_HOST: 'https://us.posthog.com/js' }, 'https://us.posthog.com'],
    [{ NEXT_PUBLIC_POSTHOG_HOST: 'https://us.i.posthog.com' }, 'https://us.posthog.com'],
    [{ NEXT_PUBLIC_POSTHOG_HOST: 'https://posthog.example.com/' }, 'https://posthog.example.com'],
    // The connector's own name first, then POSTHOG_HOST, then the browser's.
    [
      { POSTHOG_BASE_URL: 'https://a.example.com', POSTHOG_HOST: 'https://b.example.com' },
      'https://a.example.com',
    ],
    [
      { POSTHOG_HOST: 'https://b.example.com', NEXT_PUBLIC_POSTHOG_HOST: 'https://c.example.com' },
      'https://b.example.com',
    ],
    // A Next.js rewrite is no host to read from: the next one, or none.
    [{ NEXT_PUBLIC_POSTHOG_HOST: '/ingest' }, undefined],
    [{ POSTHOG_HOST: '  ', NEXT_PUBLIC_POSTHOG_HOST: '/ingest' }, undefined],
    [{}, undefined],
  ])('%j → POSTHOG_BASE_URL %j', (env, expected) => {
    expect(posthogEnvironment(env).POSTHOG_BASE_URL).toBe(expected);
  });

  it('passes the other variables on and leaves env as it was', () => {
    const env = { POSTHOG_HOST: 'https://eu.i.posthog.com', POSTHOG_PROJECT_ID: '7' };
    expect(posthogEnvironment(env)).toEqual({ ...env, POSTHOG_BASE_URL: 'https://eu.posthog.com' });
    expect(env).not.toHaveProperty('POSTHOG_BASE_URL');
  });
});

describe('resolvePostHogConfig', () => {
  it("reads seed 000's variables", async () => {
    const resolved = await resolvePostHogConfig({
      env: {
        POSTHOG_PERSONAL_API_KEY: KEY,
        POSTHOG_PROJECT_ID: '42',
        POSTHOG_KEY: 'phc_project_key',
        NEXT_PUBLIC_POSTHOG_HOST: 'https://eu.i.posthog.com',
      },
    });
    if (!resolved.success) throw resolved.error;
    const { config, origins } = resolved.data;
    expect(config.baseUrl).toBe('https://eu.posthog.com');
    expect(config.credentials.personalApiKey?.reveal()).toBe(KEY);
    expect(config.credentials.projectId).toBe('42');
    expect(config.credentials.projectApiKey?.reveal()).toBe('phc_project_key');
    expect(origins).toMatchObject({ personalApiKey: 'env', baseUrl: 'env' });
  });

  it('lets the database row win over the environment, field by field', async () => {
    const store = configs();
    await store.createConfig('posthog', {
      baseUrl: 'https://posthog.example.com',
      secrets: { personalApiKey: DB_KEY },
    });
    const resolved = await resolvePostHogConfig({
      env: {
        POSTHOG_PERSONAL_API_KEY: KEY,
        POSTHOG_PROJECT_ID: '42',
        POSTHOG_HOST: 'https://eu.posthog.com',
      },
      store,
    });
    if (!resolved.success) throw resolved.error;
    expect(resolved.data.config.baseUrl).toBe('https://posthog.example.com');
    expect(resolved.data.config.credentials.personalApiKey?.reveal()).toBe(DB_KEY);
    expect(resolved.data.config.credentials.projectId).toBe('42');
    expect(resolved.data.origins).toMatchObject({ personalApiKey: 'database', projectId: 'env' });
  });

  it('defaults to PostHog Cloud US', async () => {
    const resolved = await resolvePostHogConfig({ env: {} });
    expect(resolved.success && resolved.data.config.baseUrl).toBe('https://us.posthog.com');
  });

  it.each([undefined, null, 'env', { env: 'nope' }, { env: {}, store: {} }])(
    'answers options %j with a CONFIG_ERROR, never a throw',
    async (options) => {
      expect(await resolvePostHogConfig(options as never)).toMatchObject({
        success: false,
        error: { code: 'CONFIG_ERROR' },
      });
    },
  );
});

describe('createPostHogClientFromEnv', () => {
  it('builds a client from the environment: its host, key and project', async () => {
    const { fetch, seen } = recordingFetch(() => json(hogqlAnswer([[5]])));
    const created = await createPostHogClientFromEnv({
      env: {
        POSTHOG_PERSONAL_API_KEY: KEY,
        POSTHOG_PROJECT_ID: '42',
        POSTHOG_HOST: 'https://eu.i.posthog.com',
      },
      fetch,
    });
    if (!created.success) throw created.error;
    expect(await created.data.getTotalPageViews()).toEqual({ success: true, data: 5 });
    expect(seen[0]?.url).toBe('https://eu.posthog.com/api/projects/42/query/');
    expect(seen[0]?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
  });

  it('uses the database row over the environment', async () => {
    const store = configs();
    await store.createConfig('posthog', { secrets: { personalApiKey: DB_KEY, projectId: '7' } });
    const { fetch, seen } = recordingFetch(() => json(hogqlAnswer([[1]])));
    const created = await createPostHogClientFromEnv({
      env: { POSTHOG_PERSONAL_API_KEY: KEY, POSTHOG_PROJECT_ID: '42' },
      store,
      fetch,
    });
    if (!created.success) throw created.error;
    await created.data.hogql('select 1');
    expect(seen[0]?.path).toBe('/api/projects/7/query/');
    expect(seen[0]?.headers.get('authorization')).toBe(`Bearer ${DB_KEY}`);
  });

  it.each([
    [{ POSTHOG_PROJECT_ID: '42' }, 'personalApiKey', 'POSTHOG_PERSONAL_API_KEY'],
    [{ POSTHOG_PERSONAL_API_KEY: KEY }, 'projectId', 'POSTHOG_PROJECT_ID'],
  ])('names what is configured nowhere (%j), and where to set it', async (env, field, variable) => {
    const created = await createPostHogClientFromEnv({ env });
    expect(created).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR', field } });
    expect(!created.success && created.error.message).toContain(variable);
  });

  it('answers bad client options and bad values as CONFIG_ERROR, never a throw or the key', async () => {
    const badProject = await createPostHogClientFromEnv({
      env: { POSTHOG_PERSONAL_API_KEY: KEY, POSTHOG_PROJECT_ID: 'my-project' },
    });
    expect(badProject).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR', field: 'projectId' } });
    const badOption = await createPostHogClientFromEnv({
      env: { POSTHOG_PERSONAL_API_KEY: KEY, POSTHOG_PROJECT_ID: '1' },
      timeoutMs: -1,
    });
    expect(badOption).toMatchObject({ success: false, error: { code: 'CONFIG_ERROR', field: 'timeoutMs' } });
    expect(JSON.stringify([badProject, badOption])).not.toContain(KEY);
    expect(await createPostHogClientFromEnv(undefined as never)).toMatchObject({
      success: false,
      error: { code: 'CONFIG_ERROR' },
    });
  });
});
