import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipText } from './gzip.ts';

describe('gzipText', () => {
  it('round-trips UTF-8 text through gzip', async () => {
    const text = JSON.stringify({ batch: [{ event: 'été 🚀', distinct_id: 'ü' }] }).repeat(50);
    const zipped = await gzipText(text);
    expect(zipped[0]).toBe(0x1f);
    expect(zipped[1]).toBe(0x8b);
    expect(gunzipSync(zipped).toString('utf8')).toBe(text);
    expect(zipped.byteLength).toBeLessThan(text.length / 5);
  });

  it('compresses an empty text', async () => {
    expect(gunzipSync(await gzipText('')).toString('utf8')).toBe('');
  });
});
