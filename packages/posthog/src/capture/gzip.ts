// CompressionStream is a web standard (Node 18+, Bun, Deno, browsers, edge runtimes), so the capture path
// needs no zlib binding and runs wherever fetch does.

/** The UTF-8 text gzipped, as PostHog's capture service accepts with `Content-Encoding: gzip`. */
export async function gzipText(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
