import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type { BenchClient } from './clients.ts';
import type { BenchEvent } from './events.ts';
import { burst, CALLERS, steady } from './traffic.ts';

// A client whose capture() takes a millisecond, counting what is in flight.
function slowClient() {
  const seen: number[] = [];
  let inFlight = 0;
  let most = 0;
  const client: BenchClient = {
    capture: async (event: BenchEvent) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep(1);
      seen.push(event.properties.seq as number);
      inFlight -= 1;
    },
    close: async () => {},
  };
  return { client, seen, most: () => most };
}

it('burst captures each event once, at most CALLERS at a time, and waits for the last', async () => {
  const { client, seen, most } = slowClient();
  const run = await burst(client, 2_500, 100);
  expect(run.captured).toBe(2_500);
  expect(seen).toHaveLength(2_500);
  expect(new Set(seen).size).toBe(2_500);
  expect(Math.min(...seen)).toBe(100);
  expect(Math.max(...seen)).toBe(2_599);
  expect(most()).toBe(CALLERS);
});

it('burst drives a client whose capture() returns nothing (posthog-node) between turns of the event loop', async () => {
  const seen: number[] = [];
  let turns = 0;
  const timer = setInterval(() => {
    turns += 1;
  }, 0);
  await burst(
    { capture: (event) => void seen.push(event.properties.seq as number), close: async () => {} },
    5_000,
  );
  clearInterval(timer);
  expect(seen).toHaveLength(5_000);
  expect(turns).toBeGreaterThan(0);
});

it('steady captures rate × duration events, paced, and waits for all of them', async () => {
  const { client, seen } = slowClient();
  const run = await steady(client, { perSecond: 1_000, durationMs: 300 });
  expect(run.captured).toBe(300);
  expect(seen).toHaveLength(300);
  expect(run.elapsedMs).toBeGreaterThanOrEqual(290);
});
