import {
  type ApiResult,
  err,
  IntegrationError,
  isIntegrationError,
  ok,
  optionsObject,
  parseOptions,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { EXPORT_FORMATS } from '../export/export-format.ts';
import type { ReportDeliverer, ReportDelivery } from './report-delivery.ts';
import { fillTemplate, TEMPLATE_PLACEHOLDERS, unknownPlaceholders } from './report-template.ts';

// The package's main entry must run wherever fetch does (no Node types in src), so the file system is the
// caller's to pass: Node's `fs/promises` (also Deno's and Bun's `node:fs/promises`) has this shape as it is.

/** What `fileDeliverer` needs of a file system: `node:fs/promises` fits as it is. */
export interface ReportFileSystem {
  /** Writes the chunks to a new file (Node's `writeFile` takes an async iterable). */
  writeFile(
    path: string,
    data: AsyncIterable<Uint8Array>,
    options?: { signal?: AbortSignal },
  ): Promise<unknown>;
  rename(from: string, to: string): Promise<unknown>;
  rm(path: string, options?: { force?: boolean }): Promise<unknown>;
}

/** Options of {@link fileDeliverer}: `path`, or `directory` with a `filename` pattern. */
export interface FileDelivererOptions {
  /** The file system: `await import('node:fs/promises')`. */
  fs: ReportFileSystem;
  /** The file each run writes (replaced each time). */
  path?: string;
  /** The directory (it must exist) each run writes a file in, named by `filename`. */
  directory?: string;
  /**
   * The name of each run's file in `directory`, with placeholders `{id}`, `{date}` (YYYY-MM-DD), `{time}`
   * (HHmmss), `{from}`, `{to}` (the range's dates) and `{ext}`, all UTC. Default `{id}-{date}.{ext}`.
   */
  filename?: string;
}

const LABEL = 'file deliverer options';
const isFunction = (value: unknown) => typeof value === 'function';
const pathText = z.string().check(
  z.minLength(1, 'must not be empty'),
  z.refine((value) => !value.includes('\0'), 'must not hold a NUL character'),
);

const schema = z.object({
  fs: z.custom<ReportFileSystem>(
    (value: unknown) =>
      typeof value === 'object' &&
      value !== null &&
      ['writeFile', 'rename', 'rm'].every((name) => isFunction((value as Record<string, unknown>)[name])),
    "must be a file system with writeFile, rename and rm: await import('node:fs/promises')",
  ),
  path: z.optional(pathText),
  directory: z.optional(pathText),
  filename: z.optional(
    pathText.check(
      z.refine((value) => !/[/\\]/.test(value), 'must be a name, without / or \\'),
      z.refine((value) => value !== '.' && value !== '..', 'must be a name, not . or ..'),
      z.refine(
        (value) => unknownPlaceholders(value).length === 0,
        `may hold only the placeholders ${TEMPLATE_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}`,
      ),
    ),
  ),
});

/**
 * Delivers each run to a file, streamed page by page (a million rows need no more memory than one page): written
 * beside the target as `<target>.<random>.partial` and renamed over it once complete, so a failed or aborted run
 * leaves the previous file as it was and no partial one.
 * @example fileDeliverer({ fs: await import('node:fs/promises'), directory: './reports', filename: '{id}-{date}.{ext}' })
 * @throws IntegrationError `CONFIG_ERROR` naming the field (`fs`, `path`, `filename`…).
 */
export function fileDeliverer(options: FileDelivererOptions): ReportDeliverer {
  const parsed = parseOptions(schema, optionsObject(options, { label: LABEL }), { label: LABEL });
  const { fs, path, directory } = parsed;
  if ((path === undefined) === (directory === undefined)) {
    throw new IntegrationError('CONFIG_ERROR', `Invalid ${LABEL}: path: give either path or directory`, {
      field: 'path',
      issues: [{ field: 'path', message: 'give either path or directory' }],
      retryable: false,
    });
  }
  if (path !== undefined && parsed.filename !== undefined) {
    throw new IntegrationError('CONFIG_ERROR', `Invalid ${LABEL}: filename: goes with directory, not path`, {
      field: 'filename',
      issues: [{ field: 'filename', message: 'goes with directory, not path' }],
      retryable: false,
    });
  }
  const filename = parsed.filename ?? '{id}-{date}.{ext}';

  return {
    async deliver(delivery: ReportDelivery): Promise<ApiResult<{ deliveredTo: string }>> {
      const target =
        path ??
        `${(directory as string).replace(/[/\\]+$/, '')}/${fillTemplate(filename, {
          id: delivery.reportId,
          now: delivery.now,
          range: delivery.range,
          ext: EXPORT_FORMATS[delivery.format]?.extension ?? 'txt',
        })}`;
      const partial = `${target}.${randomHex()}.partial`;
      try {
        await fs.writeFile(
          partial,
          chunksOf(delivery.body),
          delivery.signal ? { signal: delivery.signal } : {},
        );
        await fs.rename(partial, target);
        return ok({ deliveredTo: target });
      } catch (error) {
        await Promise.resolve()
          .then(() => fs.rm(partial, { force: true }))
          .catch(() => {});
        await delivery.body.cancel().catch(() => {});
        if (isIntegrationError(error)) return err(error);
        return err(
          new IntegrationError('OPERATION_FAILED', `Writing the report file failed (${errorCode(error)})`, {
            field: 'path',
            retryable: false,
            cause: error instanceof Error ? error : undefined,
          }),
        );
      }
    },
  };
}

// The body as an async iterable of its chunks (web streams are async iterables on Node, not everywhere).
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

function randomHex(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

// Node's errors carry a code (ENOENT, EACCES): the one thing worth saying without quoting the path back.
function errorCode(error: unknown): string {
  try {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return code;
  } catch {
    // A getter that throws: no code to tell.
  }
  return 'see cause';
}
