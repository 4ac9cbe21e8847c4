import { type ApiResult, type HttpClient, type IntegrationError, ok } from '@patchbay/core';
import * as z from 'zod/mini';

/** HubSpot's batch limit: at most 100 inputs per read, create, update, upsert or archive call. */
export const HUBSPOT_BATCH_SIZE = 100;

/** Why one input of a batch failed: HubSpot's category and message, and the HTTP status it stands for. */
export interface HubSpotBatchError {
  /** HubSpot's category (`OBJECT_NOT_FOUND`, `VALIDATION_ERROR`, `CONFLICT`…), or core's error code when the whole request failed, or `NOT_SENT`. */
  category: string;
  message: string;
  /** HubSpot's finer reason, e.g. `crm.associations.NO_ASSOCIATIONS_FOUND` (a record with no associations). */
  subCategory?: string;
  /** The HTTP status the category stands for (404, 400, 409…) or the failed request's status, when known. */
  status?: number;
  /** Whether sending this input again may succeed (a rate limit, a server error, a batch never sent). */
  retryable: boolean;
}

/** One input's outcome, tied back to its position in the caller's array: never a plain success for a 207. */
export type HubSpotBatchOutcome<R> =
  | { ok: true; index: number; record: R; created?: boolean }
  | { ok: false; index: number; error: HubSpotBatchError };

/** The outcomes of a batch call, one per input in the caller's order, with counts. */
export interface HubSpotBatchResult<R> {
  outcomes: HubSpotBatchOutcome<R>[];
  succeeded: number;
  failed: number;
  /**
   * The errors of requests that failed as a whole (a chunk refused or never answered), in the order sent; their
   * inputs' outcomes carry a copy. Empty when every request was answered, a 207 included.
   */
  requestErrors: IntegrationError[];
}

/** One chunk's request: the body to send and the keys that tie answers back to each input. */
export interface BatchChunkSpec<I, R> {
  path: string;
  body: (chunk: readonly I[]) => unknown;
  /** Keys naming one input (its objectWriteTraceId, id or unique value), as HubSpot's answers may name it. */
  inputKeys: (input: I) => readonly string[];
  /** Keys naming the input a result answers. */
  resultKeys: (record: R) => readonly string[];
  /** Whether a result was created rather than updated (an upsert's `new`), when the answer says. */
  createdOf?: (record: R) => boolean | undefined;
  /** Safe to send again as it is (a read, an update, an upsert); a create is resent only after a 429. */
  idempotent: boolean;
  signal?: AbortSignal;
  /**
   * Removes credentials from the messages HubSpot put in a 2xx body (core scrubs error bodies only): a server that
   * echoes the token must not put it in an outcome.
   */
  scrub?: (text: string) => string;
}

const errorItemSchema = z.looseObject({
  category: z.optional(z.unknown()),
  subCategory: z.optional(z.unknown()),
  message: z.optional(z.unknown()),
  context: z.optional(z.unknown()),
});

const CATEGORY_STATUS: Record<string, number> = {
  OBJECT_NOT_FOUND: 404,
  CONFLICT: 409,
  VALIDATION_ERROR: 400,
  INVALID_EMAIL: 400,
  RATE_LIMITS: 429,
  MISSING_SCOPES: 403,
};
// Categories another attempt may fix.
const RETRYABLE_CATEGORIES = new Set([
  'RATE_LIMITS',
  'RATE_LIMIT',
  'SERVER_ERROR',
  'TIMEOUT',
  'NETWORK_ERROR',
  'NOT_SENT',
  'CIRCUIT_OPEN',
]);
// A whole-batch failure the other chunks share (credentials, budget, outage): stop sending instead of repeating it.
const DATA_ERRORS = new Set(['VALIDATION_ERROR', 'CONFLICT', 'NOT_FOUND', 'INVALID_RESPONSE']);

/**
 * Sends `inputs` in chunks of 100 and reads every answer into one outcome per input: results matched to their
 * input by objectWriteTraceId, id or unique value; HubSpot's `errors[]` matched by the ids and trace ids in their
 * `context`; an input nothing answered for is a failure (`NO_RESULT`), never a silent success. A chunk whose request
 * fails marks its inputs with the error; after a failure that is not about the data (auth, rate limit, outage),
 * the remaining chunks are not sent (`NOT_SENT`, retryable).
 */
export async function runBatch<I, R>(
  http: HttpClient,
  inputs: readonly I[],
  spec: BatchChunkSpec<I, R>,
  recordSchema: z.ZodMiniType<R>,
  chunkSize = HUBSPOT_BATCH_SIZE,
): Promise<ApiResult<HubSpotBatchResult<R>>> {
  const envelope = z.looseObject({
    status: z.optional(z.string()),
    results: z._default(z.array(recordSchema), []),
    errors: z.optional(z.array(z.unknown())),
  });
  const outcomes: HubSpotBatchOutcome<R>[] = new Array(inputs.length);
  const requestErrors: IntegrationError[] = [];
  let stopped: IntegrationError | undefined;
  for (let start = 0; start < inputs.length; start += chunkSize) {
    const chunk = inputs.slice(start, start + chunkSize);
    if (stopped) {
      chunk.forEach((_, offset) => {
        outcomes[start + offset] = failure(start + offset, {
          category: 'NOT_SENT',
          message: `not sent: an earlier batch failed with ${stopped?.code}`,
          retryable: true,
        });
      });
      continue;
    }
    const sent = await sendChunk(http, spec, chunk, envelope);
    if (!sent.success) {
      const { error } = sent;
      requestErrors.push(error);
      chunk.forEach((_, offset) => {
        outcomes[start + offset] = failure(start + offset, {
          category: error.code,
          message: error.message,
          ...(error.status === undefined ? {} : { status: error.status }),
          retryable: error.retryable,
        });
      });
      if (!DATA_ERRORS.has(error.code)) stopped = error;
      continue;
    }
    const answered = readAnswers(chunk, start, sent.data, spec);
    for (const outcome of answered) outcomes[outcome.index] = outcome;
  }
  const succeeded = outcomes.filter((outcome) => outcome.ok).length;
  return ok({ outcomes, succeeded, failed: outcomes.length - succeeded, requestErrors });
}

async function sendChunk<I, R>(
  http: HttpClient,
  spec: BatchChunkSpec<I, R>,
  chunk: readonly I[],
  envelope: z.ZodMiniType<{ results: R[]; errors?: unknown[] }>,
): Promise<ApiResult<{ results: R[]; errors?: unknown[] }>> {
  // A create (not idempotent) is still retried after a 429 by core (retry.unprocessedStatuses): HubSpot refused
  // it before processing, so sending it again cannot create twice. Any other failure of a create is final.
  const result = await http.post(spec.path, {
    json: spec.body(chunk),
    schema: envelope,
    idempotent: spec.idempotent,
    ...(spec.signal ? { signal: spec.signal } : {}),
  });
  return result.success ? ok(result.data ?? { results: [] }) : result;
}

function readAnswers<I, R>(
  chunk: readonly I[],
  start: number,
  answer: { results: R[]; errors?: unknown[] },
  spec: BatchChunkSpec<I, R>,
): HubSpotBatchOutcome<R>[] {
  const byKey = new Map<string, number>();
  chunk.forEach((input, offset) => {
    for (const key of spec.inputKeys(input)) if (!byKey.has(key)) byKey.set(key, start + offset);
  });
  const outcomes = new Map<number, HubSpotBatchOutcome<R>>();
  for (const record of answer.results) {
    const index = spec
      .resultKeys(record)
      .map((key) => byKey.get(key))
      .find((i) => i !== undefined && !outcomes.has(i));
    if (index === undefined) continue;
    const created = spec.createdOf?.(record);
    outcomes.set(index, { ok: true, index, record, ...(created === undefined ? {} : { created }) });
  }
  const unmatched: HubSpotBatchError[] = [];
  for (const item of answer.errors ?? []) {
    const parsed = errorItemSchema.safeParse(item);
    if (!parsed.success) continue;
    const category = typeof parsed.data.category === 'string' ? parsed.data.category : 'UNKNOWN';
    const raw = typeof parsed.data.message === 'string' ? parsed.data.message : 'HubSpot reported an error';
    const message = spec.scrub ? spec.scrub(raw) : raw;
    const { subCategory } = parsed.data;
    const error: HubSpotBatchError = {
      category,
      message,
      ...(typeof subCategory === 'string' ? { subCategory } : {}),
      ...(CATEGORY_STATUS[category] === undefined ? {} : { status: CATEGORY_STATUS[category] }),
      retryable: RETRYABLE_CATEGORIES.has(category),
    };
    let matched = false;
    for (const key of contextKeys(parsed.data.context)) {
      const index = byKey.get(key);
      if (index === undefined || outcomes.has(index)) continue;
      outcomes.set(index, failure(index, error));
      matched = true;
    }
    if (!matched) unmatched.push(error);
  }
  // An input nothing named. When every error HubSpot left unattributed has one category, that is the reason;
  // otherwise which error belongs to which input is unknowable, and the outcome says so.
  const categories = new Set(unmatched.map((error) => error.category));
  const reason: HubSpotBatchError =
    categories.size === 1
      ? unmatched[0]!
      : {
          category: 'NO_RESULT',
          message:
            unmatched.length === 0
              ? 'HubSpot answered neither a result nor an error for this input'
              : `HubSpot answered no result for this input, and errors it did not attribute: ${unmatched
                  .map((error) => error.message)
                  .slice(0, 3)
                  .join('; ')}`,
          retryable: true,
        };
  return chunk.map((_, offset) => outcomes.get(start + offset) ?? failure(start + offset, reason));
}

// Every string in the error's context arrays (`ids`, `objectWriteTraceId`, `id`…): HubSpot names the inputs there.
function contextKeys(context: unknown): string[] {
  if (typeof context !== 'object' || context === null) return [];
  const keys: string[] = [];
  for (const value of Object.values(context as Record<string, unknown>)) {
    const list = Array.isArray(value) ? value : [value];
    for (const item of list.slice(0, 1000))
      if (typeof item === 'string' || typeof item === 'number') keys.push(String(item));
  }
  return keys;
}

function failure<R>(index: number, error: HubSpotBatchError): HubSpotBatchOutcome<R> {
  return { ok: false, index, error };
}
