// The PostHog emulator in its own process, so gunzipping and parsing what the clients send never shows in the
// process being measured. It is what startPostHogEmulator serves (createPostHogEmulator on serveEmulator), with
// one addition: the body bytes of each request are counted before the emulator reads them, so a figure of bytes
// sent per event can be given (the emulator's counters count requests only), and the events in each /batch/
// request are counted, so a table can show how full the requests were. Answers the parent over IPC.
import { gunzipSync } from 'node:zlib';
import { createPostHogEmulator, serveEmulator } from '@patchbay/emulators';

/** What the parent asks. */
export interface EmulatorRequest {
  id: number;
  op: 'summary' | 'reset';
}

/** What the emulator saw since its last reset. */
export interface EmulatorSummary {
  /** Every request, any path and outcome. */
  requests: number;
  /** Requests by outcome (`'200'`, `'400'`…). */
  byOutcome: Record<string, number>;
  /** Request bodies as sent (gzipped when the client gzips), in bytes. */
  bodyBytes: number;
  /** Requests that carried `Content-Encoding: gzip` (or `?compression=gzip-js`). */
  gzipped: number;
  /** Events kept, a uuid sent twice counted twice. */
  events: number;
  /** Distinct uuids kept: the events that reached PostHog. */
  uniqueEvents: number;
  /** Events whose uuid was already kept (a batch sent again). */
  duplicates: number;
  /** Events per `/batch/` request: smallest, median, largest (null without one). */
  batchSizes: { min: number; median: number; max: number } | null;
}

const projectKey = process.argv[2];
if (!projectKey) throw new Error('usage: emulator.ts <projectKey>');
const emulator = createPostHogEmulator({ projectKey });
let bodyBytes = 0;
let gzipped = 0;
let batchSizes: number[] = [];
const server = await serveEmulator(async (request) => {
  const body = new Uint8Array(await request.clone().arrayBuffer());
  bodyBytes += body.byteLength;
  const url = new URL(request.url);
  const isGzip =
    request.headers.get('content-encoding')?.includes('gzip') ||
    url.searchParams.get('compression') === 'gzip-js';
  if (isGzip) gzipped += 1;
  if (url.pathname === '/batch/') {
    try {
      const text = (isGzip ? gunzipSync(body) : Buffer.from(body)).toString('utf8');
      const batch = (JSON.parse(text) as { batch?: unknown }).batch;
      if (Array.isArray(batch)) batchSizes.push(batch.length);
    } catch {
      // Not a batch the emulator will take either: its answer says why.
    }
  }
  return emulator.handler(request);
});

function summary(): EmulatorSummary {
  const snapshot = emulator.counters.snapshot();
  const byOutcome: Record<string, number> = {};
  for (const route of Object.values(snapshot.byRoute)) {
    for (const [outcome, n] of Object.entries(route.byOutcome))
      byOutcome[outcome] = (byOutcome[outcome] ?? 0) + n;
  }
  const events = emulator.events();
  return {
    requests: snapshot.total,
    byOutcome,
    bodyBytes,
    gzipped,
    events: events.length,
    uniqueEvents: new Set(events.map((event) => event.uuid)).size,
    duplicates: emulator.duplicateCount(),
    batchSizes: spread(batchSizes),
  };
}

function spread(values: number[]): EmulatorSummary['batchSizes'] {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
}

process.on('message', (message: EmulatorRequest) => {
  if (message.op === 'reset') {
    emulator.reset();
    bodyBytes = 0;
    gzipped = 0;
    batchSizes = [];
    process.send?.({ id: message.id, summary: summary() });
  } else process.send?.({ id: message.id, summary: summary() });
});
// The parent going away (a failed bench) must not leave the server running.
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
process.send?.({ url: server.url });
