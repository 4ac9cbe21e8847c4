// @patchbay/store-redis: state Patchbay shares across processes through Redis.
export {
  createRedisCircuitStateStore,
  type RedisCircuitStateStore,
} from './circuit-state-store.ts';
export {
  createRedisFailureWindowStore,
  type RedisFailureWindowStore,
} from './failure-window-store.ts';
export type { RedisStoreOptions } from './options.ts';
export {
  createRedisRateLimitStore,
  type RedisRateLimitStore,
  type RedisRateLimitStoreOptions,
} from './rate-limit-store.ts';
export { createRedisSeenIdStore, type RedisSeenIdStore } from './seen-id-store.ts';
