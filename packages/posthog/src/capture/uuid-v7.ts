// PostHog deduplicates events by uuid, so the id an event gets at capture() is what makes a resend after a
// crash harmless. Version 7 (RFC 9562 §5.7) puts the millisecond time first: ids sort in capture order, which
// keeps an outbox index on them append-only. Written here because the platform needs only this one function.

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

let lastMs = -1;
let sequence = 0;
// Random bytes drawn in bulk: one getRandomValues call per id costs more than everything else capture() does.
const POOL_BYTES = 16_384;
const pool = new Uint8Array(POOL_BYTES);
let poolOffset = POOL_BYTES;

function randomBytes(target: Uint8Array, from: number): void {
  if (poolOffset + target.length - from > POOL_BYTES) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  for (let index = from; index < target.length; index += 1) {
    target[index] = pool[poolOffset] ?? 0;
    poolOffset += 1;
  }
}

/**
 * A UUID version 7: 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids made within one
 * millisecond in order (RFC 9562 §6.2 method 1), then 62 random bits.
 */
export function uuidV7(now: number = Date.now()): string {
  let ms = Math.floor(now);
  if (ms <= lastMs) {
    // Same millisecond (or a clock that stepped back): count on from the last id so order holds.
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    sequence = 0;
  }
  const bytes = new Uint8Array(16);
  randomBytes(bytes, 8);
  // 48-bit big-endian timestamp; division rather than shifts, which JavaScript limits to 32 bits.
  let rest = ms;
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  let text = '';
  for (let index = 0; index < 16; index += 1) {
    if (index === 4 || index === 6 || index === 8 || index === 10) text += '-';
    text += HEX[bytes[index] ?? 0];
  }
  return text;
}

/** Any RFC 9562 UUID in its canonical 36-character form (PostHog accepts every version). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
