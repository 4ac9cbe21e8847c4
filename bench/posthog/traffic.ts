// How events arrive: a burst (as fast as the client takes them, a thousand callers at a time, as a busy web
// server's requests would) or a steady rate paced by a timer. Both wait for what capture() returned (Patchbay:
// durability) and report failures instead of hiding them.
import { setTimeout as sleep, setImmediate as tick } from 'node:timers/promises';
import type { BenchClient } from './clients.ts';
import { benchEvent } from './events.ts';

/** Callers with a capture in flight at once. */
export const CALLERS = 1_000;

/** What a run of traffic did. */
export interface TrafficRun {
  captured: number;
  elapsedMs: number;
}

/**
 * Captures `count` events as fast as the client takes them: up to {@link CALLERS} captures in flight; a new one
 * starts as one returns. For posthog-node, whose capture() returns at once, that is {@link CALLERS} calls per
 * turn of the event loop (its background sends run between turns).
 */
export async function burst(client: BenchClient, count: number, first = 0): Promise<TrafficRun> {
  const started = performance.now();
  let next = first;
  const end = first + count;
  async function caller(): Promise<void> {
    while (next < end) {
      const sent = client.capture(benchEvent(next++));
      // posthog-node's capture() returns nothing: yield so the other callers (and its timers) get their turn.
      if (sent) await sent;
      else await tick();
    }
  }
  await Promise.all(Array.from({ length: Math.min(CALLERS, count) }, caller));
  return { captured: count, elapsedMs: performance.now() - started };
}

/**
 * Captures at `perSecond` for `durationMs`: every 10 ms the events due by then are captured, without waiting
 * for the previous ones (a server's requests do not wait for each other); waits for all of them at the end.
 */
export async function steady(
  client: BenchClient,
  options: { perSecond: number; durationMs: number },
): Promise<TrafficRun> {
  const started = performance.now();
  const total = Math.round((options.perSecond * options.durationMs) / 1000);
  const inFlight: Promise<void>[] = [];
  let next = 0;
  while (next < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * options.perSecond) / 1000));
    while (next < due) {
      const sent = client.capture(benchEvent(next++));
      if (sent) inFlight.push(sent);
    }
    await sleep(10);
  }
  await Promise.all(inFlight);
  return { captured: total, elapsedMs: performance.now() - started };
}
