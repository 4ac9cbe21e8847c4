import { type ApiResult, describeType, err, invalidInput, ok, readOptions, readSignal } from '@patchbay/core';
import { REFRESH_MODES, type RefreshMode, type RunQueryOptions } from './run-query.ts';

/** Options every reading call takes. */
export interface QueryOptions {
  /** How PostHog computes it: `blocking` (its default) or `async` (answered 202, polled), see {@link RefreshMode}. */
  refresh?: RefreshMode;
  /** A name for the query in PostHog's query log (at most 200 characters). */
  name?: string;
  /** Cancels the call; a query already sent is cancelled on PostHog too. */
  signal?: AbortSignal;
}

const QUERY_KEYS = ['refresh', 'name', 'signal'] as const;

/**
 * A call's options read once: the common ones ({@link QueryOptions}) checked, and the call's own `keys` read into
 * `own` for it to check. Anything wrong is a `VALIDATION_ERROR` naming the field (`options.refresh`).
 * @example const read = readQueryOptions(options, ['days']); if (!read.success) return read;
 */
export function readQueryOptions<K extends string>(
  options: unknown,
  keys: readonly K[] = [],
): ApiResult<{ run: RunQueryOptions; own: { [P in K]?: unknown } }> {
  const read = readOptions(options, [...QUERY_KEYS, ...keys]);
  if (!read.success) return read;
  const { refresh, name, signal, ...own } = read.data as Record<string, unknown>;
  if (refresh !== undefined && !REFRESH_MODES.includes(refresh as RefreshMode)) {
    return err(invalidInput('options.refresh', `must be one of ${REFRESH_MODES.join(', ')}`));
  }
  if (name !== undefined && (typeof name !== 'string' || name.length > 200)) {
    return err(
      invalidInput('options.name', `must be a string of at most 200 characters, not ${describeType(name)}`),
    );
  }
  const checkedSignal = readSignal(signal, 'options.signal');
  if (!checkedSignal.success) return checkedSignal;
  const run: RunQueryOptions = {
    ...(refresh === undefined ? {} : { refresh: refresh as RefreshMode }),
    ...(name === undefined ? {} : { name: name as string }),
    ...(checkedSignal.data === undefined ? {} : { signal: checkedSignal.data }),
  };
  return ok({ run, own: own as { [P in K]?: unknown } });
}
