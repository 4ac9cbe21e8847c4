import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostHogEmulator, POSTHOG_EMULATOR_PROJECT_KEY } from './emulator.ts';
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

  it('builds a fresh emulator from options, refusing bad ones by name', () => {
    expect(posthogMswHandlers({ projectKey: 'phc_x' })).toHaveLength(1);
    expect(() => posthogMswHandlers({ projectKey: '' })).toThrow(
      expect.objectContaining({ field: 'projectKey' }),
    );
  });
});
