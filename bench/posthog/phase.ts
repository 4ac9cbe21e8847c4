// What every part of the PostHog benchmark gives run.ts: rows for the summary table and its own section of
// text. A new measurement (the export of a million rows, the reading client's bundle) is one more phase in
// run.ts's list; a measurement not built yet is a pending phase, whose row says so.
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

/** `met` / `not met`. */
export const met = (ok: boolean) => (ok ? 'met' : 'not met');

/** A measurement that another part of the work will add: its rows say so until then. */
export function pendingPhase(
  name: string,
  rows: Omit<SummaryRow, 'patchbay' | 'posthogNode' | 'verdict'>[],
): Phase {
  return {
    name,
    run: async () => ({
      rows: rows.map((row) => ({ ...row, patchbay: 'not measured yet', posthogNode: '—', verdict: '—' })),
      markdown: '',
      reading: '',
    }),
  };
}

/** Numbers as the tables print them. */
export const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
