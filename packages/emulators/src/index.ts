// --- Emulator kit: serving, faults, rate limiting and counters shared by every emulator. ---
export { type Counters, type CountersSnapshot, createCounters, type Outcome } from './kit/counters.ts';
export {
  createFaults,
  type FaultKind,
  type FaultSpec,
  type Faults,
  type FaultsOptions,
} from './kit/faults.ts';
export { createRandom } from './kit/random.ts';
export {
  createWindowRateLimiter,
  type RateLimitDecision,
  rateLimitHeaders,
  type WindowRateLimiter,
  type WindowRateLimiterOptions,
} from './kit/rate-limiter.ts';
export { matchesRoute, methodAndPath, type RoutePattern } from './kit/route-key.ts';
export { type EmulatorServer, type ServeOptions, serveEmulator } from './kit/serve.ts';
export type { EmulatorHandler, EmulatorReply } from './kit/types.ts';
export { type WrapOptions, withFaultsAndCounters } from './kit/wrap.ts';
// --- End of the emulator kit. Emulators (Twenty…) export below. ---
