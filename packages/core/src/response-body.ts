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
  const body = response.body;
  if (!body) return { text: '' };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
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
      parts.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    reader.releaseLock();
  }
  parts.push(decoder.decode());
  return { text: parts.join('') };
}

// Only a single, well-formed length is trusted up front; anything else is checked while streaming.
function declaredLength(headers: Headers): number | undefined {
  const text = headers.get('content-length')?.trim();
  return text && /^\d+$/.test(text) ? Number(text) : undefined;
}

function cancel(body: ReadableStream | null): void {
  body?.cancel().catch(() => {});
}
