// A store handed to a sync or a handler is the caller's: it may be an adapter of any quality, or a test double
// that throws. Wrapped once, every method of it resolves to an ApiResult, so the code above it only ever deals
// with typed failures (and can, say, still finish its run log when a write threw).

import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, isErr, isOk } from '../result/result.ts';
import { settle, unexpectedFailure } from '../result/settle.ts';
import type { ConfigRowStore, IntegrationStore, Mapping, MappingStore, SyncStateStore } from './store.ts';

// Each call looks the part and the method up anew, inside the guard: a getter that throws is a failed call.
function guardMethods<T extends object>(
  part: () => T,
  name: string,
  methods: readonly (keyof T & string)[],
): T {
  const guarded: Record<string, unknown> = {};
  for (const method of methods) {
    const operation = `store.${name}${method}`;
    guarded[method] = (...args: unknown[]) =>
      settle(operation, async () => {
        const target = part();
        const fn = (target as Record<string, unknown>)[method];
        if (typeof fn !== 'function') {
          return err(
            new IntegrationError('OPERATION_FAILED', `${operation} is not a function`, { retryable: false }),
          );
        }
        return answered(operation, await Reflect.apply(fn, target, args));
      });
  }
  return guarded as T;
}

/**
 * The store with every method guarded: a method that throws, rejects or is missing answers `OPERATION_FAILED`
 * (an `IntegrationError` thrown is returned as it is), as does one that answers something not an ApiResult;
 * `mappings.iterate` yields such a failure and ends, and `close` never rejects.
 * @example const safe = guardStore(options.store); const mapped = await safe.mappings.getMany(scope, ids);
 */
export function guardStore(store: IntegrationStore): IntegrationStore {
  const mappings = guardMethods<MappingStore>(() => store.mappings, 'mappings.', [
    'getMany',
    'putMany',
    'deleteMany',
    'count',
  ]);
  mappings.iterate = (...args) => guardIterate(() => store.mappings, args);
  const syncState = guardMethods<SyncStateStore>(() => store.syncState, 'syncState.', [
    'getCheckpoint',
    'setCheckpoint',
    'startRun',
    'finishRun',
    'listRuns',
    'acquireLease',
    'renewLease',
    'releaseLease',
    'outboxPut',
    'outboxList',
    'outboxDelete',
  ]);
  const configs = guardMethods<ConfigRowStore>(() => store.configs, 'configs.', [
    'get',
    'create',
    'update',
    'exists',
  ]);
  const root = guardMethods<Pick<IntegrationStore, 'commitMappings'>>(() => store, '', ['commitMappings']);
  return {
    mappings,
    configs,
    syncState,
    commitMappings: root.commitMappings,
    async close() {
      try {
        await store.close();
      } catch {
        // Closing is best effort: there is nothing left to report a failure to.
      }
    },
  };
}

// A store's answer, kept only when it is an ApiResult: code above the guard reads `success` and `error.code`.
function answered<T>(operation: string, answer: unknown): ApiResult<T> {
  const result = answer as ApiResult<T>;
  if (isOk(result) || isErr(result)) return result;
  return err(
    new IntegrationError('OPERATION_FAILED', `${operation} did not answer an ApiResult`, {
      retryable: false,
    }),
  );
}

async function* guardIterate(
  mappings: () => MappingStore,
  args: Parameters<MappingStore['iterate']>,
): AsyncIterable<ApiResult<Mapping[]>> {
  try {
    for await (const page of mappings().iterate(...args)) {
      const result = answered<Mapping[]>('store.mappings.iterate', page);
      yield result;
      if (result !== page) return;
    }
  } catch (error) {
    yield err(unexpectedFailure('store.mappings.iterate', error));
  }
}
