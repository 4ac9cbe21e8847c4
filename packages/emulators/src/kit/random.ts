import { EmulatorConfigError } from './options.ts';

/**
 * Creates a seeded pseudo-random generator (mulberry32) returning numbers in [0, 1); the same seed always
 * yields the same sequence, so a failing fault scenario can be replayed from its seed. A seed that is not a
 * finite number throws an EmulatorConfigError naming `seed`.
 * @example const random = createRandom(42); random(); // 0.6011037519201636
 */
export function createRandom(seed: number): () => number {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new EmulatorConfigError('seed', 'must be a finite number');
  }
  // Only the low 32 bits matter; any finite number (even a float or a negative one) is a valid seed.
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
