// The RateLimitStore contract of @patchbay/core on a real Redis, on the caller's clock (the contract drives the
// clock by hand): the same answers as the memory store, to the bit. Each test's stores share one prefix; two
// stores of a test are two connections, racing as two processes would.
import { describeRateLimitStoreContract } from '@patchbay/core/testing';
import { describeRedis, TEST_URL, usePrefixes } from '../test-support/redis.ts';
import { createRedisRateLimitStore, type RedisRateLimitStore } from './rate-limit-store.ts';

describeRedis('redis rate-limit store', () => {
  const { prefix } = usePrefixes();
  const shared = prefix();
  describeRateLimitStoreContract(
    'redis',
    () => createRedisRateLimitStore({ url: TEST_URL, prefix: shared, clock: 'caller' }),
    { close: (store) => (store as RedisRateLimitStore).close() },
  );
});
