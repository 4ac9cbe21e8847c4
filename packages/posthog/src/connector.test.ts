import { type ConnectorConfig, Secret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { hogqlAnswer, json, recordingFetch } from '../test-support/query-fetch.ts';
import { posthogConnector } from './connector.ts';

const KEY = 'phx_connector_test_key_8c1d4e';

const configFor = (
  credentials: ConnectorConfig['credentials'],
  baseUrl = 'https://posthog.example.test',
) => ({
  integration: 'posthog',
  baseUrl,
  credentials,
  enabled: true,
  syncMode: 'disabled',
  settings: {},
});

describe('posthogConnector', () => {
  it("declares seed 000's variables, Cloud US as the default host, and optional credentials for reading and capture", () => {
    expect(posthogConnector).toMatchObject({
      id: 'posthog',
      envPrefix: 'POSTHOG',
      displayName: 'PostHog',
      baseUrl: { required: true, default: 'https://us.posthog.com' },
      credentials: {
        personalApiKey: { secret: true, required: false, env: 'PERSONAL_API_KEY' },
        projectId: { secret: false, required: false, env: 'PROJECT_ID' },
        projectApiKey: { secret: true, required: false, env: 'KEY' },
      },
      env: {
        baseUrl: 'POSTHOG_BASE_URL',
        enabled: 'POSTHOG_ENABLED',
        credentials: {
          personalApiKey: 'POSTHOG_PERSONAL_API_KEY',
          projectId: 'POSTHOG_PROJECT_ID',
          projectApiKey: 'POSTHOG_KEY',
        },
      },
    });
  });

  it('tests the connection with one SELECT 1 through the query API', async () => {
    const { fetch, seen } = recordingFetch(() => json(hogqlAnswer([[1]])));
    const result = await posthogConnector.testConnection?.(
      configFor({ personalApiKey: new Secret(KEY), projectId: '42' }),
      { fetch },
    );
    expect(result).toMatchObject({ ok: true, message: 'Successfully connected', details: { status: 200 } });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('https://posthog.example.test/api/projects/42/query/');
    expect(seen[0]?.body?.query).toEqual({ kind: 'HogQLQuery', query: 'SELECT 1' });
  });

  it('reports a refused key without showing it, once, without retrying', async () => {
    const { fetch, seen } = recordingFetch(() =>
      json(
        {
          type: 'authentication_error',
          code: 'authentication_failed',
          detail: `Invalid key ${KEY}`,
          attr: null,
        },
        401,
      ),
    );
    const result = await posthogConnector.testConnection?.(
      configFor({ personalApiKey: new Secret(KEY), projectId: '42' }),
      { fetch },
    );
    expect(result).toMatchObject({ ok: false, details: { status: 401, code: 'AUTH_ERROR' } });
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(seen).toHaveLength(1);
  });

  it('names what is missing without calling, and a project id that is no number', async () => {
    const { fetch, seen } = recordingFetch(() => json(hogqlAnswer([[1]])));
    expect(await posthogConnector.testConnection?.(configFor({ projectId: '42' }), { fetch })).toMatchObject({
      ok: false,
      message: 'personalApiKey is required to read from PostHog',
      details: { code: 'CONFIG_ERROR' },
    });
    expect(
      await posthogConnector.testConnection?.(configFor({ personalApiKey: new Secret(KEY) }), { fetch }),
    ).toMatchObject({ ok: false, message: 'projectId is required to read from PostHog' });
    const notANumber = await posthogConnector.testConnection?.(
      configFor({ personalApiKey: new Secret(KEY), projectId: 'my-project' }),
      { fetch },
    );
    expect(notANumber).toMatchObject({ ok: false, details: { code: 'CONFIG_ERROR' } });
    expect(notANumber?.message).toContain('projectId');
    expect(seen).toEqual([]);
  });

  it('reports an unreachable host as a failed test', async () => {
    const { fetch } = recordingFetch(() => {
      throw new TypeError('fetch failed');
    });
    const result = await posthogConnector.testConnection?.(
      configFor({ personalApiKey: new Secret(KEY), projectId: '42' }),
      { fetch },
    );
    expect(result).toMatchObject({ ok: false, details: { code: 'NETWORK_ERROR' } });
  });
});
