import { type ApiResult, err, IntegrationError, ok, unexpectedFailure } from '@patchbay/core';
import * as z from 'zod/mini';

/**
 * What an export needs of a PostHog client: `query(node, { signal })` answering the query API's response
 * (`results`, and `columns` and `hasMore` where the kind has them). `createPostHogClient` satisfies it; a test
 * may pass a fake.
 */
export interface PostHogQuerySource {
  query(
    node: { kind: string; [key: string]: unknown },
    options?: { signal?: AbortSignal },
  ): Promise<ApiResult<unknown>>;
}

/** One answer of the query API, as an export reads it. */
export interface QueryPage {
  /** Rows: arrays of cells for HogQL and events queries, objects for trends and some other kinds. */
  results: unknown[];
  columns: string[] | undefined;
  hasMore: boolean | undefined;
}

// Only what paging reads is checked; a response carries much more (types, timings, hogql…).
const pageSchema = z.looseObject({
  results: z.array(z.unknown()),
  columns: z.optional(z.nullable(z.array(z.string()))),
  hasMore: z.optional(z.nullable(z.boolean())),
});

/**
 * Runs one query through the caller's client and reads its answer: the client's typed error as it is, a throw or
 * a rejection as `OPERATION_FAILED`, an answer without `results` as `INVALID_RESPONSE`.
 */
export async function runPageQuery(
  client: PostHogQuerySource,
  node: { kind: string; [key: string]: unknown },
  signal: AbortSignal,
): Promise<ApiResult<QueryPage>> {
  let answer: ApiResult<unknown>;
  try {
    answer = await client.query(node, { signal });
  } catch (error) {
    return err(unexpectedFailure('exportQuery: client.query', error));
  }
  const outcome = readOutcome(answer);
  if (!outcome.success) return outcome;
  const parsed = pageSchema.safeParse(outcome.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'results';
    return err(
      new IntegrationError('INVALID_RESPONSE', `PostHog's ${node.kind} answer has no usable ${field}`, {
        field,
        retryable: false,
      }),
    );
  }
  const { results, columns, hasMore } = parsed.data;
  return ok({ results, columns: columns ?? undefined, hasMore: hasMore ?? undefined });
}

// The client's answer read once: a result with an IntegrationError, or data; anything else is the client's fault.
function readOutcome(answer: unknown): ApiResult<unknown> {
  try {
    if (typeof answer === 'object' && answer !== null) {
      const { success } = answer as { success?: unknown };
      if (success === true) return ok((answer as { data?: unknown }).data);
      if (success === false) {
        // An IntegrationError (from any copy of core) as it is; anything else the client's fault.
        return err(unexpectedFailure('exportQuery: client.query', (answer as { error?: unknown }).error));
      }
    }
  } catch (error) {
    return err(unexpectedFailure('exportQuery: client.query', error));
  }
  return err(
    new IntegrationError(
      'OPERATION_FAILED',
      'exportQuery: client.query answered something that is not an ApiResult',
      {
        field: 'client',
        retryable: false,
      },
    ),
  );
}
