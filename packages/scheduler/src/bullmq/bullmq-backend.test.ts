import { beforeAll } from 'vitest';
import { describeSchedulerBehaviour } from '../../test-support/behaviour.ts';
import { removePrefix, requireRedis, TEST_REDIS_URL, testPrefix } from '../../test-support/redis.ts';
import { createScheduler } from '../create-scheduler.ts';

beforeAll(requireRedis);
const prefixes = new Map<string, string>();

describeSchedulerBehaviour('BullMQ on Redis', {
  backend: 'bullmq',
  make: async (shared) => {
    const prefix = (shared && prefixes.get(shared)) || testPrefix('behaviour');
    if (shared) prefixes.set(shared, prefix);
    return {
      scheduler: createScheduler({ connection: TEST_REDIS_URL, prefix }),
      cleanup: () => removePrefix(prefix),
    };
  },
});
