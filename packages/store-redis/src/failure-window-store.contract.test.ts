// The FailureWindowStore contract of @patchbay/core on a real Redis. Each test's stores share one prefix; two
// stores of a test are two connections, racing as two processes would.
import { describeFailureWindowStoreContract } from '@patchbay/core/testing';
import { describeRedis, TEST_URL, usePrefixes } from '../test-support/redis.ts';
import { createRedisFailureWindowStore, type RedisFailureWindowStore } from './failure-window-store.ts';

describeRedis('redis failure window store', () => {
  const { prefix } = usePrefixes();
  const shared = prefix();
  describeFailureWindowStoreContract(
    'redis',
    () => createRedisFailureWindowStore({ url: TEST_URL, prefix: shared }),
    {
      close: (store) => (store as RedisFailureWindowStore).close(),
    },
  );
});
