// An alert when an integration's failures within a window reach a threshold (seed 003: 10 failures an hour).
// One alert per crossing: once sent, none again until the count has dropped below the threshold (failures aged
// out of the window) and crossed it anew, so a broken integration pages once, not once per failure. The count is
// a FailureWindowStore's: in memory by default, or shared (Redis) when an integration's jobs run in several
// processes, where each process alone would see a share of the failures and alert late or never. The store's
// record answers `crossed` to exactly one caller per crossing, and only that process sends the alert.
import {
  type ApiResult,
  createMemoryFailureWindowStore,
  err,
  type FailureWindowRecord,
  type FailureWindowStore,
  IntegrationError,
  ok,
} from '@patchbay/core';
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
  /**
   * Where failures are counted. Default: a memory store, counting this process's failures only. Pass a shared
   * one (`createRedisFailureWindowStore` of `@patchbay/store-redis`) when an integration's jobs run in several
   * processes: they then count together, and only the process whose failure crosses the threshold alerts.
   */
  store?: FailureWindowStore;
  /** The store key of an integration's count. Default: the integration's name. */
  key?: (integration: string) => string;
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
  const store = options.store ?? createMemoryFailureWindowStore();
  if (typeof store !== 'object' || store === null || typeof store.record !== 'function')
    throw config('store', 'must be a FailureWindowStore (an object with record)');
  const key = options.key ?? ((integration: string) => integration);
  if (typeof key !== 'function') throw config('key', 'must be a function of the integration');
  const now = options.now ?? Date.now;
  const policy = { threshold, windowMs };

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

  // Counts the failure at the clock's time; the clock and the key option are the caller's code, and the store may
  // be too, so a throw from any of them is an err result here rather than a rejection.
  const count = async (integration: string): Promise<ApiResult<FailureWindowRecord & { at: number }>> => {
    try {
      const at = now();
      const counted = await store.record(key(integration), policy, at);
      return counted.success ? ok({ ...counted.data, at }) : counted;
    } catch (thrown) {
      return err(
        new IntegrationError(
          'OPERATION_FAILED',
          'Counting a failure threw (the clock, key option or store)',
          {
            cause: thrown,
          },
        ),
      );
    }
  };

  const record: FailureAlerts['record'] = async (event) => {
    const counted = await count(event.integration);
    if (!counted.success) return counted;
    // Only the record that crossed the threshold sends: in every other process sharing the store it is false.
    if (!counted.data.crossed) return ok({ alerted: false });
    const { failures, at } = counted.data;
    const sent = await send({
      integration: event.integration,
      failures,
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
