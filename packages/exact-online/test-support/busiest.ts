// How crowded a list of instants gets: the most in any rolling window (what "60 a minute" or "10 an hour" must
// hold to whichever window Exact counts) and in any fixed clock window (the emulator's minute windows).

/** The most of `times` (epoch ms, in order) within any rolling `windowMs`. */
export function mostInAnyWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** The most of `times` (epoch ms) within one fixed window of `windowMs` counted from the epoch. */
export function mostInAFixedWindow(times: readonly number[], windowMs: number): number {
  const counts = new Map<number, number>();
  for (const at of times)
    counts.set(Math.floor(at / windowMs), (counts.get(Math.floor(at / windowMs)) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}
