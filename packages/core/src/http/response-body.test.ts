import { describe, expect, it } from 'vitest';
import { readBodyText } from './response-body.ts';

// A body that streams `chunks` pieces of `size` bytes and records how many were pulled before a cancel.
function streamed(chunks: number, size: number, headers: Record<string, string> = {}) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === chunks) return controller.close();
      seen.pulled += 1;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { response: new Response(body, { headers }), seen };
}

describe('readBodyText', () => {
  it('reads a body within the limit as UTF-8, like response.text()', async () => {
    const text = '{"name":"Zoë 😀"}';
    expect(await readBodyText(new Response(text), 1_000)).toEqual({ text });
    expect(await readBodyText(new Response(null), 1)).toEqual({ text: '' });
    expect(await readBodyText(new Response('\uFEFFbom'), 100)).toEqual({ text: 'bom' });
  });

  it('keeps a multi-byte character split across chunks whole', async () => {
    const bytes = new TextEncoder().encode('€');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 1));
        controller.enqueue(bytes.slice(1));
        controller.close();
      },
    });
    expect(await readBodyText(new Response(body), 3)).toEqual({ text: '€' });
  });

  it('accepts a body of exactly the limit', async () => {
    expect(await readBodyText(new Response('x'.repeat(64)), 64)).toEqual({ text: 'x'.repeat(64) });
  });

  it('refuses a declared Content-Length over the limit without reading anything', async () => {
    const { response, seen } = streamed(1_000, 1_024, { 'content-length': String(1_000 * 1_024) });
    expect(await readBodyText(response, 4_096)).toEqual({ tooLarge: true });
    expect(seen.pulled).toBeLessThanOrEqual(1);
    expect(seen.cancelled).toBe(true);
  });

  it('counts a body without a length while streaming and cancels it once over', async () => {
    const { response, seen } = streamed(50_000, 1_024);
    expect(await readBodyText(response, 10_000)).toEqual({ tooLarge: true });
    expect(seen.pulled).toBeLessThan(20);
    expect(seen.cancelled).toBe(true);
  });

  it('does not trust a lying Content-Length (only a custom fetch can produce one)', async () => {
    const { response } = streamed(100, 1_024, { 'content-length': '10' });
    expect(await readBodyText(response, 4_096)).toEqual({ tooLarge: true });
  });

  it('counts a compressed body while streaming even with a small declared length', async () => {
    const { response, seen } = streamed(50_000, 1_024, {
      'content-length': '100',
      'content-encoding': 'gzip',
    });
    expect(await readBodyText(response, 10_000)).toEqual({ tooLarge: true });
    expect(seen.pulled).toBeLessThan(20);
  });

  it.each([['-1'], ['1e9'], ['10, 10'], ['abc']])(
    'ignores an unreadable Content-Length %j',
    async (length) => {
      const { response } = streamed(2, 10, { 'content-length': length });
      expect(await readBodyText(response, 100)).toEqual({ text: 'a'.repeat(20) });
    },
  );
});
