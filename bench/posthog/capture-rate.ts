// Capture rate with durability on: events/s from the first capture() to the last one returning, with
// {@link CALLERS} callers in flight (a busy web server), in a fresh process per variant and run (rate-child.ts),
// RUNS runs interleaved, judged on the median (the machine is shared: one run can land on a busy second).
// Patchbay's capture() returns once the event is committed to the SQLite outbox (synchronous=FULL); it is measured
// with its sender held (capture alone: the target's figure) and with its sender sending meanwhile (the default).
// posthog-node's capture() returns before anything is stored anywhere: its rate is an in-memory one, for scale. BENCH_POSTHOG_PROFILE=<dir> writes a CPU
// profile of each child there (node --cpu-prof) and the measured window beside it: read them with
// profile-summary.ts.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorSummary } from './emulator.ts';
import { fmt, met, type Phase, type PhaseContext } from './phase.ts';
import type { RateChildLine } from './rate-child.ts';
import { CALLERS } from './traffic.ts';

const WARMUP = Number(process.env.BENCH_POSTHOG_RATE_WARMUP ?? 20_000);
const EVENTS = Number(process.env.BENCH_POSTHOG_RATE_EVENTS ?? 200_000);
const TARGET = 100_000;
const RUNS = Number(process.env.BENCH_POSTHOG_RATE_RUNS ?? 3);
const PROFILE = process.env.BENCH_POSTHOG_PROFILE;

/** What is measured, in the order of the table's columns. */
const VARIANTS = ['patchbay-held', 'patchbay', 'posthog-node'] as const;
type Variant = (typeof VARIANTS)[number];
const LABELS: Record<Variant, string> = {
  'patchbay-held': '@patchbay/posthog, sender held',
  patchbay: '@patchbay/posthog, sender on (default)',
  'posthog-node': 'posthog-node (in memory)',
};

interface RateRun {
  line: RateChildLine;
  seen: EmulatorSummary;
}

async function rateRun(context: PhaseContext, variant: Variant, run: number): Promise<RateRun> {
  await context.emulator.reset();
  const store =
    context.store === 'sqlite' ? `sqlite:${join(context.dir, `rate-${variant}-${run}.db`)}` : 'memory:';
  const { url, projectKey } = context.emulator;
  const execArgv = PROFILE
    ? [
        ...process.execArgv,
        '--cpu-prof',
        '--cpu-prof-dir',
        PROFILE,
        '--cpu-prof-name',
        `${variant}-${run}.cpuprofile`,
      ]
    : process.execArgv;
  const child = fork(
    join(import.meta.dirname, 'rate-child.ts'),
    [variant, String(WARMUP), String(EVENTS), url, projectKey, store],
    { execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`rate-child ${variant} exited (${code}): ${stderr.slice(-2_000)}`);
  if (stderr.trim() !== '') context.log(`rate-child ${variant} stderr: ${stderr.trim().slice(0, 500)}`);
  const line = JSON.parse(stdout.trim().split('\n').at(-1)!) as RateChildLine;
  // The measured window, for profile-summary.ts to read the profile of the burst alone.
  if (PROFILE) writeFileSync(join(PROFILE, `${variant}-${run}.window.json`), JSON.stringify(line.window));
  const seen = await context.emulator.summary();
  context.log(
    `rate ${run + 1}/${RUNS}, ${LABELS[variant]}: ${fmt(rate(line))} events/s; ${line.sentDuring ?? '—'} sent during; ${seen.uniqueEvents} of ${WARMUP + EVENTS} received`,
  );
  return { line, seen };
}

const rate = (line: RateChildLine) => line.captured / (line.elapsedMs / 1000);

/** The run with the median rate (the middle one of an odd count, the lower middle of an even one). */
function median(runs: RateRun[]): RateRun {
  const sorted = [...runs].sort((a, b) => rate(a.line) - rate(b.line));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Capture rate with durability on (Patchbay, sender held and sender on) beside posthog-node's in-memory rate. */
export const capturePhase: Phase = {
  name: 'rate',
  async run(context) {
    const runs = new Map<Variant, RateRun[]>();
    for (let run = 0; run < RUNS; run++) {
      for (const variant of VARIANTS)
        runs.set(variant, [...(runs.get(variant) ?? []), await rateRun(context, variant, run)]);
    }
    const mid = (variant: Variant) => median(runs.get(variant)!);
    const dropped = (variant: Variant) => WARMUP + EVENTS - mid(variant).seen.uniqueEvents;
    const row = (title: string, cell: (run: RateRun, variant: Variant) => string) =>
      `| ${title} | ${VARIANTS.map((variant) => cell(mid(variant), variant)).join(' | ')} |`;
    const held = rate(mid('patchbay-held').line);
    const on = rate(mid('patchbay').line);
    const theirs = rate(mid('posthog-node').line);
    const durable = context.store === 'sqlite';
    const markdown = `### Capture rate

A fresh process per variant and run: a warm-up burst of ${fmt(WARMUP)} events, then ${fmt(EVENTS)} events measured with
${fmt(CALLERS)} callers in flight (each starts its next capture when its last one returned), then shutdown; ${RUNS} runs per
variant, interleaved, the median shown. The rate runs from the first capture() to the last one returning.
Patchbay: capture() returns once the event is committed to the ${durable ? 'SQLite outbox (group commit, synchronous=FULL: every commit reaches the disk)' : 'memory store (development run)'}.
**Sender held** is the figure without sending, which the target is about: its requests wait at a gate (the \`fetch\`
option) from the start of the measured burst to its end, so its sender claims its first batches and waits; nothing is
gzipped or sent until the burst is over. **Sender on** is the default client: its sender gzips and sends batches
in the same process meanwhile, so that work is inside the figure. posthog-node: capture() returns before the event is
stored anywhere (a queue in memory, filled a few microtasks later): its rate is an in-memory one, given for scale.
When its queue holds 10 000 events each new one drops the oldest, silently (its "Queue is full" warning prints only
with debug on): the dropped row counts events captured that never arrived.

${row('', (_, variant) => LABELS[variant])}
|---|---|---|---|
${row('**events/s (median run)**', (run) => `**${fmt(rate(run.line))}**`)}
${row('events/s, every run', (_, variant) =>
  runs
    .get(variant)!
    .map((run) => fmt(rate(run.line)))
    .join(' / '),
)}
${row('events measured per run', (run) => fmt(run.line.captured))}
${row('capture time (median run)', (run) => `${(run.line.elapsedMs / 1000).toFixed(2)} s`)}
${row('durable when capture() returns', (_, variant) => (variant === 'posthog-node' ? 'no (memory)' : durable ? 'yes (SQLite, synchronous=FULL)' : 'no (memory store)'))}
${row('sent during the measured burst', (run) => (run.line.sentDuring === null ? '—' : fmt(run.line.sentDuring)))}
${row('shutdown, final flush (median run)', (run) => `${(run.line.closeMs / 1000).toFixed(2)} s`)}
${row(`events received of ${fmt(WARMUP + EVENTS)} captured (median run)`, (run) => fmt(run.seen.uniqueEvents))}
${row('events dropped, never sent (median run)', (_, variant) => fmt(dropped(variant)))}
${row('requests (median run)', (run) => fmt(run.seen.requests))}
`;
    const reading = `Capture with durability on ran at ${fmt(held)} events/s with the sender held (target ${fmt(TARGET)}: ${met(held >= TARGET && durable)}) and at ${fmt(on)} events/s with the sender sending ${fmt(mid('patchbay').line.sentDuring ?? 0)} events in the same process meanwhile; posthog-node's in-memory capture ran at ${fmt(theirs)} events/s, and at that rate its queue dropped ${fmt(dropped('posthog-node'))} of ${fmt(WARMUP + EVENTS)} events without a word.`;
    return {
      reading,
      rows: [
        {
          measure: `capture rate, ${fmt(CALLERS)} callers in flight, sender held (events/s, median of ${RUNS})`,
          patchbay: `${fmt(held)} (${durable ? 'durable' : 'memory store'})`,
          posthogNode: `${fmt(theirs)} (in memory; ${fmt(dropped('posthog-node'))} of ${fmt(WARMUP + EVENTS)} dropped)`,
          target: `≥ ${fmt(TARGET)}`,
          verdict: met(held >= TARGET && durable),
        },
        {
          measure: `capture rate, ${fmt(CALLERS)} callers in flight, sender on (events/s, median of ${RUNS})`,
          patchbay: `${fmt(on)} (${durable ? 'durable' : 'memory store'}; ${fmt(mid('patchbay').line.sentDuring ?? 0)} sent meanwhile)`,
          posthogNode: '—',
          target: '—',
          verdict: '—',
        },
      ],
      markdown,
    };
  },
};
