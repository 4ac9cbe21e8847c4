// Capture rate with durability on: events/s from the first capture() to the last one returning, with
// {@link CALLERS} callers in flight (a busy web server), in a fresh process per client and run (rate-child.ts),
// RUNS runs interleaved, judged on the median (the machine is shared: one run can land on a busy second).
// Patchbay's capture() returns once the event is committed to the SQLite outbox (synchronous=FULL); its sender is
// on meanwhile. posthog-node's capture() returns before anything is stored anywhere: its rate is an in-memory
// one, beside ours for scale. BENCH_POSTHOG_PROFILE=<dir> writes a CPU
// profile of each child there (node --cpu-prof) and the measured window beside it: read them with
// profile-summary.ts.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_LABELS, CLIENTS, type ClientName } from './clients.ts';
import type { EmulatorSummary } from './emulator.ts';
import { fmt, met, type Phase, type PhaseContext } from './phase.ts';
import type { RateChildLine } from './rate-child.ts';
import { CALLERS } from './traffic.ts';

const WARMUP = Number(process.env.BENCH_POSTHOG_RATE_WARMUP ?? 20_000);
const EVENTS = Number(process.env.BENCH_POSTHOG_RATE_EVENTS ?? 200_000);
const TARGET = 100_000;
const RUNS = Number(process.env.BENCH_POSTHOG_RATE_RUNS ?? 3);
const PROFILE = process.env.BENCH_POSTHOG_PROFILE;

interface RateRun {
  line: RateChildLine;
  seen: EmulatorSummary;
}

async function rateRun(context: PhaseContext, name: ClientName, run: number): Promise<RateRun> {
  await context.emulator.reset();
  const store =
    context.store === 'sqlite' ? `sqlite:${join(context.dir, `rate-${name}-${run}.db`)}` : 'memory:';
  const { url, projectKey } = context.emulator;
  const execArgv = PROFILE
    ? [
        ...process.execArgv,
        '--cpu-prof',
        '--cpu-prof-dir',
        PROFILE,
        '--cpu-prof-name',
        `${name}-${run}.cpuprofile`,
      ]
    : process.execArgv;
  const child = fork(
    join(import.meta.dirname, 'rate-child.ts'),
    [name, String(WARMUP), String(EVENTS), url, projectKey, store],
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
  if (code !== 0) throw new Error(`rate-child ${name} exited (${code}): ${stderr.slice(-2_000)}`);
  if (stderr.trim() !== '') context.log(`rate-child ${name} stderr: ${stderr.trim().slice(0, 500)}`);
  const line = JSON.parse(stdout.trim().split('\n').at(-1)!) as RateChildLine;
  // The measured window, for profile-summary.ts to read the profile of the burst alone.
  if (PROFILE) writeFileSync(join(PROFILE, `${name}-${run}.window.json`), JSON.stringify(line.window));
  const seen = await context.emulator.summary();
  context.log(
    `rate ${run + 1}/${RUNS}, ${CLIENT_LABELS[name]}: ${fmt(rate(line))} events/s; ${seen.uniqueEvents} of ${WARMUP + EVENTS} received`,
  );
  return { line, seen };
}

const rate = (line: RateChildLine) => line.captured / (line.elapsedMs / 1000);

/** The run with the median rate (the middle one of an odd count, the lower middle of an even one). */
function median(runs: RateRun[]): RateRun {
  const sorted = [...runs].sort((a, b) => rate(a.line) - rate(b.line));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Capture rate with durability on (Patchbay) beside posthog-node's in-memory rate. */
export const capturePhase: Phase = {
  name: 'rate',
  async run(context) {
    const runs = new Map<ClientName, RateRun[]>();
    for (let run = 0; run < RUNS; run++) {
      for (const name of CLIENTS)
        runs.set(name, [...(runs.get(name) ?? []), await rateRun(context, name, run)]);
    }
    const mid = (name: ClientName) => median(runs.get(name)!);
    const row = (title: string, cell: (run: RateRun, name: ClientName) => string) =>
      `| ${title} | ${CLIENTS.map((name) => cell(mid(name), name)).join(' | ')} |`;
    const ours = rate(mid('patchbay').line);
    const sentDuring = mid('patchbay').line.sentDuring ?? 0;
    const durable = context.store === 'sqlite';
    const markdown = `### Capture rate

A fresh process per client and run: a warm-up burst of ${fmt(WARMUP)} events, then ${fmt(EVENTS)} events measured with
${fmt(CALLERS)} callers in flight (each starts its next capture when its last one returned), then shutdown; ${RUNS} runs per
client, interleaved, the median shown. The rate runs from the first capture() to the last one returning.
Patchbay: capture() returns once the event is committed to the ${durable ? 'SQLite outbox (group commit, synchronous=FULL: every commit reaches the disk)' : 'memory store (development run)'}.
**Its sender is on**, but ${sentDuring === 0 ? "sent nothing during the measured window: node:sqlite answers synchronously, so 1 000 callers awaiting captures keep the microtask queue full and the sender's gzip and fetch, which need a turn of the event loop, wait for the burst to end (a web server, whose requests arrive through the event loop, gives it turns). The figure is capture alone" : `sent ${fmt(sentDuring)} events during the measured window: its work is inside the figure`}.
posthog-node: capture() returns before the event is stored anywhere (a queue in memory, filled a few microtasks
later): its rate is an in-memory one, given for scale. When its queue holds 10 000 events each new one drops the
oldest, silently (its "Queue is full" warning prints only with debug on): the dropped row counts events captured that
never arrived.

${row('', (_, name) => CLIENT_LABELS[name])}
|---|---|---|
${row('**events/s (median run)**', (run) => `**${fmt(rate(run.line))}**`)}
${row('events/s, every run', (_, name) =>
  runs
    .get(name)!
    .map((run) => fmt(rate(run.line)))
    .join(' / '),
)}
${row('events measured per run', (run) => fmt(run.line.captured))}
${row('capture time (median run)', (run) => `${(run.line.elapsedMs / 1000).toFixed(2)} s`)}
${row('durable when capture() returns', (_, name) => (name === 'patchbay' ? (durable ? 'yes (SQLite, synchronous=FULL)' : 'no (memory store)') : 'no (memory)'))}
${row('sent during the measured window', (run) => (run.line.sentDuring === null ? '—' : fmt(run.line.sentDuring)))}
${row('shutdown, final flush (median run)', (run) => `${(run.line.closeMs / 1000).toFixed(2)} s`)}
${row(`events received of ${fmt(WARMUP + EVENTS)} captured (median run)`, (run) => fmt(run.seen.uniqueEvents))}
${row('events dropped, never sent (median run)', (run) => fmt(WARMUP + EVENTS - run.seen.uniqueEvents))}
${row('requests (median run)', (run) => fmt(run.seen.requests))}
`;
    const theirs = mid('posthog-node');
    const reading = `Capture with durability on ran at ${fmt(ours)} events/s (target ${fmt(TARGET)}: ${met(ours >= TARGET && durable)}); posthog-node's in-memory capture ran at ${fmt(rate(theirs.line))} events/s, and at that rate its queue dropped ${fmt(WARMUP + EVENTS - theirs.seen.uniqueEvents)} of ${fmt(WARMUP + EVENTS)} events without a word.`;
    return {
      reading,
      rows: [
        {
          measure: `capture rate, ${fmt(CALLERS)} callers in flight (events/s, median of ${RUNS})`,
          patchbay: `${fmt(ours)} (${durable ? 'durable' : 'memory store'})`,
          posthogNode: `${fmt(rate(mid('posthog-node').line))} (in memory; ${fmt(WARMUP + EVENTS - mid('posthog-node').seen.uniqueEvents)} of ${fmt(WARMUP + EVENTS)} dropped)`,
          target: `≥ ${fmt(TARGET)}`,
          verdict: met(ours >= TARGET && durable),
        },
      ],
      markdown,
    };
  },
};
