import { createHttpClient, isIntegrationError, readOptions, type Secret } from '@patchbay/core';
import { createTwentyClient, twentyRoot } from './client.ts';

/** What the admin UI shows after "Test connection". */
export interface TwentyConnectionTest {
  ok: boolean;
  latencyMs: number;
  message: string;
  details: { status?: number; code?: string };
}

/**
 * Checks URL and API key with one authenticated metadata call: no retries, 10 s timeout. Never throws:
 * bad options and failures come back as `ok: false` with a message safe to show (it never contains the key).
 * @example const { ok, message } = await testConnection({ baseUrl, apiKey });
 */
export async function testConnection(options: {
  baseUrl: string;
  apiKey: string | Secret;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): Promise<TwentyConnectionTest> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // Options read once: options that are not an object, or a getter that throws, are a failed test, not a throw.
  const read = readOptions(options, ['baseUrl', 'apiKey', 'timeoutMs', 'fetch']);
  if (!read.success) {
    return { ok: false, latencyMs: 0, message: read.error.message, details: { code: 'CONFIG_ERROR' } };
  }
  const { baseUrl, apiKey, timeoutMs, fetch: fetchImpl } = read.data;
  let client: ReturnType<typeof createTwentyClient>;
  try {
    client = createTwentyClient({
      baseUrl: baseUrl as string,
      apiKey: apiKey as string | Secret,
      timeoutMs: (timeoutMs as number | undefined) ?? 10_000,
      retry: false,
      rateLimit: false,
      fetch: fetchImpl as typeof fetch | undefined,
    });
  } catch (error) {
    const message = isIntegrationError(error) ? error.message : 'Invalid options';
    return { ok: false, latencyMs: 0, message, details: { code: 'CONFIG_ERROR' } };
  }
  const result = await client.metadata.objects();
  if (result.success) {
    return { ok: true, latencyMs: elapsed(), message: 'Successfully connected', details: { status: 200 } };
  }
  return {
    ok: false,
    latencyMs: elapsed(),
    message: result.error.message,
    details: { status: result.error.status, code: result.error.code },
  };
}

/**
 * True when something answers HTTP at `baseUrl` within 5 s (a HEAD, no credentials sent). A 5xx or no
 * answer is false; any other status means the instance is up.
 */
export async function isReachable(
  baseUrl: string,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
) {
  let root: string;
  try {
    root = twentyRoot(baseUrl);
    new URL(root);
  } catch {
    return false;
  }
  try {
    const http = createHttpClient({
      baseUrl: root,
      timeoutMs: options.timeoutMs ?? 5_000,
      retry: false,
      fetch: options.fetch,
    });
    const result = await http.head('/');
    if (result.success) return true;
    return result.error.status !== undefined && result.error.status < 500;
  } catch {
    return false;
  }
}
