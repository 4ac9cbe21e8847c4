// The SeenIdStore contract of @patchbay/core on a real Redis, on the server's clock: expiry waits in real time.
// Each test's stores share one prefix; two stores of a test are two connections, racing as two processes would.
import { describeSeenIdStoreContract } from '@patchbay/core/testing';
import { describeRedis, keysUnder, TEST_URL, usePrefixes } from '../test-support/redis.ts';
import { createRedisSeenIdStore, type RedisSeenIdStore } from './seen-id-store.ts';

describeRedis('redis seen-id store', () => {
  const { prefix, admin } = usePrefixes();
  const shared = prefix();
  describeSeenIdStoreContract(
    'redis',
    async () => createRedisSeenIdStore({ url: TEST_URL, prefix: shared }),
    {
      ttlMs: 300,
      // Redis drops an expired key as SCAN meets it, so the count is of keys still alive.
      countEntries: async () => (await keysUnder(admin(), `${shared}seen:`)).length,
      close: (store) => (store as RedisSeenIdStore).close(),
    },
  );
});
