// An alert when an integration's failures within a window reach a threshold (seed 003: 10 failures an hour).
// One alert per crossing: once sent, none again until the count has dropped below the threshold (failures aged
// out of the window) and crossed it anew, so a broken integration pages once, not once per failure. The count
// lives in this process: run it where the jobs of an integration run, or give each process its own threshold.
import { type ApiResult, IntegrationError, ok } from '@patchbay/core';
import type { JobHandler } from '../scheduler.ts';

/** What an alert says. */
export interface FailureAlert {
  integration: string;
  /** Failures within the window when it was sent. */
  failures: number;
  threshold: number;
  windowMs: number;
  /** Epoch ms. */
  at: number;
  /** The job kind and error of the failure that crossed the threshold, when known. */
  jobName: string | null;
  lastError: { code: string; message: string } | null;
}

/** Sends an alert somewhere: see `webhookAlertDeliverer` and `emailAlertDeliverer`. */
export type AlertDeliverer = (alert: FailureAlert) => Promise<ApiResult<void>>;

/** One failure to count. */
export interface FailureEvent {
  integration: string;
  jobName?: string;
  error?: { code: string; message: string };
}

/** Options of {@link alertOnFailures}. */
export interface FailureAlertOptions {
  /** Failures within the window that send an alert. Default 10. */
  threshold?: number;
  /** The window, in ms. Default one hour. */
  windowMs?: number;
  /** Where alerts go; several are all tried. */
  deliver: AlertDeliverer | readonly AlertDeliverer[];
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
}

/** Counts failures and alerts on each crossing of the threshold. */
export interface FailureAlerts {
  /** Counts a failure; sends the alert when it crosses the threshold. `alerted` says whether it did. */
  record(event: FailureEvent): Promise<ApiResult<{ alerted: boolean }>>;
  /** Wraps a job handler so each failed run (a throw, a rejection, a failed ApiResult) is recorded. */
  track<Data>(handler: JobHandler<Data>, options: { integration: string }): JobHandler<Data>;
}

/**
 * Creates a failure counter that alerts once per crossing of `threshold` failures within `windowMs`.
 * @example const alerts = alertOnFailures({ threshold: 10, windowMs: 3_600_000, deliver: webhookAlertDeliverer({ url }) });
 * @throws IntegrationError `CONFIG_ERROR` naming the field for a wrong option.
 */
export function alertOnFailures(options: FailureAlertOptions): FailureAlerts {
  const threshold = options.threshold ?? 10;
  const windowMs = options.windowMs ?? 3_600_000;
  const config = (field: string, message: string) =>
    new IntegrationError('CONFIG_ERROR', `Invalid option: ${field}: ${message}`, { field, retryable: false });
  if (!Number.isSafeInteger(threshold) || threshold < 1)
    throw config('threshold', 'must be a whole number ≥ 1');
  if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs <= 0)
    throw config('windowMs', 'must be a positive number');
  const deliverers = typeof options.deliver === 'function' ? [options.deliver] : [...(options.deliver ?? [])];
  if (deliverers.length === 0 || deliverers.some((d) => typeof d !== 'function'))
    throw config('deliver', 'must be a deliverer or a non-empty array of them');
  const now = options.now ?? Date.now;
  const state = new Map<string, { times: number[]; alerted: boolean }>();

  const send = async (alert: FailureAlert): Promise<ApiResult<void>> => {
    const failures: IntegrationError[] = [];
    await Promise.all(
      deliverers.map(async (deliver) => {
        try {
          const sent = await deliver(alert);
          if (!sent.success) failures.push(sent.error);
        } catch (thrown) {
          failures.push(
            new IntegrationError('OPERATION_FAILED', 'An alert deliverer threw', { cause: thrown }),
          );
        }
      }),
    );
    const first = failures[0];
    return first ? { success: false, error: first } : ok(undefined);
  };

  const record: FailureAlerts['record'] = async (event) => {
    const at = now();
    const entry = state.get(event.integration) ?? { times: [], alerted: false };
    state.set(event.integration, entry);
    entry.times = entry.times.filter((time) => time > at - windowMs);
    // Aged below the threshold: the next crossing is a new one.
    if (entry.times.length < threshold) entry.alerted = false;
    entry.times.push(at);
    if (entry.times.length < threshold || entry.alerted) return ok({ alerted: false });
    entry.alerted = true;
    const sent = await send({
      integration: event.integration,
      failures: entry.times.length,
      threshold,
      windowMs,
      at,
      jobName: event.jobName ?? null,
      lastError: event.error ?? null,
    });
    return sent.success ? ok({ alerted: true }) : sent;
  };

  return {
    record,
    track(handler, { integration }) {
      return async (job) => {
        let value: unknown;
        try {
          value = await handler(job);
        } catch (thrown) {
          if (!job.signal.aborted) await record({ integration, jobName: job.name, error: describe(thrown) });
          throw thrown;
        }
        const failed = failedError(value);
        if (failed) await record({ integration, jobName: job.name, error: failed });
        return value;
      };
    },
  };
}

function describe(thrown: unknown): { code: string; message: string } {
  if (thrown instanceof IntegrationError) return { code: thrown.code, message: thrown.message };
  return {
    code: 'OPERATION_FAILED',
    message: thrown instanceof Error ? thrown.message : 'the handler failed',
  };
}

function failedError(value: unknown): { code: string; message: string } | null {
  try {
    if (typeof value !== 'object' || value === null) return null;
    const result = value as { success?: unknown; error?: unknown };
    return result.success === false ? describe(result.error) : null;
  } catch {
    return null;
  }
}
