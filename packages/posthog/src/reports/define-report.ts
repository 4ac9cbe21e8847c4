import {
  type ApiResult,
  err,
  type FieldIssue,
  IntegrationError,
  ok,
  optionsObject,
  parseOptions,
  toJsonValue,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { EXPORT_FORMAT_NAMES, type ExportFormat } from '../export/export-format.ts';
import { checkExportOptions, MAX_EXPORT_PAGE_SIZE } from '../export/export-options.ts';
import { RANGED_KINDS } from './apply-range.ts';
import type { ReportDeliverer } from './report-delivery.ts';
import { RANGE_ENDS, RELATIVE_SPAN, type ReportRange } from './report-range.ts';

/** What `defineReport` takes. */
export interface ReportDefinition {
  /** Names the report in results and file names: 1 to 100 letters, digits, `.`, `_` or `-`. */
  id: string;
  /** The query node exported (see `exportQuery`); copied, so changing it later changes nothing. */
  query: { kind: string; [key: string]: unknown };
  format: ExportFormat;
  /** Where each run goes. */
  deliver: ReportDeliverer;
  /** The dates the query covers, relative to each run's `now` (HogQL, events and trends queries). */
  range?: ReportRange;
  /** Rows per query (see `exportQuery`). */
  pageSize?: number;
  /** CSV only (see `exportQuery`). Default true. */
  escapeFormulas?: boolean;
}

/** A checked report, ready for `runReport`. */
export interface Report {
  readonly id: string;
  readonly query: Readonly<{ kind: string; [key: string]: unknown }>;
  readonly format: ExportFormat;
  readonly deliver: ReportDeliverer;
  readonly range: ReportRange | undefined;
  readonly pageSize: number | undefined;
  readonly escapeFormulas: boolean;
}

const LABEL = 'report';
const isFunction = (value: unknown) => typeof value === 'function';

const reportSchema = z.object({
  id: z
    .string({ error: 'is required' })
    .check(
      z.regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
        'must be 1 to 100 letters, digits, dots, dashes or underscores, starting with a letter or a digit',
      ),
    ),
  query: z.custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'must be a query node: an object with a kind',
  ),
  format: z.enum(EXPORT_FORMAT_NAMES, { error: `must be one of ${EXPORT_FORMAT_NAMES.join(', ')}` }),
  deliver: z.custom<ReportDeliverer>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { deliver?: unknown }).deliver === 'function',
    'must be a deliverer (fileDeliverer, webhookDeliverer, emailDeliverer or an object with deliver())',
  ),
  range: z.optional(
    z.union(
      [
        z.strictObject({
          last: z.string().check(z.regex(RELATIVE_SPAN, 'must be a span such as 24h, 7d, 1w or 1m')),
          until: z.optional(z.enum(RANGE_ENDS)),
        }),
        z.custom<ReportRange>(isFunction),
      ],
      { error: "must be { last: '7d' } or a function of now answering { from, to }" },
    ),
  ),
  pageSize: z.optional(
    z
      .int()
      .check(
        z.minimum(1, 'must be 1 or more'),
        z.maximum(MAX_EXPORT_PAGE_SIZE, `must be at most ${MAX_EXPORT_PAGE_SIZE}`),
      ),
  ),
  escapeFormulas: z.optional(z.boolean()),
});

const defined = new WeakSet<object>();

/**
 * A report: a query exported in a format and delivered somewhere, over dates relative to each run. Checked
 * once here (the query as `exportQuery` would check it), so `runReport` meets no configuration error.
 * @example
 * const weekly = defineReport({
 *   id: 'weekly-signups', format: 'csv', range: { last: '7d', until: 'startOfDay' },
 *   query: { kind: 'EventsQuery', select: ['timestamp', 'distinct_id'], event: 'signed_up' },
 *   deliver: emailDeliverer({ transport, from: 'reports@example.com', to: 'team@example.com', subject: 'Signups {from} to {to}' }),
 * });
 * @throws IntegrationError `CONFIG_ERROR` naming the field (`id`, `query.select`, `range.last`…), never its value.
 */
export function defineReport(definition: ReportDefinition): Report {
  const plain = optionsObject(definition, { label: LABEL });
  const parsed = parseOptions(reportSchema, plain, { label: LABEL });
  const query = toJsonValue(parsed.query, { field: 'query' });
  if (!query.success) throw configError(query.error);
  const node = query.data as { kind: string; [key: string]: unknown };
  if (parsed.range !== undefined && !(RANGED_KINDS as readonly unknown[]).includes(node.kind)) {
    throw configError(undefined, [{ field: 'range', message: `applies to ${RANGED_KINDS.join(', ')} only` }]);
  }
  // The query checked as the export will check it, with a client that is never called.
  const checked = checkExportOptions({
    client: { query: async () => err(new IntegrationError('OPERATION_FAILED', 'not called')) },
    query: node,
    format: parsed.format,
    pageSize: parsed.pageSize,
    escapeFormulas: parsed.escapeFormulas,
  });
  if (!checked.success) throw configError(checked.error);
  const report: Report = Object.freeze({
    id: parsed.id,
    query: deepFreeze(node),
    format: parsed.format,
    deliver: parsed.deliver,
    range:
      parsed.range === undefined || isFunction(parsed.range)
        ? parsed.range
        : Object.freeze({ ...parsed.range }),
    pageSize: parsed.pageSize,
    escapeFormulas: parsed.escapeFormulas ?? true,
  });
  defined.add(report);
  return report;
}

/** `report` when `defineReport` made it, else `report` checked as `defineReport` would (a failed result, not a throw). */
export function checkReport(report: unknown): ApiResult<Report> {
  if (typeof report === 'object' && report !== null && defined.has(report)) return ok(report as Report);
  try {
    return ok(defineReport(report as ReportDefinition));
  } catch (error) {
    return err(
      error instanceof IntegrationError
        ? error
        : new IntegrationError('CONFIG_ERROR', 'Invalid report', { field: 'report', retryable: false }),
    );
  }
}

// A check's VALIDATION_ERROR (or the given issues) as the CONFIG_ERROR of a definition, naming the same fields.
function configError(error: IntegrationError | undefined, issues?: FieldIssue[]): IntegrationError {
  const listed = issues ??
    error?.issues ?? [{ field: error?.field ?? '(root)', message: error?.message ?? 'is invalid' }];
  return new IntegrationError(
    'CONFIG_ERROR',
    `Invalid ${LABEL}: ${listed.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`,
    { field: listed[0]?.field ?? '(root)', issues: listed, retryable: false },
  );
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
