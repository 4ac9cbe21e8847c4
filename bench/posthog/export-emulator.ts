// The PostHog emulator the export is read from, in its own process: a million events held in memory and every
// answer serialised there must not show in the process being measured. The events are generated and seeded here
// (sending them over IPC would take longer than making them); the query API's rate limits are off, because the
// export measures the exporter, not PostHog's 240 queries a minute (at which 100 pages would take 25 s of
// waiting). It counts the bytes of its answers, so the table can set them beside the CSV written, and the time it
// spent making them, so the table can tell the exporter's time from the emulator's.
// Its personal API key and project id are the emulator's defaults (POSTHOG_EMULATOR_PERSONAL_KEY, project 1).
// Usage: fork export-emulator.ts <count> <fromMs> <toMs>; it sends `{ url, seeded }`, then answers `stats`.
import { createPostHogEmulator, generatePostHogEvents, serveEmulator } from '@patchbay/emulators';

/** What the parent asks. */
export interface ExportEmulatorRequest {
  id: number;
  op: 'stats';
}

/** How the events were made and stored. */
export interface ExportEmulatorSeeded {
  events: number;
  generateMs: number;
  seedMs: number;
  /** The emulator process's resident memory once seeded. */
  rssBytes: number;
}

/** What the emulator has answered since it started. */
export interface ExportEmulatorStats {
  /** Every request, any route and outcome. */
  requests: number;
  /** Queries run (`POST /query/`), async polls, and 429s (none expected: the limits are off). */
  queries: number;
  polls: number;
  throttled: number;
  /** Bytes of the query API's answers as sent (JSON, uncompressed). */
  answerBytes: number;
  /** Milliseconds the emulator spent making its answers (running the queries, serialising the JSON). */
  answerMs: number;
}

const [count, fromMs, toMs] = process.argv.slice(2).map(Number);
if (!count || !fromMs || !toMs) throw new Error('usage: export-emulator.ts <count> <fromMs> <toMs>');

const emulator = createPostHogEmulator({ queryRateLimits: false });
const generating = performance.now();
let events: ReturnType<typeof generatePostHogEvents> | undefined = generatePostHogEvents({
  count,
  seed: 15,
  from: new Date(fromMs),
  to: new Date(toMs),
});
const seeding = performance.now();
// In slices: seedEvents copies what it is given, and a slice's copies can be collected before the next one's.
const SLICE = 50_000;
for (let at = 0; at < events.length; at += SLICE) emulator.seedEvents(events.slice(at, at + SLICE));
events = undefined;
const seeded: ExportEmulatorSeeded = {
  events: emulator.eventCount(),
  generateMs: seeding - generating,
  seedMs: performance.now() - seeding,
  rssBytes: process.memoryUsage().rss,
};

let answerBytes = 0;
let answerMs = 0;
const server = await serveEmulator(async (request) => {
  const started = performance.now();
  const response = await emulator.handler(request);
  // A fault's reset or hang (none is set here) passes as it is.
  if (!(response instanceof Response)) return response;
  const body = await response.arrayBuffer();
  answerMs += performance.now() - started;
  answerBytes += body.byteLength;
  return new Response(body, { status: response.status, headers: response.headers });
});

process.on('message', (message: ExportEmulatorRequest) => {
  const snapshot = emulator.counters.snapshot();
  const query = emulator.queryStats();
  const stats: ExportEmulatorStats = {
    requests: snapshot.total,
    queries: query.queries,
    polls: query.polls,
    throttled: query.throttled + query.concurrencyRefused,
    answerBytes,
    answerMs,
  };
  process.send?.({ id: message.id, stats });
});
// The parent going away (a failed bench) must not leave the server running.
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
process.send?.({ url: server.url, seeded });
