// What every part of the PostHog benchmark gives run.ts: rows for the summary table and its own section of
// text. A new measurement is one more phase in run.ts's list.
import type { EmulatorProcess } from './emulator-process.ts';

/** What a phase runs with. */
export interface PhaseContext {
  emulator: EmulatorProcess;
  /** A scratch directory, removed after the run. */
  dir: string;
  /** Patchbay's outbox: `sqlite` for the figures, `memory` only while developing. */
  store: 'sqlite' | 'memory';
  log(message: string): void;
}

/** One line of the summary table. */
export interface SummaryRow {
  measure: string;
  patchbay: string;
  posthogNode: string;
  target: string;
  /** `met`, `not met`, or `—` where the row has no target. */
  verdict: string;
}

/** What a phase reports. */
export interface PhaseReport {
  rows: SummaryRow[];
  /** Its own section (a `###` heading and below), or empty. */
  markdown: string;
  /** What its figures say, a sentence or two for the section's reading paragraph, or empty. */
  reading: string;
}

/** A part of the benchmark. */
export interface Phase {
  name: string;
  run(context: PhaseContext): Promise<PhaseReport>;
}

export { fmt, met } from '../shared/format.ts';
