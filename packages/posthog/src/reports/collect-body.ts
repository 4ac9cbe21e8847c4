import { type ApiResult, err, invalidInput, ok, unexpectedFailure } from '@patchbay/core';

/**
 * A report body read whole into one buffer, for deliverers that must hold it (an attachment; a webhook body sent
 * again on a retry). A body over `maxBytes` is cancelled (so no further page is fetched) and refused with
 * `VALIDATION_ERROR` naming `maxBytes`; a body that errors gives its error (the export's typed error).
 */
export async function collectBody(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<ApiResult<Uint8Array<ArrayBuffer>>> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        return err(
          invalidInput(
            'maxBytes',
            `is ${maxBytes} bytes and the export is larger: raise it, or deliver to a file`,
          ),
        );
      }
      chunks.push(value);
    }
  } catch (error) {
    return err(unexpectedFailure('report body', error));
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return ok(bytes);
}
