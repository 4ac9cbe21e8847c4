// Delivers a failure alert as a JSON POST, through core's HTTP client so it gets its timeouts, retries with an
// idempotency key, and redacted logging. The URL often carries a secret (Slack- or Teams-style incoming hooks):
// it is never put in an error message.
import {
  type ApiResult,
  createHttpClient,
  err,
  type HttpClient,
  type HttpClientOptions,
  IntegrationError,
  ok,
} from '@patchbay/core';
import type { AlertDeliverer, FailureAlert } from './failure-alerts.ts';

/** Options of {@link webhookAlertDeliverer}. */
export interface WebhookAlertOptions {
  /** Where to POST, `https://…` (or `http://` for a local receiver). */
  url: string;
  /** Extra headers, e.g. an authorization. */
  headers?: Record<string, string>;
  /** Shapes the body from the alert. Default: the alert itself plus a `text` line. */
  body?: (alert: FailureAlert) => unknown;
  /** More client options (`timeoutMs`, `retry`, `fetch`, `logger`). */
  client?: Omit<HttpClientOptions, 'baseUrl' | 'headers'>;
}

/** The one-line summary an alert's text carries. */
export function alertText(alert: FailureAlert): string {
  const minutes = Math.round(alert.windowMs / 60_000);
  const last = alert.lastError ? ` Last error: ${alert.lastError.code}: ${alert.lastError.message}` : '';
  return `${alert.integration}: ${alert.failures} failures in the last ${minutes} minutes (threshold ${alert.threshold}).${last}`;
}

/**
 * An alert deliverer that POSTs the alert as JSON to `url`.
 * @example alertOnFailures({ deliver: webhookAlertDeliverer({ url: process.env.ALERT_HOOK_URL }) });
 * @throws IntegrationError `CONFIG_ERROR` (field `url`) for a URL that is not http(s).
 */
export function webhookAlertDeliverer(options: WebhookAlertOptions): AlertDeliverer {
  let target: URL;
  try {
    target = new URL(options.url);
  } catch {
    throw new IntegrationError('CONFIG_ERROR', 'Invalid option: url: must be an http(s) URL', {
      field: 'url',
    });
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new IntegrationError('CONFIG_ERROR', 'Invalid option: url: must be an http(s) URL', {
      field: 'url',
    });
  }
  const client: HttpClient = createHttpClient({
    ...options.client,
    baseUrl: target.origin,
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const path = target.pathname;
  const searchParams = target.search === '' ? undefined : Object.fromEntries(target.searchParams);
  const shape = options.body ?? ((alert: FailureAlert) => ({ ...alert, text: alertText(alert) }));
  return async (alert): Promise<ApiResult<void>> => {
    const sent = await client.post(path, {
      json: shape(alert),
      responseType: 'text',
      ...(searchParams ? { searchParams } : {}),
    });
    if (sent.success) return ok(undefined);
    // The client's error names the path (and its cause may quote the URL): on an incoming hook the path is the
    // secret, so the error is rebuilt from what carries none.
    const { code, status, retryable, retryAfterMs, attempts } = sent.error;
    const outcome = status === undefined ? `failed (${code})` : `answered ${status}`;
    return err(
      new IntegrationError(code, `The alert webhook ${outcome}`, {
        retryable,
        ...(status === undefined ? {} : { status }),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        ...(attempts === undefined ? {} : { attempts }),
        method: 'POST',
      }),
    );
  };
}
