import { type ApiResult, IntegrationError, unexpectedFailure } from '@patchbay/core';
import type { CheckedExport } from './export-options.ts';
import type { ExportPage } from './page-source.ts';

/** What an export has done so far, for a report to tell (rows and bytes written, how it ended). */
export interface ExportProgress {
  rows: number;
  bytes: number;
  /** The last page was written and the stream closed. */
  done: boolean;
  /** The error the stream ended with, when it did. */
  error: IntegrationError | undefined;
}

// Pages are written as chunks of about this many characters, so a consumer (a response body, a file) gets chunks
// of a useful size rather than one per row or one per page.
const CHUNK_CHARS = 64 * 1024;

const aborted = () =>
  new IntegrationError('ABORTED', 'The export was aborted by the caller', { retryable: false });

/**
 * The byte stream of a checked export (or one that errors at once with `setup`'s error). Pull-based, with a high
 * water mark of 0: a page is fetched only when the consumer reads and everything before it has been read, so one
 * page at most is in memory. A failed page errors the stream with its `IntegrationError`; cancelling the stream
 * or aborting the export's signal aborts the query in flight and fetches nothing more.
 */
export function createExportStream(
  setup: ApiResult<CheckedExport>,
  progress: ExportProgress,
): ReadableStream<Uint8Array> {
  const inFlight = new AbortController();
  const encoder = new TextEncoder();
  let finished = false;
  let began = false;
  let detach = () => {};

  const finish = () => {
    finished = true;
    detach();
  };
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: IntegrationError) => {
    if (finished) return;
    progress.error = error;
    finish();
    inFlight.abort(error);
    controller.error(error);
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (!setup.success) return fail(controller, setup.error);
        const { signal } = setup.data;
        if (!signal) return;
        if (signal.aborted) return fail(controller, aborted());
        const onAbort = () => fail(controller, aborted());
        signal.addEventListener('abort', onAbort, { once: true });
        detach = () => signal.removeEventListener('abort', onAbort);
      },
      async pull(controller) {
        if (!setup.success) return;
        const { source, encoder: rows } = setup.data;
        // A page may write nothing (an empty page before the last): the stream would not pull again for the same
        // read, so this pull goes on until it has written something or the export has ended.
        while (!finished) {
          let page: ApiResult<ExportPage>;
          try {
            page = await source.next(inFlight.signal);
          } catch (error) {
            page = { success: false, error: unexpectedFailure('exportQuery', error) };
          }
          if (finished) return;
          if (!page.success) return fail(controller, page.error);
          const { columns, last } = page.data;
          let text = '';
          let wrote = false;
          const write = (piece: string) => {
            text += piece;
            if (text.length < CHUNK_CHARS) return;
            enqueue(controller, text);
            text = '';
            wrote = true;
          };
          let index = 0;
          try {
            if (!began) {
              began = true;
              write(rows.begin(columns));
            }
            for (const row of page.data.rows) {
              write(rows.row(row));
              index += 1;
            }
            if (last) write(rows.end());
          } catch {
            return fail(controller, unwritable(index, setup.data.format));
          }
          progress.rows += page.data.rows.length;
          if (text !== '') {
            enqueue(controller, text);
            wrote = true;
          }
          if (last) {
            progress.done = true;
            finish();
            controller.close();
            return;
          }
          if (wrote) return;
        }
      },
      cancel() {
        finish();
        inFlight.abort(aborted());
      },
    },
    { highWaterMark: 0 },
  );

  function enqueue(controller: ReadableStreamDefaultController<Uint8Array>, text: string) {
    const bytes = encoder.encode(text);
    progress.bytes += bytes.byteLength;
    controller.enqueue(bytes);
  }
}

const unwritable = (row: number, format: string) =>
  new IntegrationError(
    'INVALID_RESPONSE',
    `A cell of the export's row ${row} cannot be written as ${format}`,
    {
      field: `results.${row}`,
      retryable: false,
    },
  );
