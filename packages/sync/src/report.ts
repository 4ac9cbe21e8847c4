import type { IntegrationError } from '@patchbay/core';

/** One record the sync could not write, with why. */
export interface SyncFailure {
  /** The record's external id, or `#position` in the stream when it has none usable. */
  externalId: string;
  error: IntegrationError;
}

/** What an `upsertMany` call did. */
export interface SyncReport {
  objectType: string;
  mode: string;
  created: number;
  updated: number;
  unchanged: number;
  /** Every record that failed, counted exactly. */
  failed: number;
  /** The first `maxReportedFailures` failures, in full; the rest are counted in `failuresOmitted`. */
  failures: SyncFailure[];
  /** Failures counted in `failed` but not kept in `failures` (the report's size stays bounded). */
  failuresOmitted: number;
  /** Parent records created on the fly, by object type (a person's company the remote did not have yet). */
  parentsCreated: Record<string, number>;
  /** Set when the sync is disabled and nothing was done. */
  skipped?: 'disabled';
}

/** Progress after each chunk. */
export type SyncProgress = Omit<SyncReport, 'failures' | 'failuresOmitted' | 'mode' | 'skipped'> & {
  processed: number;
};

/** A report being filled in, with the bookkeeping that is not part of it. */
export interface ReportBuilder {
  readonly report: SyncReport;
  /** Counts records as failed, keeping the first ones in full. */
  fail(ids: readonly string[], error: IntegrationError): void;
  /** The code of the last failure, kept or not, for the run log. */
  readonly lastErrorCode: string | null;
  /** The first failure that stops the run (see `SyncRemote.stopsRun`), once there is one. */
  readonly stoppedBy: IntegrationError | undefined;
  /** Records counted so far, whatever their outcome. */
  accounted(): number;
  progress(processed: number): SyncProgress;
}

/**
 * A fresh report of `objectType` that keeps at most `keep` failures in full; `stopsRun` tells a failure that
 * stops the run (one that throws counts as not stopping it).
 */
export function createReport(
  objectType: string,
  mode: string,
  keep: number,
  stopsRun?: (error: IntegrationError) => boolean,
): ReportBuilder {
  const report: SyncReport = {
    objectType,
    mode,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    failures: [],
    failuresOmitted: 0,
    parentsCreated: {},
  };
  let lastErrorCode: string | null = null;
  let stoppedBy: IntegrationError | undefined;
  const stops = (error: IntegrationError) => {
    try {
      return stopsRun?.(error) === true;
    } catch {
      return false;
    }
  };
  return {
    report,
    fail(ids, error) {
      for (const externalId of ids) {
        if (report.failures.length < keep) report.failures.push({ externalId, error });
        else report.failuresOmitted++;
      }
      report.failed += ids.length;
      if (ids.length > 0) lastErrorCode = error.code;
      if (ids.length > 0 && !stoppedBy && stops(error)) stoppedBy = error;
    },
    get stoppedBy() {
      return stoppedBy;
    },
    get lastErrorCode() {
      return lastErrorCode;
    },
    accounted: () => report.created + report.updated + report.unchanged + report.failed,
    progress: (processed) => ({
      objectType,
      processed,
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged,
      failed: report.failed,
      parentsCreated: { ...report.parentsCreated },
    }),
  };
}
