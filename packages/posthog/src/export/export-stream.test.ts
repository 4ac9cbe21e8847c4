import { err, IntegrationError, ok } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { readText, readUntilError } from '../../test-support/export-fakes.ts';
import type { CheckedExport } from './export-options.ts';
import { createExportStream, type ExportProgress } from './export-stream.ts';
import type { ExportPage, PageSource } from './page-source.ts';
import { createRowEncoder } from './row-encoder.ts';

const progress = (): ExportProgress => ({ rows: 0, bytes: 0, done: false, error: undefined });

function scripted(pages: (ExportPage | IntegrationError)[], signal?: AbortSignal) {
  const asked: AbortSignal[] = [];
  const source: PageSource = {
    async next(pageSignal) {
      asked.push(pageSignal);
      const page = pages[asked.length - 1];
      if (page === undefined) throw new Error('asked past the last page');
      return page instanceof IntegrationError ? err(page) : ok(page);
    },
  };
  const checked: CheckedExport = {
    source,
    encoder: createRowEncoder({ format: 'ndjson', escapeFormulas: true }),
    format: 'ndjson',
    signal,
  };
  return { checked, asked };
}

const page = (rows: unknown[][], last = false): ExportPage => ({ columns: ['n'], rows, last });

describe('createExportStream', () => {
  it('writes pages as they are read and closes after the last, counting rows and bytes', async () => {
    const { checked, asked } = scripted([page([[1], [2]]), page([]), page([[3]], true)]);
    const counted = progress();
    const text = await readText(createExportStream(ok(checked), counted));
    expect(text).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    expect(asked).toHaveLength(3);
    expect(counted).toEqual({ rows: 3, bytes: text.length, done: true, error: undefined });
  });

  it('fetches no page before it is read (pull-based, high water mark 0)', async () => {
    const { checked, asked } = scripted([page([[1]]), page([[2]], true)]);
    const reader = createExportStream(ok(checked), progress()).getReader();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked).toHaveLength(0);
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked).toHaveLength(1);
    await reader.read();
    expect(asked).toHaveLength(2);
  });

  it('a failed page errors the stream with its IntegrationError, after the pages before', async () => {
    const failure = new IntegrationError('RATE_LIMIT', 'Request was throttled', { retryAfterMs: 5000 });
    const counted = progress();
    const { checked } = scripted([page([[1]]), failure]);
    const { text, error } = await readUntilError(createExportStream(ok(checked), counted));
    expect(text).toBe('{"n":1}\n');
    expect(error).toBe(failure);
    expect(counted).toMatchObject({ rows: 1, done: false, error: failure });
  });

  it('a setup error errors the stream at once', async () => {
    const failure = new IntegrationError('VALIDATION_ERROR', 'Invalid input: format', { field: 'format' });
    const { error } = await readUntilError(createExportStream(err(failure), progress()));
    expect(error).toBe(failure);
  });

  it('a cell that cannot be written is INVALID_RESPONSE naming the row', async () => {
    const { checked } = scripted([page([[1], [2n]], true)]);
    const { error } = await readUntilError(createExportStream(ok(checked), progress()));
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', field: 'results.1' });
  });

  it('a page source that throws is OPERATION_FAILED', async () => {
    const checked: CheckedExport = {
      source: {
        next: () => {
          throw new Error('boom');
        },
      },
      encoder: createRowEncoder({ format: 'csv', escapeFormulas: true }),
      format: 'csv',
      signal: undefined,
    };
    const { error } = await readUntilError(createExportStream(ok(checked), progress()));
    expect(error).toMatchObject({ code: 'OPERATION_FAILED' });
  });

  it('cancel aborts the query in flight and fetches nothing more', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    let seen: AbortSignal | undefined;
    let calls = 0;
    const checked: CheckedExport = {
      source: {
        next: (signal) => {
          calls += 1;
          seen = signal;
          started();
          return new Promise((resolve) =>
            signal.addEventListener('abort', () =>
              resolve(err(new IntegrationError('ABORTED', 'cancelled'))),
            ),
          );
        },
      },
      encoder: createRowEncoder({ format: 'csv', escapeFormulas: true }),
      format: 'csv',
      signal: undefined,
    };
    const reader = createExportStream(ok(checked), progress()).getReader();
    const read = reader.read();
    await running;
    await reader.cancel();
    expect(seen?.aborted).toBe(true);
    expect(await read).toEqual({ done: true, value: undefined });
    expect(calls).toBe(1);
  });

  it("the caller's signal errors the stream with ABORTED and aborts the query in flight", async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const counted = progress();
    const checked: CheckedExport = {
      source: {
        next: (signal) => {
          seen = signal;
          queueMicrotask(() => controller.abort());
          return new Promise((resolve) => signal.addEventListener('abort', () => resolve(ok(page([[1]])))));
        },
      },
      encoder: createRowEncoder({ format: 'csv', escapeFormulas: true }),
      format: 'csv',
      signal: controller.signal,
    };
    const { text, error } = await readUntilError(createExportStream(ok(checked), counted));
    expect(text).toBe('');
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(seen?.aborted).toBe(true);
    expect(counted.error).toMatchObject({ code: 'ABORTED' });
  });

  it('a signal aborted before the start errors the stream without a query', async () => {
    const { checked, asked } = scripted([page([[1]], true)], AbortSignal.abort());
    const { error } = await readUntilError(createExportStream(ok(checked), progress()));
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(asked).toHaveLength(0);
  });
});
