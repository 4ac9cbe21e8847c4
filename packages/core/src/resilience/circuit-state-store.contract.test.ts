// The memory store against the CircuitStateStore contract every adapter runs (`@patchbay/core/testing`). One
// store per test, returned for both "stores" of a test: a memory store is its own shared storage.
import { describeCircuitStateStoreContract } from '../testing/circuit-state-store-contract.ts';
import { type CircuitStateStore, createMemoryCircuitStateStore } from './circuit-state-store.ts';

let shared: CircuitStateStore | undefined;
describeCircuitStateStoreContract(
  'memory',
  () => {
    shared ??= createMemoryCircuitStateStore();
    return shared;
  },
  {
    close: () => {
      shared = undefined;
    },
  },
);
