// Test helpers for adapter authors (`@patchbay/core/testing`); they import vitest, so keep them out of
// production bundles: nothing in the main entry point imports this file.
export {
  type CircuitStateStoreContractOptions,
  describeCircuitStateStoreContract,
} from './circuit-state-store-contract.ts';
export { expectErr, expectOk } from './expect-result.ts';
export {
  describeFailureWindowStoreContract,
  type FailureWindowStoreContractOptions,
} from './failure-window-store-contract.ts';
export { cyclic, hostileClocks, hostileValues, throwingProxy, withThrowingGetter } from './hostile-values.ts';
export { createManualClock, type ManualClock } from './manual-clock.ts';
export { outcome, thrownBy } from './outcomes.ts';
export {
  type ProcessFailureWatch,
  type ProcessFailureWatchOptions,
  watchProcessFailures,
} from './process-failures.ts';
export { describeQueueStoreContract, type QueueStoreContractOptions } from './queue-store-contract.ts';
export {
  describeRateLimitStoreContract,
  type RateLimitStoreContractOptions,
} from './rate-limit-store-contract.ts';
export { type ExpectedRefusal, expectRefusal } from './refusals.ts';
export {
  describeReleaseFixtureContract,
  type ReleaseFixtureConfigRow,
  type ReleaseFixtureContractOptions,
  type ReleaseFixtureCopy,
  type ReleaseFixtureExpected,
  type ReleaseFixtureStore,
} from './release-fixture-contract.ts';
export { describeSeenIdStoreContract, type SeenIdStoreContractOptions } from './seen-id-store-contract.ts';
export { describeIntegrationStoreContract, type StoreContractOptions } from './store-contract.ts';
