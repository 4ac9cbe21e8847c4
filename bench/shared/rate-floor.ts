// The least time a number of requests can take under a rate limit of `max` per rolling window, the first `max`
// sent at once: the floor the benchmarks set wall times against.

/** Seconds `requests` take at most `max` per rolling `windowS` seconds. */
export function windowFloorSeconds(requests: number, max: number, windowS: number): number {
  return Math.max(0, Math.ceil(requests / max) - 1) * windowS;
}
