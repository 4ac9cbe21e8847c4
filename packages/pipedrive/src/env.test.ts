import { describe, expect, it } from 'vitest';
import { createFakePipedrive } from '../test-support/fake-pipedrive.ts';
import { createPipedriveClientFromEnv, resolvePipedriveConfig } from './env.ts';

describe('createPipedriveClientFromEnv', () => {
  it('builds a client on the company domain from PIPEDRIVE_* variables', async () => {
    const fake = createFakePipedrive({ token: 'env-token' });
    const built = await createPipedriveClientFromEnv({
      env: { PIPEDRIVE_API_TOKEN: 'env-token', PIPEDRIVE_COMPANY_DOMAIN: 'acme' },
      fetch: fake.fetch,
      rateLimit: false,
    });
    expect(built.success).toBe(true);
    if (!built.success) return;
    await built.data.persons.get(1);
    expect(fake.sent[0]?.url).toBe('https://acme.pipedrive.com/api/v2/persons/1');
    const resolved = await resolvePipedriveConfig({ env: { PIPEDRIVE_COMPANY_DOMAIN: 'acme' } });
    expect(resolved.success && resolved.data.config.baseUrl).toBe('https://acme.pipedrive.com');
  });

  it('names a missing token or host, never a value', async () => {
    const noToken = await createPipedriveClientFromEnv({ env: { PIPEDRIVE_COMPANY_DOMAIN: 'acme' } });
    expect(noToken.success || noToken.error).toMatchObject({ code: 'CONFIG_ERROR' });
    expect(noToken.success || noToken.error.message).toContain('PIPEDRIVE_API_TOKEN');
    const noHost = await createPipedriveClientFromEnv({ env: { PIPEDRIVE_API_TOKEN: 'secret-token-1' } });
    expect(noHost.success || noHost.error).toMatchObject({ code: 'CONFIG_ERROR', field: 'baseUrl' });
    expect(JSON.stringify(noHost)).not.toContain('secret-token-1');
    const hostile = await createPipedriveClientFromEnv(null as never);
    expect(hostile.success || hostile.error.code).toBe('CONFIG_ERROR');
  });
});
