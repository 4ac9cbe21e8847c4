// The client secret and the tokens never leave the client in anything it returns or logs: errors (message, stack,
// toJSON), log lines, whatever Exact echoes back.
import { createMemoryOAuth2TokenStore } from '@patchbay/core/oauth';
import { createMemoryStore } from '@patchbay/core/store';
import { describe, expect, it } from 'vitest';
import { createFakeExact, json, odataError, tokenSet } from '../test-support/fake-exact.ts';
import { createExactClient } from './client.ts';

const SECRET = 'S3cretOfTheApp-doNotLeak-0123456789abcdef';
const ACCESS = 'AccessToken-doNotLeak-aaaaaaaaaaaaaaaaaaaa';
const REFRESH = 'RefreshToken-doNotLeak-bbbbbbbbbbbbbbbbbbb';

function setup(expiresInMs: number) {
  const fake = createFakeExact({ accessToken: ACCESS, refreshToken: REFRESH });
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: unknown) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  const client = createExactClient({
    oauth: {
      clientId: 'app-1',
      clientSecret: SECRET,
      tokens: createMemoryOAuth2TokenStore(tokenSet(ACCESS, REFRESH, Date.now() + expiresInMs)),
    },
    store: createMemoryStore(),
    division: 1,
    fetch: fake.fetch,
    rateLimit: false,
    retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 1 },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
  });
  return { fake, client, lines };
}

const leaks = (value: unknown) => {
  const texts = [JSON.stringify(value)];
  if (value instanceof Error) texts.push(value.message, String(value.stack), String(value));
  return texts.some((text) => [SECRET, ACCESS, REFRESH].some((secret) => text.includes(secret.slice(0, 24))));
};

async function firstPage(client: ReturnType<typeof createExactClient>) {
  for await (const page of client.accounts.list()) return page;
  throw new Error('no page');
}

describe('secrets', () => {
  it('keeps the access token out of an error whose body and Reason echo it, and out of the logs', async () => {
    const { fake, client, lines } = setup(300_000);
    fake.script('/crm/Accounts', () =>
      odataError(400, `Bad token Bearer ${ACCESS}`, { Reason: `token ${ACCESS}` }),
    );
    const page = await firstPage(client);
    expect(page.success).toBe(false);
    if (!page.success) {
      expect(leaks(page.error)).toBe(false);
      expect(leaks(page.error.toJSON())).toBe(false);
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((line) => leaks(line))).toBe(false);
  });

  it('keeps the refresh token and the client secret out of a failed refresh the server echoes', async () => {
    const { fake, client, lines } = setup(-1_000);
    fake.script('/api/oauth2/token', (request) =>
      json(
        { error: 'invalid_grant', error_description: `refresh ${REFRESH} with ${SECRET}: ${request.body}` },
        400,
      ),
    );
    const page = await firstPage(client);
    expect(page.success).toBe(false);
    if (!page.success) {
      expect(page.error.code).toBe('AUTH_ERROR');
      expect(leaks(page.error)).toBe(false);
      expect(leaks(page.error.toJSON())).toBe(false);
    }
    expect(lines.some((line) => leaks(line))).toBe(false);
  });

  it('keeps the secrets out of a network failure that names them', async () => {
    const { fake, client } = setup(300_000);
    fake.script('/crm/Accounts', () => {
      throw new TypeError(`fetch failed: Authorization: Bearer ${ACCESS}`);
    });
    const page = await firstPage(client);
    expect(page.success).toBe(false);
    if (!page.success) expect(leaks(page.error)).toBe(false);
  });
});
