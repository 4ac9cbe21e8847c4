// The API token (or OAuth access token) never leaves the client in anything it returns or logs: errors (message,
// stack, toJSON), log lines, connector test results, whatever the server echoes back.
import { ok, toSecret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createFakePipedrive, pipedriveError } from '../test-support/fake-pipedrive.ts';
import { createPipedriveClient, type PipedriveClientOptions } from './client.ts';

const TOKEN = 'f00dcafe5ecret70kenDoNotLeak0123456789ab';

function setup(auth: 'token' | 'oauth', options: Partial<PipedriveClientOptions> = {}) {
  const fake = createFakePipedrive({ token: TOKEN });
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: unknown) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  const client = createPipedriveClient({
    ...(auth === 'token'
      ? { apiToken: TOKEN }
      : { oauth: { getAccessToken: async () => ok(toSecret(TOKEN)) } }),
    baseUrl: 'https://acme.pipedrive.test',
    fetch: fake.fetch,
    rateLimit: false,
    searchRateLimit: false,
    retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 1 },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    ...options,
  });
  return { fake, client, lines };
}

const leaks = (value: unknown) => {
  const texts = [JSON.stringify(value)];
  if (value instanceof Error) texts.push(value.message, String(value.stack), String(value));
  return texts.some((text) => text.includes(TOKEN) || text.includes(TOKEN.slice(8, 30)));
};

describe.each(['token', 'oauth'] as const)('secrets (%s auth)', (auth) => {
  it('keeps the token out of an error whose body echoes it, and out of the logs', async () => {
    const { fake, client, lines } = setup(auth);
    fake.script('/api/v2/persons/1', () => pipedriveError(400, `Bad token ${TOKEN} (x-api-token: ${TOKEN})`));
    const result = await client.persons.get(1);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(leaks(result.error)).toBe(false);
      expect(leaks(result.error.toJSON())).toBe(false);
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((line) => line.includes(TOKEN))).toBe(false);
  });

  it('keeps the token out of a 401, a network failure and an HTML 403', async () => {
    const { fake, client } = setup(auth);
    fake.script('/api/v2/persons/1', () => pipedriveError(401, `The token ${TOKEN} is invalid`));
    fake.script('/api/v2/persons/2', () => {
      throw new TypeError(`fetch failed for https://acme.pipedrive.test/?api_token=${TOKEN}`);
    });
    fake.script(
      '/api/v2/persons/3',
      () => new Response(`<html>${TOKEN}</html>`, { status: 403, headers: { 'content-type': 'text/html' } }),
    );
    for (const id of [1, 2, 3]) {
      const result = await client.persons.get(id);
      expect(result.success).toBe(false);
      if (!result.success) expect(leaks(result.error)).toBe(false);
    }
  });
});

describe('secrets in configuration', () => {
  it('never quotes a refused token in the CONFIG_ERROR', () => {
    for (const options of [
      { apiToken: `${TOKEN} with spaces`, companyDomain: 'acme' },
      { apiToken: TOKEN, companyDomain: `${TOKEN}.evil/` },
      { apiToken: TOKEN, baseUrl: `not a url ${TOKEN}` },
    ]) {
      try {
        createPipedriveClient(options as never);
        expect.unreachable();
      } catch (error) {
        expect(leaks(error)).toBe(false);
      }
    }
  });
});
