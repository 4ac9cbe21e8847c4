// The busiest stretch of a request log: the most requests in any rolling 60 seconds (what "60 a minute" must hold
// to whichever minute Exact counts), in any fixed clock minute (the emulator's windows), and how many clock minutes
// the log touched, first to last.

const MINUTE_MS = 60_000;

/** The most of `times` (epoch ms, any order) in any rolling `windowMs` and in any fixed minute; minutes touched. */
export function busiest(
  times: readonly number[],
  windowMs = MINUTE_MS,
): { rolling: number; fixed: number; minutes: number } {
  const sorted = [...times].sort((a, b) => a - b);
  let rolling = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    rolling = Math.max(rolling, i - j + 1);
  }
  const minutes = new Map<number, number>();
  for (const at of sorted) {
    const minute = Math.floor(at / MINUTE_MS);
    minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
  }
  const touched =
    sorted.length === 0 ? 0 : Math.floor(sorted.at(-1)! / MINUTE_MS) - Math.floor(sorted[0]! / MINUTE_MS) + 1;
  return { rolling, fixed: Math.max(0, ...minutes.values()), minutes: touched };
}
