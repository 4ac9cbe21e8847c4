import {
  type ApiResult,
  describeType,
  err,
  invalidInput,
  ok,
  readOptions,
  readProperty,
  readSignal,
  toJsonValue,
} from '@patchbay/core';
import { eventsPages } from './events-pages.ts';
import { EXPORT_FORMAT_NAMES, type ExportFormat } from './export-format.ts';
import { hogQLPages } from './hogql-pages.ts';
import type { PageSource } from './page-source.ts';
import type { PostHogQuerySource } from './query-source.ts';
import { createRowEncoder, type RowEncoder } from './row-encoder.ts';
import { singlePage } from './single-page.ts';

/** PostHog answers at most 50 000 rows a query (`MAX_SELECT_RETURNED_ROWS`), so no page can be larger. */
export const MAX_EXPORT_PAGE_SIZE = 50_000;
/** Rows a page asks for unless told otherwise. */
export const DEFAULT_EXPORT_PAGE_SIZE = 10_000;

/** Options of `exportQuery`. */
export interface ExportQueryOptions {
  /** A PostHog client (`createPostHogClient`), or anything with its `query(node, { signal })`. */
  client: PostHogQuerySource;
  /**
   * The query: `EventsQuery` is paged by keyset, `HogQLQuery` by keyset when its SQL names `{after_timestamp}`
   * and `{after_uuid}` (see `exportQuery`); `TrendsQuery` and other kinds run as one page.
   */
  query: { kind: string; [key: string]: unknown };
  /** `csv`, `json` or `ndjson`. */
  format: ExportFormat;
  /** Rows per query of a paged export, 1 to 50 000 (PostHog's cap). Default 10 000. */
  pageSize?: number;
  /**
   * CSV only: prefix text cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) with
   * `'`, as OWASP advises for CSV files opened in spreadsheets. Default true; false writes cells untouched.
   */
  escapeFormulas?: boolean;
  /** Stops the export: the stream errors with `ABORTED` and the query in flight is cancelled. */
  signal?: AbortSignal;
}

/** An export's options once checked: where its pages come from and how they are written. */
export interface CheckedExport {
  source: PageSource;
  encoder: RowEncoder;
  format: ExportFormat;
  signal: AbortSignal | undefined;
}

const KEYS = ['client', 'query', 'format', 'pageSize', 'escapeFormulas', 'signal'] as const;
const QUERY_KIND = /^[A-Z][A-Za-z0-9]{0,99}$/;

/**
 * Reads an export's options once each and checks them: anything wrong is a `VALIDATION_ERROR` naming the field
 * (`format`, `pageSize`, `query.select.0`), never quoting a value.
 */
export function checkExportOptions(options: unknown): ApiResult<CheckedExport> {
  const read = readOptions(options, KEYS, 'options');
  if (!read.success) return read;
  const {
    client,
    query,
    format,
    pageSize = DEFAULT_EXPORT_PAGE_SIZE,
    escapeFormulas = true,
    signal,
  } = read.data;
  if (typeof format !== 'string' || !(EXPORT_FORMAT_NAMES as readonly string[]).includes(format)) {
    return err(invalidInput('format', `must be one of ${EXPORT_FORMAT_NAMES.join(', ')}`));
  }
  if (
    !Number.isSafeInteger(pageSize) ||
    (pageSize as number) < 1 ||
    (pageSize as number) > MAX_EXPORT_PAGE_SIZE
  ) {
    return err(invalidInput('pageSize', `must be an integer from 1 to ${MAX_EXPORT_PAGE_SIZE}`));
  }
  if (typeof escapeFormulas !== 'boolean') {
    return err(invalidInput('escapeFormulas', `must be a boolean, not ${describeType(escapeFormulas)}`));
  }
  const checkedSignal = readSignal(signal, 'signal');
  if (!checkedSignal.success) return checkedSignal;
  const source = querySource(client);
  if (!source.success) return source;
  const node = readNode(query);
  if (!node.success) return node;
  const pages = pagesOf(source.data, node.data, pageSize as number);
  if (!pages.success) return pages;
  return ok({
    source: pages.data,
    encoder: createRowEncoder({ format: format as ExportFormat, escapeFormulas }),
    format: format as ExportFormat,
    signal: checkedSignal.data,
  });
}

// The client's `query` read once and bound, so a getter on the client cannot answer differently per page.
function querySource(client: unknown): ApiResult<PostHogQuerySource> {
  if ((typeof client !== 'object' && typeof client !== 'function') || client === null) {
    return err(invalidInput('client', `must be a PostHog client, not ${describeType(client)}`));
  }
  const query = readProperty(client, 'query', 'client.query');
  if (!query.success) return query;
  const run = query.data;
  if (typeof run !== 'function') return err(invalidInput('client.query', 'must be a function'));
  return ok({ query: (node, options) => run.call(client, node, options) });
}

// A plain JSON copy of the caller's node: what is paged and sent is that copy, whatever the original does later.
function readNode(query: unknown): ApiResult<Record<string, unknown> & { kind: string }> {
  const copy = toJsonValue(query, { field: 'query' });
  if (!copy.success) return copy;
  const node = copy.data;
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    return err(invalidInput('query', 'must be a query node: an object with a kind'));
  }
  if (typeof node.kind !== 'string' || !QUERY_KIND.test(node.kind)) {
    return err(invalidInput('query.kind', 'must be a query kind such as HogQLQuery'));
  }
  return ok(node as Record<string, unknown> & { kind: string });
}

function pagesOf(
  client: PostHogQuerySource,
  node: Record<string, unknown> & { kind: string },
  pageSize: number,
): ApiResult<PageSource> {
  if (node.kind === 'EventsQuery') return eventsPages(client, node, pageSize);
  if (node.kind === 'HogQLQuery') return hogQLPages(client, node, pageSize);
  return ok(singlePage(client, node));
}
