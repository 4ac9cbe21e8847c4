// Requests per 1 000 events, and bytes on the wire per event: a burst of 10 000, then a steady 2 000 events/s
// for 10 s, each client on a freshly reset emulator, counted by the emulator (every request, final flush included).
import { join } from 'node:path';
import { CLIENT_LABELS, CLIENTS, type ClientName, openClient } from './clients.ts';
import type { EmulatorSummary } from './emulator.ts';
import { fmt, met, type Phase, type PhaseContext } from './phase.ts';
import { burst, CALLERS, steady, type TrafficRun } from './traffic.ts';

const BURST = Number(process.env.BENCH_POSTHOG_BURST ?? 10_000);
const STEADY = { perSecond: 2_000, durationMs: Number(process.env.BENCH_POSTHOG_STEADY_MS ?? 10_000) };
const TARGET_PER_1000 = 1;

interface Measured {
  run: TrafficRun;
  closeMs: number;
  seen: EmulatorSummary;
}

async function measure(
  context: PhaseContext,
  name: ClientName,
  label: string,
  drive: (client: ReturnType<typeof openClient>) => Promise<TrafficRun>,
): Promise<Measured> {
  await context.emulator.reset();
  const store =
    context.store === 'sqlite' ? `sqlite:${join(context.dir, `requests-${label}-${name}.db`)}` : 'memory:';
  const client = openClient(name, {
    url: context.emulator.url,
    projectKey: context.emulator.projectKey,
    store,
  });
  const run = await drive(client);
  const closing = performance.now();
  await client.close();
  const closeMs = performance.now() - closing;
  const seen = await context.emulator.summary();
  context.log(
    `${label}, ${CLIENT_LABELS[name]}: ${run.captured} events in ${(run.elapsedMs / 1000).toFixed(1)} s, ${seen.requests} requests, ${seen.uniqueEvents} received`,
  );
  return { run, closeMs, seen };
}

const per1000 = (m: Measured) => (m.seen.requests / m.run.captured) * 1000;
const bytesPerEvent = (m: Measured) => m.seen.bodyBytes / Math.max(1, m.seen.events);
const lost = (m: Measured) => m.run.captured - m.seen.uniqueEvents;

/** Requests per 1 000 events in a burst and at a steady rate. */
export const requestsPhase: Phase = {
  name: 'requests',
  async run(context) {
    const runs = { burst: new Map<ClientName, Measured>(), steady: new Map<ClientName, Measured>() };
    for (const name of CLIENTS) {
      runs.burst.set(name, await measure(context, name, 'burst', (client) => burst(client, BURST)));
    }
    for (const name of CLIENTS) {
      runs.steady.set(name, await measure(context, name, 'steady', (client) => steady(client, STEADY)));
    }
    const get = (kind: keyof typeof runs, name: ClientName) => runs[kind].get(name)!;
    const row = (kind: keyof typeof runs, title: string, cell: (m: Measured) => string) =>
      `| ${title} | ${CLIENTS.map((name) => cell(get(kind, name))).join(' | ')} |`;
    const table = (kind: keyof typeof runs) =>
      [
        `| | ${CLIENTS.map((name) => CLIENT_LABELS[name]).join(' | ')} |`,
        '|---|---|---|',
        row(kind, 'events captured', (m) => fmt(m.run.captured)),
        row(kind, 'capture time', (m) => `${(m.run.elapsedMs / 1000).toFixed(2)} s`),
        row(kind, 'shutdown (final flush)', (m) => `${(m.closeMs / 1000).toFixed(2)} s`),
        row(kind, 'requests', (m) => fmt(m.seen.requests)),
        row(kind, '**requests per 1 000 events**', (m) => `**${fmt(per1000(m), 2)}**`),
        row(kind, 'events per request: smallest / median / largest', (m) =>
          m.seen.batchSizes
            ? `${fmt(m.seen.batchSizes.min)} / ${fmt(m.seen.batchSizes.median)} / ${fmt(m.seen.batchSizes.max)}`
            : '—',
        ),
        row(kind, 'gzipped requests', (m) => `${fmt(m.seen.gzipped)} of ${fmt(m.seen.requests)}`),
        row(kind, 'body bytes per event (as sent)', (m) => fmt(bytesPerEvent(m), 1)),
        row(kind, 'events received (distinct uuids)', (m) => fmt(m.seen.uniqueEvents)),
        row(kind, 'events lost', (m) => fmt(lost(m))),
        row(kind, 'duplicates received', (m) => fmt(m.seen.duplicates)),
        row(kind, 'answers', (m) =>
          Object.entries(m.seen.byOutcome)
            .map(([outcome, n]) => `${fmt(n)} × ${outcome}`)
            .join(', '),
        ),
      ].join('\n');
    const ours = { burst: per1000(get('burst', 'patchbay')), steady: per1000(get('steady', 'patchbay')) };
    const theirs = {
      burst: per1000(get('burst', 'posthog-node')),
      steady: per1000(get('steady', 'posthog-node')),
    };
    const steadyOurs = get('steady', 'patchbay').seen.batchSizes;
    const burstOurs = get('burst', 'patchbay').seen.batchSizes;
    const reading = `In a burst Patchbay's requests carried a median of ${fmt(burstOurs?.median ?? 0)} events: ${fmt(ours.burst, 2)} requests per 1 000 events against posthog-node's ${fmt(theirs.burst, 2)} (its batches hold 100 at most). At a steady ${fmt(STEADY.perSecond)} events/s it made ${fmt(ours.steady, 2)} per 1 000${
      steadyOurs
        ? ` (its requests carried a median of ${fmt(steadyOurs.median)} events, smallest ${fmt(steadyOurs.min)})`
        : ''
    }${
      ours.steady > TARGET_PER_1000
        ? ', over its target: partial batches went out while full ones were filling'
        : ''
    }; posthog-node made ${fmt(theirs.steady, 2)}.`;
    const markdown = `### Requests per 1 000 events

Each client on a freshly reset emulator. **Burst**: ${fmt(BURST)} events captured as fast as the client takes them,
${fmt(CALLERS)} callers at a time (Patchbay: each caller awaits its capture(), i.e. durability, before the next;
posthog-node: its capture() returns at once, so ${fmt(CALLERS)} calls per turn of the event loop), then shutdown.
**Steady**: ${fmt(STEADY.perSecond)} events/s for ${STEADY.durationMs / 1000} s, the events due captured every 10 ms
by a timer, then shutdown. Requests are every request the emulator answered, the final flush included; bytes are
request bodies as they arrived (gzipped by both clients).

#### Burst of ${fmt(BURST)}

${table('burst')}

#### Steady ${fmt(STEADY.perSecond)} events/s for ${STEADY.durationMs / 1000} s

${table('steady')}
`;
    return {
      rows: [
        {
          measure: `requests per 1 000 events, burst of ${fmt(BURST)}`,
          patchbay: fmt(ours.burst, 2),
          posthogNode: fmt(theirs.burst, 2),
          target: `≤ ${TARGET_PER_1000}`,
          verdict: met(ours.burst <= TARGET_PER_1000),
        },
        {
          measure: `requests per 1 000 events, steady ${fmt(STEADY.perSecond)}/s`,
          patchbay: fmt(ours.steady, 2),
          posthogNode: fmt(theirs.steady, 2),
          target: `≤ ${TARGET_PER_1000}`,
          verdict: met(ours.steady <= TARGET_PER_1000),
        },
        {
          measure: 'body bytes per event, gzipped (steady)',
          patchbay: fmt(bytesPerEvent(get('steady', 'patchbay')), 1),
          posthogNode: fmt(bytesPerEvent(get('steady', 'posthog-node')), 1),
          target: '—',
          verdict: '—',
        },
      ],
      markdown,
      reading,
    };
  },
};
