// The checks every call goes through before either backend sees it, so both refuse the same input the same way:
// a wrong argument is a VALIDATION_ERROR naming the field, a wrong `define` option a thrown CONFIG_ERROR. The
// name and id rules are BullMQ's, kept for the embedded store too: a kind is a queue name, and `:` separates the
// parts of BullMQ's keys and of a scheduled job's id (`repeat:<scheduleId>:<tick>`).
import {
  type ApiResult,
  err,
  IntegrationError,
  type JsonValue,
  ok,
  optionsObject,
  parseOptions,
  reviseError,
  toJsonValue,
} from '@patchbay/core';
import { CronExpressionParser } from 'cron-parser';
import * as z from 'zod/mini';
import type { Schedule } from './scheduler.ts';

/** Longest job kind name. */
export const MAX_NAME_LENGTH = 100;
/** Longest schedule id or job id. */
export const MAX_ID_LENGTH = 200;
/** Shortest `every`, in milliseconds. */
export const MIN_EVERY_MS = 50;
/** Longest delay or backoff, a year: more is a mistake. */
export const MAX_DELAY_MS = 365 * 24 * 60 * 60 * 1_000;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const NAME_RULE = `must be 1 to ${MAX_NAME_LENGTH} letters, digits, '.', '_' or '-', starting with a letter or digit`;
// Printable, no whitespace, no ':' (\p{Cc}: the control characters).
const ID = /^[^\s:\p{Cc}]+$/u;
const ID_RULE = `must be 1 to ${MAX_ID_LENGTH} characters without ':', spaces or control characters`;

const isName = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_NAME_LENGTH && NAME.test(value);
const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_ID_LENGTH && value.isWellFormed() && ID.test(value);

const refused = (field: string, message: string): ApiResult<never> =>
  err(
    new IntegrationError('VALIDATION_ERROR', `Invalid ${field}: ${message}`, {
      field,
      retryable: false,
      issues: [{ field, message }],
    }),
  );

/** Checks a job kind name (`name`, or the field given). */
export function checkName(value: unknown, field = 'name'): ApiResult<string> {
  return isName(value) ? ok(value) : refused(field, NAME_RULE);
}

/** Checks a schedule id. */
export function checkScheduleId(value: unknown, field = 'id'): ApiResult<string> {
  return isId(value) ? ok(value) : refused(field, ID_RULE);
}

/** Checks a caller's job id: an id without `:` that is not only digits (BullMQ keeps those for its own ids). */
export function checkJobId(value: unknown, field = 'options.jobId'): ApiResult<string> {
  if (!isId(value)) return refused(field, ID_RULE);
  if (/^\d+$/.test(value)) return refused(field, 'must not be only digits');
  return ok(value);
}

/** A plain JSON copy of job data; `undefined` is null. */
export function checkData(value: unknown, field = 'data'): ApiResult<JsonValue> {
  if (value === undefined) return ok(null);
  return toJsonValue(value, { field });
}

/** Reads a method's options object against a zod schema; a wrong one is a VALIDATION_ERROR naming the field. */
function readInput<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  label: string,
  prefix = '',
): ApiResult<z.output<S>> {
  try {
    return ok(parseOptions(schema, optionsObject(value, { label, optional: true }), { label, prefix }));
  } catch (error) {
    if (error instanceof IntegrationError) return err(reviseError(error, { code: 'VALIDATION_ERROR' }));
    return refused(prefix.replace(/\.$/, '') || label, 'could not be read');
  }
}

const int = (min: number, max: number) =>
  z
    .int()
    .check(
      z.minimum(min, `must be an integer from ${min} to ${max}`),
      z.maximum(max, `must be an integer from ${min} to ${max}`),
    );

const backoffSchema = z.object({
  type: z._default(z.enum(['exponential', 'fixed']), 'exponential'),
  delayMs: z._default(int(0, MAX_DELAY_MS), 1_000),
  maxDelayMs: z._default(int(0, MAX_DELAY_MS), 300_000),
});

const defineSchema = z.object({
  concurrency: z._default(int(1, 1_000), 1),
  attempts: z._default(int(1, 100), 3),
  backoff: z._default(backoffSchema, { type: 'exponential', delayMs: 1_000, maxDelayMs: 300_000 }),
});

/** A kind's options once checked, defaults applied. */
export type KindOptions = z.output<typeof defineSchema>;

/**
 * Checks `define`'s arguments. Throws a `CONFIG_ERROR` naming the field (`name`, `handler`, `backoff.delayMs`):
 * a kind is defined once, at start, where failing loudly is what helps.
 */
export function resolveDefine(
  name: unknown,
  handler: unknown,
  options: unknown,
): { name: string; options: KindOptions } {
  const label = 'scheduler.define';
  if (!isName(name)) {
    throw new IntegrationError('CONFIG_ERROR', `Invalid ${label}: name: ${NAME_RULE}`, {
      field: 'name',
      retryable: false,
    });
  }
  if (typeof handler !== 'function') {
    throw new IntegrationError('CONFIG_ERROR', `Invalid ${label}: handler: must be a function`, {
      field: 'handler',
      retryable: false,
    });
  }
  return {
    name,
    options: parseOptions(defineSchema, optionsObject(options, { label, optional: true }), { label }),
  };
}

const scheduleSchema = z.object({
  id: z.optional(z.unknown()),
  every: z.optional(int(MIN_EVERY_MS, MAX_DELAY_MS)),
  cron: z.optional(z.string().check(z.minLength(1, 'must be a cron pattern'), z.maxLength(200))),
  tz: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  job: z.object({ name: z.optional(z.unknown()), data: z.optional(z.unknown()) }),
});

/** A schedule as both backends store it: exactly one of `every` and `cron`. */
export type ScheduleSpec = Omit<Schedule, 'next'>;

/** Checks `schedule`'s input: the id, one of `every` and `cron` (a pattern cron-parser reads), a real time zone. */
export function checkSchedule(input: unknown): ApiResult<ScheduleSpec> {
  if (input === undefined) return refused('input', 'is required');
  const read = readInput(scheduleSchema, input, 'schedule');
  if (!read.success) return read;
  const { every, cron, tz } = read.data;
  const id = checkScheduleId(read.data.id, 'id');
  if (!id.success) return id;
  if ((every === undefined) === (cron === undefined))
    return refused('every', 'give exactly one of every and cron');
  if (tz !== undefined) {
    if (cron === undefined) return refused('tz', 'applies to cron only');
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch {
      return refused('tz', 'must be an IANA time zone, e.g. Europe/Amsterdam');
    }
  }
  if (cron !== undefined) {
    try {
      CronExpressionParser.parse(cron, { tz: tz ?? 'UTC' }).next();
    } catch {
      return refused('cron', 'must be a cron pattern of 5 fields (6 with seconds first)');
    }
  }
  const name = checkName(read.data.job.name, 'job.name');
  if (!name.success) return name;
  const data = checkData(read.data.job.data, 'job.data');
  if (!data.success) return data;
  return ok({
    id: id.data,
    every: every ?? null,
    cron: cron ?? null,
    tz: tz ?? null,
    job: { name: name.data, data: data.data },
  });
}

const enqueueSchema = z.object({
  jobId: z.optional(z.unknown()),
  delayMs: z._default(int(0, MAX_DELAY_MS), 0),
});

/** `enqueue`'s arguments once checked. */
export interface EnqueueSpec {
  name: string;
  data: JsonValue;
  jobId: string | null;
  delayMs: number;
}

/** Checks `enqueue`'s arguments. */
export function checkEnqueue(name: unknown, data: unknown, options: unknown): ApiResult<EnqueueSpec> {
  const kind = checkName(name);
  if (!kind.success) return kind;
  const copy = checkData(data);
  if (!copy.success) return copy;
  const read = readInput(enqueueSchema, options, 'enqueue options', 'options.');
  if (!read.success) return read;
  let jobId: string | null = null;
  if (read.data.jobId !== undefined) {
    const id = checkJobId(read.data.jobId);
    if (!id.success) return id;
    jobId = id.data;
  }
  return ok({ name: kind.data, data: copy.data, jobId, delayMs: read.data.delayMs });
}

const runsSchema = z.object({ name: z.optional(z.unknown()), limit: z._default(int(1, 1_000), 50) });

/** Checks `runs`' options. */
export function checkRunsOptions(options: unknown): ApiResult<{ name: string | null; limit: number }> {
  const read = readInput(runsSchema, options, 'runs options', 'options.');
  if (!read.success) return read;
  if (read.data.name === undefined) return ok({ name: null, limit: read.data.limit });
  const name = checkName(read.data.name, 'options.name');
  return name.success ? ok({ name: name.data, limit: read.data.limit }) : name;
}

const limitSchema = z.object({ limit: z._default(int(1, 1_000), 50) });

/** Checks `deadLetters`' options. */
export function checkLimitOptions(options: unknown): ApiResult<{ limit: number }> {
  return readInput(limitSchema, options, 'dead-letter options', 'options.');
}

/** Splits a dead letter's id, `<name>:<jobId>`. */
export function checkDeadLetterId(value: unknown): ApiResult<{ name: string; jobId: string }> {
  if (typeof value !== 'string') return refused('id', 'must be a dead letter id (<name>:<jobId>)');
  const at = value.indexOf(':');
  const name = value.slice(0, at);
  const jobId = value.slice(at + 1);
  if (at < 1 || !isName(name) || jobId.length === 0 || jobId.length > MAX_ID_LENGTH + 40) {
    return refused('id', 'must be a dead letter id (<name>:<jobId>)');
  }
  return ok({ name, jobId });
}

/** Two schedules are the same when every stored field is (data compared as JSON). */
export function sameSchedule(a: ScheduleSpec, b: ScheduleSpec): boolean {
  return (
    a.id === b.id &&
    a.every === b.every &&
    a.cron === b.cron &&
    a.tz === b.tz &&
    a.job.name === b.job.name &&
    JSON.stringify(a.job.data) === JSON.stringify(b.job.data)
  );
}
