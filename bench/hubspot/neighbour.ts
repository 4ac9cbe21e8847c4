// Another part of the same app drawing on the same account's budget while a sync runs (a webhook handler, a
// second worker reading deals): `perWindow` requests per 10 s, evenly spaced, one at a time, on a route neither
// client uses (`GET /crm/v3/objects/deals`), so its requests are told apart in the emulator's counters.
import { setTimeout as sleep } from 'node:timers/promises';

/** The route key the neighbour's requests are counted under. */
export const NEIGHBOUR_ROUTE = 'GET /crm/v3/objects/deals';

/** What the neighbour did. */
export interface NeighbourReport {
  requests: number;
  rateLimited: number;
}

/** A neighbour running until stopped. */
export interface Neighbour {
  stop(): Promise<NeighbourReport>;
}

/** Starts sending `perWindow` requests per `windowMs` to `url` with `token`. */
export function startNeighbour(options: {
  url: string;
  token: string;
  perWindow: number;
  windowMs: number;
}): Neighbour {
  const report: NeighbourReport = { requests: 0, rateLimited: 0 };
  const gapMs = options.windowMs / options.perWindow;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${options.url}/crm/v3/objects/deals?limit=1`, {
        headers: { authorization: `Bearer ${options.token}` },
      });
      await response.arrayBuffer();
      report.requests++;
      if (response.status === 429) report.rateLimited++;
      await sleep(Math.max(0, gapMs - (performance.now() - started)));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return report;
    },
  };
}
