// The records a caller streams into the sync, pulled by hand instead of with `for await`: a source that is not
// iterable, whose next() throws, rejects or answers a non-object, or whose return() throws, becomes a typed
// error the sync can record in its run log, never a rejection of the sync's call.

import {
  type ApiResult,
  describeType,
  err,
  IntegrationError,
  invalidInput,
  isArraySafe,
  ok,
  readProperty,
} from '@patchbay/core';

/** An element of an array source that could not be read: it fails as one record, the others go on. */
export class UnreadableRecord {
  readonly #brand = true;
  readonly error: IntegrationError;

  constructor(error: IntegrationError) {
    this.error = error;
  }

  /** True for a marker; checked by brand, not `instanceof`, which would run a Proxy's getPrototypeOf trap. */
  static is(value: unknown): value is UnreadableRecord {
    return typeof value === 'object' && value !== null && #brand in value;
  }
}

/** One pull from a source: up to `size` items, whether it ended, and the error that ended it early. */
export interface SourceChunk {
  items: unknown[];
  done: boolean;
  error?: IntegrationError;
}

/** A caller's (async) iterable, opened. */
export interface RecordSource {
  /** The next items, at most `size`; never throws or rejects. */
  nextChunk(size: number): Promise<SourceChunk>;
  /** Stops the source early (its `return()`); a throwing `return()` is ignored: the sync's outcome stands. */
  close(): Promise<void>;
}

type Method = (...args: unknown[]) => unknown;

/**
 * Opens an array, iterable or async iterable of records: `VALIDATION_ERROR` naming `field` when it is none of
 * those (a string is refused too: its characters are not records), or its iterator cannot be obtained.
 * @example const source = openRecordSource(records, 'records'); if (!source.success) return source;
 */
export function openRecordSource(records: unknown, field: string): ApiResult<RecordSource> {
  const notIterable = () =>
    err<RecordSource>(
      invalidInput(field, `must be an array, an iterable or an async iterable, not ${describeType(records)}`),
    );
  if (typeof records !== 'object' || records === null) return notIterable();
  // Arrays are read by index: no iterator to break, and a Proxy's traps surface as a named field.
  if (isArraySafe(records)) return ok(arraySource(records, field));
  const asyncMethod = readProperty(records, Symbol.asyncIterator, field);
  if (!asyncMethod.success) return asyncMethod;
  const syncMethod =
    typeof asyncMethod.data === 'function' ? ok(undefined) : readProperty(records, Symbol.iterator, field);
  if (!syncMethod.success) return syncMethod;
  const method = (typeof asyncMethod.data === 'function' ? asyncMethod.data : syncMethod.data) as Method;
  if (typeof method !== 'function') return notIterable();
  let iterator: unknown;
  try {
    iterator = Reflect.apply(method, records, []);
  } catch (error) {
    return err(sourceFailure(field, 'its iterator could not be created (it threw)', error));
  }
  if (typeof iterator !== 'object' || iterator === null) {
    return err(invalidInput(field, 'its iterator must be an object'));
  }
  const next = readProperty(iterator, 'next', `${field}.next`);
  if (!next.success) return next;
  if (typeof next.data !== 'function') return err(invalidInput(`${field}.next`, 'must be a function'));
  return ok(iteratorSource(iterator, next.data as Method, field));
}

function arraySource(array: readonly unknown[], field: string): RecordSource {
  let index = 0;
  return {
    async nextChunk(size) {
      const length = readProperty(array, 'length', `${field}.length`);
      if (!length.success) return { items: [], done: true, error: length.error };
      const items: unknown[] = [];
      while (items.length < size && index < (length.data as number)) {
        const item = readProperty(array, index, `${field}.${index}`);
        items.push(item.success ? item.data : new UnreadableRecord(item.error));
        index++;
      }
      return { items, done: index >= (length.data as number) };
    },
    async close() {},
  };
}

function iteratorSource(iterator: object, next: Method, field: string): RecordSource {
  let pulled = 0;
  let finished = false;
  return {
    async nextChunk(size) {
      const items: unknown[] = [];
      while (items.length < size && !finished) {
        let result: unknown;
        try {
          // `await` also takes a sync iterator's plain result; a rejection lands in the catch.
          result = await Reflect.apply(next, iterator, []);
        } catch (error) {
          finished = true;
          return {
            items,
            done: true,
            error: sourceFailure(field, `it threw after ${pulled} records`, error),
          };
        }
        if (typeof result !== 'object' || result === null) {
          finished = true;
          return {
            items,
            done: true,
            error: invalidInput(`${field}.next`, `must return an object, not ${describeType(result)}`),
          };
        }
        const done = readProperty(result, 'done', `${field}.next().done`);
        const value =
          done.success && !done.data ? readProperty(result, 'value', `${field}.next().value`) : ok(undefined);
        if (!done.success || !value.success) {
          finished = true;
          const error = !done.success ? done.error : !value.success ? value.error : undefined;
          return { items, done: true, error };
        }
        if (done.data) {
          finished = true;
          break;
        }
        items.push(value.data);
        pulled++;
      }
      return { items, done: finished };
    },
    async close() {
      if (finished) return;
      finished = true;
      try {
        const method = (iterator as { return?: unknown }).return;
        if (typeof method === 'function') await Reflect.apply(method, iterator, []);
      } catch {
        // The sync stopped early for its own reason, which is what it reports.
      }
    },
  };
}

function sourceFailure(field: string, what: string, cause: unknown): IntegrationError {
  let kept: Error | undefined;
  try {
    if (cause instanceof Error) kept = cause;
  } catch {
    // A Proxy thrown: nothing of it is kept.
  }
  return new IntegrationError('OPERATION_FAILED', `Reading ${field} failed: ${what}`, {
    field,
    retryable: false,
    cause: kept,
  });
}
