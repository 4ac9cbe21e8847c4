import { beforeAll } from 'vitest';
import { describeSchedulerBehaviour } from '../../test-support/behaviour.ts';
import { removePrefix, requireRedis, TEST_REDIS_URL, testPrefix } from '../../test-support/redis.ts';
import { createScheduler } from '../create-scheduler.ts';

beforeAll(requireRedis);

describeSchedulerBehaviour('BullMQ on Redis', {
  backend: 'bullmq',
  make: async () => {
    const prefix = testPrefix('behaviour');
    return {
      scheduler: createScheduler({ connection: TEST_REDIS_URL, prefix }),
      cleanup: () => removePrefix(prefix),
    };
  },
});
