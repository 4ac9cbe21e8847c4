// Epoch seconds have been above 1e9 since 2001; no API sends a reset delta that long, so the size tells them apart.
const EPOCH_SECONDS_THRESHOLD = 1e9;
const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * How long the server asks us to wait, in ms: `Retry-After` (seconds or HTTP-date) wins; else
 * `X-RateLimit-Reset` / `RateLimit-Reset` (epoch seconds when > 1e9, else delta seconds). Past → 0;
 * absent or unreadable → undefined.
 * @example parseRetryAfterMs(new Headers({ 'Retry-After': '120' })); // 120_000
 */
export function parseRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  return retryAfter(headers.get('retry-after'), now) ?? reset(headers, now);
}

function retryAfter(value: string | null, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  // Numbers first: Date.parse reads a bare "5" as a year.
  if (NUMERIC.test(text)) return clamp(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : clamp(date - now);
}

function reset(headers: Headers, now: number): number | undefined {
  const text = (headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset'))?.trim();
  if (!text) return undefined;
  // Several policies may answer at once ("60, 3600"): wait for the latest so none is still exhausted.
  let longest: number | undefined;
  for (const part of text.split(',')) {
    const item = part.trim();
    if (!NUMERIC.test(item)) continue;
    const value = Number(item);
    const ms = clamp(value > EPOCH_SECONDS_THRESHOLD ? value * 1000 - now : value * 1000);
    longest = longest === undefined ? ms : Math.max(longest, ms);
  }
  return longest;
}

const clamp = (ms: number): number => Math.max(0, Math.ceil(ms));
