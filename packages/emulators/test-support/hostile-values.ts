// Hostile input for the emulators' tests: core's helpers (`@patchbay/core/testing`, a test-only devDependency),
// plus the values only an emulator's options meet. The emulators' runtime code still imports no Patchbay package,
// so that a client bug cannot hide behind a mistake shared with the emulator standing in for the service.
import { hostileValues as coreHostileValues } from '@patchbay/core/testing';

export { throwingProxy, thrownBy, watchProcessFailures, withThrowingGetter } from '@patchbay/core/testing';

/**
 * Core's hostile values plus those an emulator's numeric and object options must refuse: `-Infinity`, a negative
 * number (latencies, limits, counts), and an array where an options object belongs. A fresh set per call.
 */
export function hostileValues(): [label: string, value: unknown][] {
  return [
    ...coreHostileValues(),
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a negative number', -5],
    ['an array', [1, 2]],
  ];
}

/** True for a non-null object that is not an array; false (never a throw) for a revoked Proxy. */
export function isPlainObject(value: unknown): boolean {
  try {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
