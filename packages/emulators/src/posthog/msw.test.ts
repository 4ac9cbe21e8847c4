import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostHogEmulator,
  POSTHOG_EMULATOR_PERSONAL_KEY,
  POSTHOG_EMULATOR_PROJECT_KEY,
} from './emulator.ts';
import { posthogMswHandlers } from './msw.ts';

const posthog = createPostHogEmulator();
const server = setupServer(...posthogMswHandlers(posthog));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

describe('posthogMswHandlers', () => {
  it('serves capture at the emulator baseUrl through msw', async () => {
    const answer = await fetch(`${posthog.baseUrl}/batch/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        api_key: POSTHOG_EMULATOR_PROJECT_KEY,
        batch: [{ event: 'signed_up', distinct_id: 'u1' }],
      }),
    });
    expect(answer.status).toBe(200);
    expect(posthog.events()).toMatchObject([{ event: 'signed_up' }]);
  });

  it('serves the query API through msw, over what was captured', async () => {
    const query = (body: unknown) =>
      fetch(`${posthog.baseUrl}/api/projects/1/query/`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${POSTHOG_EMULATOR_PERSONAL_KEY}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    const answer = await query({
      query: { kind: 'HogQLQuery', query: "select count() from events where event = 'signed_up'" },
    });
    expect(answer.status).toBe(200);
    expect((await answer.json()).results).toEqual([[1]]);
    const queued = await query({ query: { kind: 'HogQLQuery', query: 'select 1' }, refresh: 'force_async' });
    expect(queued.status).toBe(202);
    const { query_status } = await queued.json();
    const polled = await fetch(`${posthog.baseUrl}/api/projects/1/query/${query_status.id}/`, {
      headers: { Authorization: `Bearer ${POSTHOG_EMULATOR_PERSONAL_KEY}` },
    });
    expect(polled.status).toBe(200);
    expect(posthog.queryStats()).toMatchObject({ queries: 2, asyncQueries: 1, polls: 1 });
  });

  it('builds a fresh emulator from options, refusing bad ones by name', () => {
    expect(posthogMswHandlers({ projectKey: 'phc_x' })).toHaveLength(1);
    expect(() => posthogMswHandlers({ projectKey: '' })).toThrow(
      expect.objectContaining({ field: 'projectKey' }),
    );
  });
});
