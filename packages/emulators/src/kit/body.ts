// Request bodies read with a bound, for every emulator: past it nothing more is kept in memory, whatever the
// client sends. The default is Twenty's, the first emulated service: its JSON body-parser limit is
// `settings.storage.maxFileSize` ('100MB' in twenty-server `engine/constants/settings`).

/** The largest body read by default, in bytes (100 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;

/**
 * The body's text (UTF-8, malformed bytes replaced as `request.text()` does), or undefined when it is larger than
 * `maxBytes`: it is still read to its end, so the connection stays usable, but none of the excess is kept.
 * @example const text = await readBodyText(request, DEFAULT_MAX_BODY_BYTES); if (text === undefined) return tooLarge();
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string | undefined> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size <= maxBytes) chunks.push(value);
  }
  if (size > maxBytes) return undefined;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
