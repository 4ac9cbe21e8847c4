// The access token never leaves the client in anything it returns or logs: errors (message, stack, toJSON), batch
// outcomes, log lines, connector test results, whatever the server echoes back.
import { ok, toSecret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createFakeHubSpot, hubspotError, jsonResponse } from '../test-support/fake-hubspot.ts';
import { createHubSpotClient, type HubSpotClientOptions } from './client.ts';

const TOKEN = 'pat-na1-5ecret-70ken-do-not-leak';

function setup(options: Partial<HubSpotClientOptions> = {}) {
  const fake = createFakeHubSpot({ token: TOKEN });
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: unknown) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  const client = createHubSpotClient({
    accessToken: TOKEN,
    baseUrl: 'https://api.hubapi.test',
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
  return texts.some((text) => text.includes(TOKEN) || text.includes(TOKEN.slice(8)));
};

describe('secrets', () => {
  it('keeps the token out of an error whose body echoes it, and out of the logs', async () => {
    const { fake, client, lines } = setup();
    fake.script('/contacts/1', () =>
      hubspotError(400, 'VALIDATION_ERROR', `Bad token Bearer ${TOKEN} for ${TOKEN}`),
    );
    const result = await client.contacts.get('1');
    expect(result.success).toBe(false);
    if (!result.success) expect(leaks(result.error)).toBe(false);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((line) => line.includes(TOKEN))).toBe(false);
  });

  it('keeps the token out of batch outcomes', async () => {
    const { fake, client } = setup();
    fake.script('/batch/create', () =>
      jsonResponse(207, {
        status: 'COMPLETE',
        results: [],
        numErrors: 1,
        errors: [
          { status: 'error', category: 'VALIDATION_ERROR', message: `token ${TOKEN} invalid`, context: {} },
        ],
      }),
    );
    const result = await client.contacts.batchCreate([{ properties: { email: 'a@example.com' } }]);
    expect(result.success).toBe(true);
    expect(leaks(result)).toBe(false);
  });

  it('keeps the token out of a 401, a network failure and a DAILY 429', async () => {
    const { fake, client } = setup();
    fake.script('/contacts/1', () =>
      hubspotError(401, 'INVALID_AUTHENTICATION', `The token ${TOKEN} is expired`),
    );
    fake.script('/contacts/2', () => {
      throw new TypeError(`fetch failed for Bearer ${TOKEN}`);
    });
    for (const id of ['1', '2']) {
      const result = await client.contacts.get(id);
      expect(result.success).toBe(false);
      if (!result.success) expect(leaks(result.error)).toBe(false);
    }
  });

  it('never quotes a refused token in the CONFIG_ERROR', () => {
    try {
      createHubSpotClient({ accessToken: `${TOKEN}\n` as never, baseUrl: `https://${TOKEN}.test/` });
    } catch (error) {
      expect(leaks(error)).toBe(false);
    }
    try {
      createHubSpotClient({ accessToken: TOKEN, apiVersion: TOKEN as never });
      expect.unreachable();
    } catch (error) {
      expect(leaks(error)).toBe(false);
    }
  });

  it('keeps an OAuth access token out of batch outcomes and errors too', async () => {
    const fake = createFakeHubSpot({ token: TOKEN });
    const client = createHubSpotClient({
      oauth: { getAccessToken: async () => ok(toSecret(TOKEN)) },
      baseUrl: 'https://api.hubapi.test',
      fetch: fake.fetch,
      rateLimit: false,
      searchRateLimit: false,
      retry: false,
    });
    fake.script('/batch/create', () =>
      jsonResponse(207, {
        status: 'COMPLETE',
        results: [],
        numErrors: 1,
        errors: [
          { status: 'error', category: 'VALIDATION_ERROR', message: `token ${TOKEN} invalid`, context: {} },
        ],
      }),
    );
    const created = await client.contacts.batchCreate([{ properties: { email: 'a@example.com' } }]);
    expect(created.success).toBe(true);
    expect(JSON.stringify(created)).toContain('[REDACTED]');
    expect(leaks(created)).toBe(false);
    fake.script('/batch/read', () => hubspotError(400, 'VALIDATION_ERROR', `bad token ${TOKEN}`));
    const read = await client.contacts.batchRead(['1']);
    expect(leaks(read)).toBe(false);
  });
});
