// One POST /batch/ and what its answer means for the events in it. The stored payloads are joined as they are
// (each already the JSON of one batch item), so a send never parses or re-serialises an event.
import { type HttpClient, IntegrationError } from '@patchbay/core';
import { gzipText } from './gzip.ts';

/** What to do with a batch after one send. */
export type BatchOutcome =
  /** 2xx: every event arrived; delete them from the outbox. */
  | { kind: 'sent' }
  /** 429, 5xx, a timeout or a network failure: keep the events and try again, after `delayMs` when given. */
  | { kind: 'retry'; error: IntegrationError; delayMs: number | undefined }
  /** A 400 or 413 for the batch as a whole: halve it until the event refused stands alone. */
  | { kind: 'refused'; error: IntegrationError }
  /** 401 or 403: the project API key is wrong; nothing can be sent with it. */
  | { kind: 'auth'; error: IntegrationError };

/** Sends the payloads as one gzipped batch (`{ api_key, sent_at, batch }`) and classifies the answer. */
export async function sendBatch(
  http: HttpClient,
  options: {
    projectApiKey: string;
    payloads: readonly string[];
    now: number;
    gzip: boolean;
    signal?: AbortSignal;
  },
): Promise<BatchOutcome> {
  const text = `{"api_key":${JSON.stringify(options.projectApiKey)},"sent_at":"${new Date(options.now).toISOString()}","batch":[${options.payloads.join(',')}]}`;
  const body = options.gzip ? await gzipText(text) : text;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (options.gzip) headers['Content-Encoding'] = 'gzip';
  // Success is `{"status":"Ok"}` now and `{"status":1}` on older servers (wire notes): the status is the answer.
  const answer = await http.post('/batch/', {
    body: body as BodyInit,
    headers,
    responseType: 'text',
    signal: options.signal,
  });
  if (answer.success) return { kind: 'sent' };
  const error = withoutKey(answer.error, options.projectApiKey);
  if (error.status === 401 || error.status === 403) return { kind: 'auth', error };
  if (error.status === 400 || error.status === 413) return { kind: 'refused', error };
  if (error.code === 'ABORTED' || error.retryable || error.status === undefined || error.status >= 500) {
    return { kind: 'retry', error, delayMs: error.retryAfterMs };
  }
  // Any other 4xx (404 from a wrong host, 405 …) will not pass by itself: keep the events, retry slowly.
  return { kind: 'retry', error, delayMs: undefined };
}

// The key travels in the body, where core's HTTP client does not know it for a credential: a server that echoes
// it in an error ("API key phc_… is not valid") must not carry it into errors, logs or stats.
function withoutKey(error: IntegrationError, key: string): IntegrationError {
  if (key === '' || !`${error.message}${String(error.stack)}`.includes(key)) return error;
  return new IntegrationError(error.code, error.message.replaceAll(key, '[REDACTED]'), {
    status: error.status,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    requestId: error.requestId,
    method: error.method,
    path: error.path,
  });
}
