import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';

// The keyset of an events export is the last row's (timestamp, uuid), written into the next page's HogQL `where`.
// Both come from the server, so each is checked against a strict pattern before it is put between quotes: neither
// pattern admits a quote, a backslash or a brace, so no answer can change the query's meaning.

/** An ISO 8601 date-time as PostHog writes an event's timestamp (`2026-03-01T12:00:00.123456+00:00`, `…Z`). */
export const ISO_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** A UUID in its canonical hyphenated form. */
export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The position of an events page's last row: its timestamp and uuid, both checked. */
export interface EventKey {
  timestamp: string;
  uuid: string;
}

/**
 * The key of a row from its timestamp and uuid cells, or `INVALID_RESPONSE` naming the cell (`results.9999.uuid`)
 * when either is not what PostHog writes (the value is never quoted: it is the server's, and may be anything).
 */
export function readEventKey(timestamp: unknown, uuid: unknown, row: number): ApiResult<EventKey> {
  if (typeof timestamp !== 'string' || !ISO_TIMESTAMP.test(timestamp)) {
    return err(notAKey(`results.${row}.timestamp`, 'an ISO 8601 timestamp'));
  }
  if (typeof uuid !== 'string' || !UUID.test(uuid)) return err(notAKey(`results.${row}.uuid`, 'a UUID'));
  return ok({ timestamp, uuid });
}

/**
 * The HogQL condition for the rows after `key` in `timestamp ASC, uuid ASC` order: later timestamps, and on the
 * same timestamp the greater uuids, so rows sharing the boundary's timestamp are neither skipped nor repeated.
 * `key` must come from {@link readEventKey}.
 */
export function afterKeyCondition(key: EventKey): string {
  const timestamp = `toDateTime('${key.timestamp}')`;
  return `(timestamp > ${timestamp} OR (timestamp = ${timestamp} AND uuid > toUUID('${key.uuid}')))`;
}

const notAKey = (field: string, what: string) =>
  new IntegrationError('INVALID_RESPONSE', `PostHog answered an events page whose ${field} is not ${what}`, {
    field,
    retryable: false,
  });
