// The memory store against the RateLimitStore contract every adapter runs (`@patchbay/core/testing`). One store
// per test, returned for both "stores" of a test: a memory store is its own shared storage.
import { describeRateLimitStoreContract } from '../testing/rate-limit-store-contract.ts';
import { createMemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.ts';

let shared: RateLimitStore | undefined;
describeRateLimitStoreContract(
  'memory',
  () => {
    shared ??= createMemoryRateLimitStore();
    return shared;
  },
  {
    close: () => {
      shared = undefined;
    },
  },
);
