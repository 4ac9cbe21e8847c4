// The CircuitStateStore contract of @patchbay/core on a real Redis. Each test's stores share one prefix; two
// stores of a test are two connections, racing as two processes would.
import { describeCircuitStateStoreContract } from '@patchbay/core/testing';
import { describeRedis, TEST_URL, usePrefixes } from '../test-support/redis.ts';
import { createRedisCircuitStateStore, type RedisCircuitStateStore } from './circuit-state-store.ts';

describeRedis('redis circuit state store', () => {
  const { prefix } = usePrefixes();
  const shared = prefix();
  describeCircuitStateStoreContract(
    'redis',
    () => createRedisCircuitStateStore({ url: TEST_URL, prefix: shared }),
    {
      close: (store) => (store as RedisCircuitStateStore).close(),
    },
  );
});
