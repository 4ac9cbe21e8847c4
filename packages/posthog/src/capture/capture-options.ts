// The options of createPostHogCapture, checked once: a wrong one is a CONFIG_ERROR naming it, never its value.
import { httpUrl, IntegrationError, optionsObject, parseOptions, secretString } from '@patchbay/core';
import * as z from 'zod/mini';

/** PostHog Cloud US's ingestion host; EU is `https://eu.i.posthog.com`. */
export const DEFAULT_CAPTURE_HOST = 'https://us.i.posthog.com';
/** Where events wait when no store is given: a SQLite file in the working directory. */
export const DEFAULT_CAPTURE_STORE = 'sqlite:./patchbay-posthog.db';

const count = (min: number, max: number) =>
  z.int().check(z.minimum(min, `must be ${min} or more`), z.maximum(max, `must be at most ${max}`));
const ms = (min: number) => count(min, 2_147_483_647);
const isFunction = (value: unknown) => typeof value === 'function';

const schema = z.object({
  projectApiKey: secretString,
  host: z._default(httpUrl, DEFAULT_CAPTURE_HOST),
  store: z._default(
    z.union([
      z.string().check(z.minLength(1, 'must be a database URL')),
      z.custom<object>(
        (value) => typeof value === 'object' && value !== null,
        'must be a store or a database URL',
      ),
    ]),
    DEFAULT_CAPTURE_STORE,
  ),
  queueName: z._default(z.string().check(z.minLength(1), z.maxLength(150)), 'posthog-capture'),
  // PostHog takes up to 20 MB a request; 1 000 events is one request per thousand, well under it.
  batchSize: z._default(count(1, 10_000), 1_000),
  maxBatchBytes: z._default(count(1_024, 20_000_000), 5_000_000),
  flushIntervalMs: z._default(ms(1), 1_000),
  maxEventBytes: z._default(count(1_024, 20_000_000), 1_000_000),
  maxQueueSize: z._default(count(1, 1_000_000_000), 1_000_000),
  whenFull: z._default(z.enum(['wait', 'error']), 'wait'),
  maxWaitMs: z._default(ms(0), 30_000),
  concurrency: z._default(count(1, 16), 2),
  maxGroupSize: z._default(count(1, 10_000), 2_000),
  // Three times the request timeout: a send (one attempt, gzip included) ends well within it, and a crashed
  // process's claims are sent again by the next one within half a minute.
  leaseMs: z._default(ms(1_000), 30_000),
  timeoutMs: z._default(ms(1), 10_000),
  gzip: z._default(z.boolean(), true),
  retryDelay: z._default(z.object({ initialDelayMs: ms(0), maxDelayMs: ms(0) }), {
    initialDelayMs: 1_000,
    maxDelayMs: 60_000,
  }),
  serverless: z._default(
    z.union([
      z.boolean(),
      z.object({
        waitUntil: z.optional(
          z.custom<(promise: Promise<unknown>) => void>(isFunction, 'must be a function'),
        ),
      }),
    ]),
    false,
  ),
  fetch: z.optional(z.custom<typeof fetch>(isFunction, 'must be a function')),
  now: z._default(z.custom<() => number>(isFunction, 'must be a function'), () => Date.now),
  logger: z.optional(
    z.custom<object>((value) => typeof value === 'object' && value !== null, 'must be a logger'),
  ),
  hooks: z.optional(
    z.custom<object>((value) => typeof value === 'object' && value !== null, 'must be an object'),
  ),
});

/** The options once checked, defaults applied. */
export type ResolvedCaptureOptions = z.output<typeof schema>;

/** Reads and checks the options; throws a `CONFIG_ERROR` naming the first wrong field. */
export function resolveCaptureOptions(options: unknown): ResolvedCaptureOptions {
  const label = 'PostHog capture options';
  const resolved = parseOptions(schema, optionsObject(options, { label }), { label });
  // A claim that lapses while its request is still out lets another process send the same events.
  if (resolved.leaseMs <= resolved.timeoutMs) {
    throw new IntegrationError('CONFIG_ERROR', `${label}: leaseMs must be longer than timeoutMs`, {
      field: 'leaseMs',
      retryable: false,
    });
  }
  return resolved;
}
