// Creates, updates and deletes of an entity set. Exact answers a POST with 201 and the record (`{ d: {…} }`), a PUT
// and a DELETE with 204 No Content. Exact ignores idempotency keys, so a POST is resent only after a status that
// says it was not processed (core's retry.unprocessedStatuses, a 429); never after a 5xx or a timeout, which could
// leave two records. A PUT sets values and a DELETE removes one record: both are safe to repeat and retried as core
// retries any call.
import {
  type ApiResult,
  err,
  IntegrationError,
  invalidInput,
  ok,
  readJsonInput,
  readOptions,
  readSignal,
} from '@patchbay/core';
import * as z from 'zod/mini';
import { ACCEPT_JSON, isGuid } from './odata.ts';
import {
  type ExactSalesInvoice,
  type ExactSalesInvoiceLine,
  exactSalesInvoiceLineSchema,
  exactSalesInvoiceSchema,
} from './records.ts';
import type { ExactContext } from './resource.ts';

/** Options of a write. */
export interface ExactWriteOptions {
  signal?: AbortSignal;
}

/** Create, update and delete of an entity set. */
export interface ExactWritable<T, C, U> {
  /** Creates a record (`POST`); the answer is the record Exact stored, with its ID. Not retried after a 5xx or timeout. */
  create(input: C, options?: ExactWriteOptions): Promise<ApiResult<T>>;
  /** Changes the fields given (`PUT …(guid'id')`, answered 204 No Content). */
  update(id: string, changes: U, options?: ExactWriteOptions): Promise<ApiResult<void>>;
  /** Deletes a record (`DELETE …(guid'id')`, answered 204 No Content). */
  delete(id: string, options?: ExactWriteOptions): Promise<ApiResult<void>>;
}

/** A sales invoice as Exact answers its creation: its `InvoiceID`, and its lines when Exact sends them back. */
export type ExactCreatedSalesInvoice = ExactSalesInvoice & {
  InvoiceID: string;
  SalesInvoiceLines?: ExactSalesInvoiceLine[];
};

/** How an entity set is written. */
export interface ExactWriteDefinition<T> {
  path: string;
  /** The GUID key (`ID`, a sales invoice's `InvoiceID`). */
  key: string;
  /** The record in a POST's answer. */
  record: z.ZodMiniType<T>;
  create: z.ZodMiniType;
  changes: z.ZodMiniType;
}

function withoutMetadata(record: unknown): unknown {
  if (typeof record !== 'object' || record === null || !('__metadata' in record)) return record;
  const { __metadata: _dropped, ...rest } = record as Record<string, unknown>;
  return rest;
}

// A sales invoice's lines in a POST's answer: a deferred link (`{ __deferred: { uri } }`, read with `lines()`), the
// lines as an OData collection (`{ results: […] }`), or a plain array.
const linesInAnswer = z.optional(
  z.pipe(
    z.pipe(
      z.unknown(),
      z.transform((value) => {
        const list = Array.isArray(value) ? value : (value as { results?: unknown } | null)?.results;
        return Array.isArray(list) ? list.map(withoutMetadata) : undefined;
      }),
    ),
    z.optional(z.array(exactSalesInvoiceLineSchema)),
  ),
);

/** The record of a sales invoice's creation, lines included when Exact answers them. */
export const exactCreatedSalesInvoiceSchema = z.extend(exactSalesInvoiceSchema, {
  SalesInvoiceLines: linesInAnswer,
});

const failed = (path: string, error: unknown) =>
  err(new IntegrationError('OPERATION_FAILED', `Writing ${path} failed unexpectedly`, { cause: error }));

async function signalOf(options: unknown): Promise<ApiResult<AbortSignal | undefined>> {
  const read = readOptions(options, ['signal'], 'options');
  if (!read.success) return read;
  return readSignal((read.data as { signal?: unknown }).signal, 'options.signal');
}

/** Builds the writes of an entity set. */
export function createWrites<T, C, U>(
  context: ExactContext,
  definition: ExactWriteDefinition<T>,
): ExactWritable<T, C, U> {
  const { path, key } = definition;
  const answer = z.object({ d: definition.record });

  // The division's URL of the set (or one record), after the error budget allowed it.
  const target = async (
    method: string,
    id: string | undefined,
  ): Promise<ApiResult<{ url: string; division: number }>> => {
    const division = await context.division();
    if (!division.success) return division;
    const url = `/api/v1/${division.data}/${path}${id === undefined ? '' : `(guid'${id.toLowerCase()}')`}`;
    const refused = context.budget?.check(url, method);
    if (refused) return err(refused);
    return ok({ url, division: division.data });
  };

  // PUT and DELETE: the answer is 204 No Content (any body a 200 might carry is not read).
  const noContent = async (method: 'PUT' | 'DELETE', id: unknown, json: unknown, options: unknown) => {
    if (!isGuid(id)) return err(invalidInput('id', 'must be a GUID'));
    const signal = await signalOf(options);
    if (!signal.success) return signal;
    const at = await target(method, id);
    if (!at.success) return at;
    const http = context.http(at.data.division);
    const sent = await http.send(method, at.data.url, {
      headers: { ...ACCEPT_JSON },
      responseType: 'text',
      ...(json === undefined ? {} : { json }),
      ...(signal.data ? { signal: signal.data } : {}),
    });
    return sent.success ? ok(undefined) : sent;
  };

  return {
    async create(input, options) {
      try {
        const body = readJsonInput(input, 'input', definition.create);
        if (!body.success) return body;
        const signal = await signalOf(options);
        if (!signal.success) return signal;
        const at = await target('POST', undefined);
        if (!at.success) return at;
        const created = await context.http(at.data.division).post(at.data.url, {
          json: body.data,
          schema: answer,
          headers: { ...ACCEPT_JSON },
          ...(signal.data ? { signal: signal.data } : {}),
        });
        if (!created.success) return created;
        const record = withoutMetadata(created.data.d) as T;
        if (!isGuid((record as Record<string, unknown>)[key])) {
          return err(
            new IntegrationError(
              'INVALID_RESPONSE',
              `Exact answered the creation in ${path} without its ${key}`,
              {
                field: key,
                retryable: false,
              },
            ),
          );
        }
        return ok(record);
      } catch (error) {
        return failed(path, error);
      }
    },
    async update(id, changes, options) {
      try {
        const body = readJsonInput(changes, 'changes', definition.changes);
        if (!body.success) return body;
        const fields = Object.keys(body.data as object);
        if (fields.length === 0) return err(invalidInput('changes', 'must change at least one field'));
        if (fields.includes(key)) return err(invalidInput(`changes.${key}`, 'is the key and cannot change'));
        return await noContent('PUT', id, body.data, options);
      } catch (error) {
        return failed(path, error);
      }
    },
    async delete(id, options) {
      try {
        return await noContent('DELETE', id, undefined, options);
      } catch (error) {
        return failed(path, error);
      }
    },
  };
}
