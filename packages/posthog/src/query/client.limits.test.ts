// The client's limits against the PostHog emulator's own throttles (DRF's sliding logs per key, the concurrency
// slots), through its msw handlers on a fake clock: 300 queries fired at once draw no 429.
import { createPostHogEmulator } from '@patchbay/emulators';
import { posthogMswHandlers } from '@patchbay/emulators/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostHogClient } from './client.ts';
import type { PostHogClientOptions } from './client-options.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

async function fire(
  count: number,
  emulatorOptions: Parameters<typeof createPostHogEmulator>[0],
  clientOptions: Partial<PostHogClientOptions> = {},
) {
  vi.useFakeTimers({ now: Date.UTC(2026, 11, 7) });
  const posthog = createPostHogEmulator(emulatorOptions);
  server.use(...posthogMswHandlers(posthog));
  const client = createPostHogClient({
    host: posthog.baseUrl,
    personalApiKey: posthog.personalApiKey,
    projectId: posthog.projectId,
    ...clientOptions,
  });
  const started = Date.now();
  const all = Promise.all(Array.from({ length: count }, (_, i) => client.hogql(`SELECT ${i}`)));
  let done = false;
  void all.then(() => {
    done = true;
  });
  while (!done) await vi.advanceTimersByTimeAsync(1_000);
  return { answers: await all, stats: posthog.queryStats(), elapsedMs: Date.now() - started };
}

describe('staying under the limits, against the emulator', () => {
  it('fires 300 queries at once and draws no 429 (240 a minute, 2 400 an hour, 3 at a time)', async () => {
    const { answers, stats, elapsedMs } = await fire(300, { queryLatencyMs: 100 });
    expect(answers.filter((answer) => !answer.success)).toEqual([]);
    expect(stats).toMatchObject({ queries: 300, throttled: 0, concurrencyRefused: 0 });
    expect(elapsedMs).toBeLessThan(150_000);
  });

  it('keeps a project of 120 queries an hour under its limit when told', async () => {
    const { answers, stats } = await fire(
      130,
      { queryRateLimits: { perHour: 120 } },
      { rateLimits: { perHour: 120 } },
    );
    expect(answers.every((answer) => answer.success)).toBe(true);
    expect(stats).toMatchObject({ queries: 130, throttled: 0 });
  });

  it('draws 429s from the same burst without its limits: the control, the throttles are real', async () => {
    const { stats } = await fire(300, { queryLatencyMs: 100 }, { rateLimits: false, retry: false });
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.concurrencyRefused).toBeGreaterThan(0);
  });
});
