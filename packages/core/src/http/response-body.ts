/** What {@link readBodyText} found: the text, or that the body is larger than allowed (and was cancelled). */
export type BodyText = { text: string; tooLarge?: undefined } | { tooLarge: true; text?: undefined };

/**
 * Reads a response body as UTF-8 text (as `response.text()` does), but never more than `maxBytes`: a
 * `Content-Length` above it is refused before reading, and a body without one (chunked, compressed) is
 * counted as it streams and cancelled as soon as it passes the limit. Either way the connection is released.
 * @example const body = await readBodyText(response, 10 * 1024 * 1024); if (body.tooLarge) ...
 */
export async function readBodyText(response: Response, maxBytes: number): Promise<BodyText> {
  const declared = declaredLength(response.headers);
  if (declared !== undefined && declared > maxBytes) {
    cancel(response.body);
    return { tooLarge: true };
  }
  // A declared length within the limit on an uncompressed body bounds what fetch delivers (HTTP framing ends
  // the body there), so the native reader can do it: the first hand-driven stream read of a process costs
  // milliseconds of lazy setup, which a burst of first calls would pay on the event loop. A compressed body
  // may inflate past its length and is counted.
  if (declared !== undefined && isIdentity(response.headers)) {
    const text = await response.text();
    // Only an in-memory Response (a custom fetch) can carry more than it declares; caught after the fact (a
    // UTF-8 text has at least as many bytes as UTF-16 units).
    return text.length > maxBytes ? { tooLarge: true } : { text };
  }
  const body = response.body;
  if (!body) return { text: '' };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) {
        reader.cancel().catch(() => {});
        return { tooLarge: true };
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  // Decoded once at the end, as response.text() does (a streaming decode per chunk costs more).
  if (chunks.length === 1) return { text: new TextDecoder().decode(chunks[0]) };
  const all = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(all) };
}

// Only a single, well-formed length is trusted up front; anything else is checked while streaming.
function declaredLength(headers: Headers): number | undefined {
  const text = headers.get('content-length')?.trim();
  return text && /^\d+$/.test(text) ? Number(text) : undefined;
}

function isIdentity(headers: Headers): boolean {
  const encoding = headers.get('content-encoding')?.trim().toLowerCase();
  return encoding === undefined || encoding === '' || encoding === 'identity';
}

function cancel(body: ReadableStream | null): void {
  body?.cancel().catch(() => {});
}
