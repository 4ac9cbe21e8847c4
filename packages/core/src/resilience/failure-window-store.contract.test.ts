// The memory store against the FailureWindowStore contract every adapter runs (`@patchbay/core/testing`). One
// store per test, returned for both "stores" of a test: a memory store is its own shared storage.
import { describeFailureWindowStoreContract } from '../testing/failure-window-store-contract.ts';
import { createMemoryFailureWindowStore, type FailureWindowStore } from './failure-window-store.ts';

let shared: FailureWindowStore | undefined;
describeFailureWindowStoreContract(
  'memory',
  () => {
    shared ??= createMemoryFailureWindowStore();
    return shared;
  },
  {
    close: () => {
      shared = undefined;
    },
  },
);
