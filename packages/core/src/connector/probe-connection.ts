// The usual body of a connector's connection test: build a client meant for one request (no retry, no limiter),
// read one page, time it and answer a ConnectionTestResult, so connectors differ only in what they build and read.
import { isIntegrationError } from '../result/errors.ts';
import type { ApiResult } from '../result/result.ts';
import type { ConnectionTestResult } from './connection-test.ts';

/** What {@link probeConnection} builds and reads: `build` may throw (a `CONFIG_ERROR` becomes `ok: false`). */
export interface ProbeConnectionOptions<C> {
  /** The service's name for messages (`No answer from <name>`). */
  name: string;
  /** Builds the client for the test; a throw is a configuration error, not a failed connection. */
  build: () => C;
  /** One request: a page stream (only its first page is read) or a single result. */
  probe: (client: C) => AsyncIterable<ApiResult<unknown>> | PromiseLike<ApiResult<unknown>>;
}

/**
 * Builds a client, reads one page and answers `ok` with the latency, or `ok: false` with the error's message,
 * status and code; never throws or rejects.
 * @example testConnection: () => probeConnection({ name: 'Acme', build: () => createAcmeClient(opts), probe: (c) => c.people.list({ limit: 1 }) })
 */
export async function probeConnection<C>(options: ProbeConnectionOptions<C>): Promise<ConnectionTestResult> {
  const { name } = options;
  const started = performance.now();
  let client: C;
  try {
    client = options.build();
  } catch (error) {
    const message = isIntegrationError(error) ? error.message : `Invalid ${name} configuration`;
    return { ok: false, latencyMs: 0, message, details: { code: 'CONFIG_ERROR' } };
  }
  let first: ApiResult<unknown> | undefined;
  try {
    const answer = options.probe(client);
    if (Symbol.asyncIterator in answer) {
      for await (const page of answer) {
        first = page;
        break;
      }
    } else first = await answer;
  } catch {
    // What a probe throws is not passed on: it could quote a credential.
  }
  const latencyMs = Math.round(performance.now() - started);
  if (first?.success)
    return { ok: true, latencyMs, message: 'Successfully connected', details: { status: 200 } };
  const error = first?.success === false ? first.error : undefined;
  return {
    ok: false,
    latencyMs,
    message: error?.message ?? `No answer from ${name}`,
    details: {
      ...(error?.status === undefined ? {} : { status: error.status }),
      code: error?.code ?? 'OPERATION_FAILED',
    },
  };
}
