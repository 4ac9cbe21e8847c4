// What "Test connection" answers for any connector, and the guard every connector's test runs behind: a test that
// throws, rejects, answers garbage or quotes a credential still gives an answer an admin page can show.
import { isObjectLike } from '../input/caller-input.ts';
import { scrubSecrets } from '../logging/redact.ts';
import { Secret } from '../secrets/secret.ts';

/** What a connection test answers (seed 000's admin API shape): `ok: false` carries a message safe to show. */
export interface ConnectionTestResult {
  ok: boolean;
  latencyMs: number;
  /** For people; never contains a credential. */
  message: string;
  details: { status?: number; code?: string };
}

/** How a connection test may reach the service. */
export interface ConnectionTestOptions {
  /** The fetch to use. Default the global fetch. */
  fetch?: typeof fetch;
  /** Deadline of the test. Default the connector's (10 000 ms is usual). */
  timeoutMs?: number;
}

const MAX_MESSAGE_LENGTH = 1_000;

/**
 * `test` behind a guard: it never throws or rejects, answers a plain `ConnectionTestResult`, and its message has
 * every secret credential of the configuration (`credentials`, values that are Secrets) scrubbed out.
 */
export function guardConnectionTest<C extends { credentials: object }, O>(
  test: (config: C, options: O) => Promise<ConnectionTestResult>,
): (config: C, options?: O) => Promise<ConnectionTestResult> {
  return async (config, options) => {
    const started = performance.now();
    const failed = (message: string): ConnectionTestResult => ({
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      message,
      details: { code: 'OPERATION_FAILED' },
    });
    let answer: unknown;
    try {
      answer = await test(config, (options ?? {}) as O);
    } catch {
      // Nothing of what was thrown is passed on: it could quote a credential.
      return failed('The connection test failed unexpectedly');
    }
    const read = readResult(answer);
    if (!read) return failed('The connection test answered something that is not a result');
    return {
      ...read,
      message: scrubSecrets(read.message, secretValues(config)).slice(0, MAX_MESSAGE_LENGTH),
    };
  };
}

// The answer copied field by field; undefined when it is not a result (or reading it throws).
function readResult(answer: unknown): ConnectionTestResult | undefined {
  try {
    if (!isObjectLike(answer)) return undefined;
    const { ok, latencyMs, message, details } = answer as Record<string, unknown>;
    if (typeof ok !== 'boolean' || typeof message !== 'string') return undefined;
    const copy: ConnectionTestResult['details'] = {};
    if (isObjectLike(details)) {
      const { status, code } = details as Record<string, unknown>;
      if (typeof status === 'number' && Number.isInteger(status)) copy.status = status;
      if (typeof code === 'string') copy.code = code.slice(0, 100);
    }
    const latency = typeof latencyMs === 'number' && Number.isFinite(latencyMs) ? Math.max(0, latencyMs) : 0;
    return { ok, latencyMs: Math.round(latency), message, details: copy };
  } catch {
    return undefined;
  }
}

function secretValues(config: { credentials: object }): string[] {
  try {
    return Object.values(config.credentials)
      .filter((value): value is Secret => value instanceof Secret)
      .map((secret) => secret.reveal());
  } catch {
    return [];
  }
}
