import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, readBodyText } from './body.ts';

const post = (body: BodyInit | null) => new Request('http://h.test/x', { method: 'POST', body });

describe('readBodyText', () => {
  it('reads a body up to the limit as UTF-8, malformed bytes replaced', async () => {
    expect(await readBodyText(post('héllo'), 6)).toBe('héllo');
    expect(await readBodyText(post(new Uint8Array([0x61, 0xff])), 10)).toBe('a\uFFFD');
    expect(await readBodyText(post(null), 0)).toBe('');
  });

  it('answers undefined past the limit, having read the whole stream', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 10) controller.close();
        else controller.enqueue(new Uint8Array(1_000));
      },
    });
    const request = new Request('http://h.test/x', {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(await readBodyText(request, 5_000)).toBeUndefined();
    expect(pulled).toBe(11);
  });

  it("defaults to Twenty's 100 MiB", () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(104_857_600);
  });
});
