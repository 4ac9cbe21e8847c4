// The envelope of every batch answer: `{ status: 'COMPLETE', results, startedAt, completedAt }`, plus `numErrors` and
// `errors` when some inputs failed, answered 207 then (2026-03 objects spec: `BatchResponseSimplePublicObject` and
// `BatchResponseSimplePublicObjectWithErrors`; per-input errors are `StandardError`: `{ status, category, message,
// context, errors, links }` with `context.ids` naming the inputs).

import type { HubSpotError } from './errors.ts';

/** One failed input (or group of inputs) of a batch. */
export interface BatchItemError {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, string[]>;
  errors: unknown[];
  links: Record<string, string>;
  subCategory?: string;
}

/** A per-input error. */
export function itemError(
  category: string,
  message: string,
  context: Record<string, string[]>,
  subCategory?: string,
): BatchItemError {
  return {
    status: 'error',
    category,
    message,
    context,
    errors: [],
    links: {},
    ...(subCategory ? { subCategory } : {}),
  };
}

/** A request-level error turned into one input's error (a 207 instead of failing the batch). */
export function itemErrorOf(error: HubSpotError, context: Record<string, string[]>): BatchItemError {
  return itemError(error.category ?? 'VALIDATION_ERROR', error.message, context);
}

/** The batch answer: `okStatus` (200 or 201) when nothing failed, else 207 with the errors. */
export function batchResponse(options: {
  okStatus: number;
  results: unknown[];
  errors?: BatchItemError[];
  startedAt: number;
  completedAt: number;
}): Response {
  const errors = options.errors ?? [];
  const body: Record<string, unknown> = { status: 'COMPLETE', results: options.results };
  if (errors.length > 0) {
    body.numErrors = errors.length;
    body.errors = errors;
  }
  body.startedAt = new Date(options.startedAt).toISOString();
  body.completedAt = new Date(options.completedAt).toISOString();
  return Response.json(body, { status: errors.length > 0 ? 207 : options.okStatus });
}
