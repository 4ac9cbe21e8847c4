// Input checks every IntegrationStore adapter shares, so all of them refuse the same input the same way, before
// a transaction starts: a bad entry anywhere means nothing of the batch is written. Each check reads the caller's
// values once, without letting a getter or a Proxy trap throw past it, and returns plain copies: adapters use
// those, never the caller's objects again (a getter could answer differently, or throw, the second time).
import {
  describeType,
  isArraySafe,
  isPlainObject,
  readArray,
  readFields,
  readOptions,
  readOwnFields,
  UNREADABLE,
} from '../input/caller-input.ts';
import { type FieldIssue, issuesError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import type {
  Lease,
  Mapping,
  MappingScope,
  OutboxEntry,
  RunCounts,
  StoredIntegrationConfigInput,
} from './store.ts';

/** Issues kept per failure: enough to fix a batch, bounded however much of it is wrong. */
const MAX_ISSUES = 100;
/** Entries or ids per call: one transaction of more is a mistake, and a lying Proxy could claim billions. */
export const MAX_BATCH_ENTRIES = 1_000_000;

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isNullableString = (value: unknown): value is string | null =>
  value === null || typeof value === 'string';
// Epoch milliseconds are integers: SQL adapters store them in integer columns, which refuse fractions.
const isEpochMs = (value: unknown): value is number => Number.isSafeInteger(value);
const EPOCH_MS = 'must be an integer (epoch milliseconds)';
const NON_EMPTY = 'must be a non-empty string';

const failure = (what: string, issues: FieldIssue[]): ApiResult<never> =>
  err(issuesError('VALIDATION_ERROR', what, issues));

/**
 * Checks a mapping scope and returns a plain copy: `integration` and `objectType` must be non-empty strings.
 * @example const checked = validateScope(scope); if (!checked.success) return checked; use(checked.data);
 */
export function validateScope(scope: MappingScope): ApiResult<MappingScope> {
  return validateNames(scope, ['integration', 'objectType'], 'scope', 'mapping scope');
}

// An object of non-empty string fields (a scope, a lease), copied; issues name `at.<key>`.
function validateNames<K extends string>(
  value: unknown,
  keys: readonly K[],
  at: string,
  what: string,
): ApiResult<Record<K, string>> {
  const issues: FieldIssue[] = [];
  const read = readFields(value, keys, at, issues);
  for (const key of read ? keys : []) {
    if (!isNonEmptyString(read?.[key])) issues.push({ field: `${at}.${key}`, message: NON_EMPTY });
  }
  return issues.length === 0 ? ok(read as Record<K, string>) : failure(what, issues);
}

// Both batch validators walk the same way: an array of objects, issues named `entries.<index>.<field>`, and
// the last entry per external id wins, as a sequence of upserts would. `order` says where a repeated id stands
// in the result: where it was first seen (mappings) or where it was last seen (outbox).
function validateBatch<K extends string, T extends { externalId: string }>(
  label: string,
  entries: unknown,
  keys: readonly K[],
  order: 'first-seen' | 'last-seen',
  check: (entry: { [P in K]?: unknown }, at: string, issues: FieldIssue[]) => T,
): ApiResult<T[]> {
  const list = readArray(entries, 'entries', { maxLength: MAX_BATCH_ENTRIES });
  if (!list.success) return list;
  const issues: FieldIssue[] = [];
  const byId = new Map<string, T>();
  for (const [index, entry] of list.data.entries()) {
    if (issues.length >= MAX_ISSUES) break;
    const at = `entries.${index}`;
    const read = readFields(entry, keys, at, issues);
    if (!read) continue;
    const fields = read as { [P in K]?: unknown } & { externalId?: unknown; contentHash?: unknown };
    if (!isNonEmptyString(fields.externalId)) issues.push({ field: `${at}.externalId`, message: NON_EMPTY });
    if (!isNullableString(fields.contentHash ?? null)) {
      issues.push({ field: `${at}.contentHash`, message: 'must be a string or null' });
    }
    const checked = check(read, at, issues);
    if (issues.length > 0) continue;
    if (order === 'last-seen') byId.delete(checked.externalId);
    byId.set(checked.externalId, checked);
  }
  return issues.length === 0 ? ok([...byId.values()]) : failure(label, issues);
}

const MAPPING_KEYS = ['externalId', 'remoteId', 'contentHash', 'syncedAt'] as const;
const OUTBOX_KEYS = ['externalId', 'operation', 'contentHash', 'createdAt'] as const;

/**
 * Checks every mapping of a batch (ids non-empty strings, `contentHash` a string or null, `syncedAt` an
 * integer) and returns plain copies, the last entry per external id kept, as a sequence of upserts would.
 * Issues name the index and field, never the value; at most 1 000 000 entries.
 * @example const batch = validateMappingBatch(entries); if (batch.success) write(batch.data);
 */
export function validateMappingBatch(entries: readonly Mapping[]): ApiResult<Mapping[]> {
  return validateBatch('mappings', entries, MAPPING_KEYS, 'first-seen', (entry, at, issues) => {
    if (!isNonEmptyString(entry.remoteId)) issues.push({ field: `${at}.remoteId`, message: NON_EMPTY });
    if (!isEpochMs(entry.syncedAt)) issues.push({ field: `${at}.syncedAt`, message: EPOCH_MS });
    return {
      externalId: entry.externalId as string,
      remoteId: entry.remoteId as string,
      contentHash: (entry.contentHash as string | null | undefined) ?? null,
      syncedAt: entry.syncedAt as number,
    };
  });
}

/**
 * Checks every outbox entry of a batch, like {@link validateMappingBatch}; the last entry per external id wins.
 * @example const batch = validateOutboxBatch(entries); if (!batch.success) return batch;
 */
export function validateOutboxBatch(entries: readonly OutboxEntry[]): ApiResult<OutboxEntry[]> {
  return validateBatch('outbox entries', entries, OUTBOX_KEYS, 'last-seen', (entry, at, issues) => {
    if (!isNonEmptyString(entry.operation)) issues.push({ field: `${at}.operation`, message: NON_EMPTY });
    if (!isEpochMs(entry.createdAt)) issues.push({ field: `${at}.createdAt`, message: EPOCH_MS });
    return {
      externalId: entry.externalId as string,
      operation: entry.operation as string,
      contentHash: (entry.contentHash as string | null | undefined) ?? null,
      createdAt: entry.createdAt as number,
    };
  });
}

/**
 * Checks a list of external ids (strings; an empty one simply matches nothing) and drops duplicates.
 * @example const ids = validateExternalIds(externalIds); if (!ids.success) return ids;
 */
export function validateExternalIds(externalIds: readonly string[]): ApiResult<string[]> {
  const list = readArray(externalIds, 'externalIds', { maxLength: MAX_BATCH_ENTRIES });
  if (!list.success) return list;
  const issues: FieldIssue[] = [];
  for (const [index, id] of list.data.entries()) {
    if (issues.length >= MAX_ISSUES) break;
    if (typeof id !== 'string') issues.push({ field: `externalIds.${index}`, message: 'must be a string' });
  }
  return issues.length === 0 ? ok([...new Set(list.data as string[])]) : failure('external ids', issues);
}

/**
 * Checks a name a store keys something by (a checkpoint, a run log, a lease, an integration, a run id): a
 * non-empty string.
 * @example const checked = validateName(name, 'name'); if (!checked.success) return checked;
 */
export function validateName(value: unknown, field: string): ApiResult<string> {
  if (isNonEmptyString(value)) return ok(value);
  return failure(field, [{ field, message: `${NON_EMPTY}, not ${describeType(value)}` }]);
}

/**
 * Checks a checkpoint: a non-empty name and a string value.
 * @example const checked = validateCheckpoint(name, value); if (!checked.success) return checked;
 */
export function validateCheckpoint(name: string, value: string): ApiResult<{ name: string; value: string }> {
  const issues: FieldIssue[] = [];
  if (!isNonEmptyString(name)) issues.push({ field: 'name', message: NON_EMPTY });
  if (typeof value !== 'string')
    issues.push({ field: 'value', message: `must be a string, not ${describeType(value)}` });
  return issues.length === 0 ? ok({ name, value }) : failure('checkpoint', issues);
}

/**
 * Checks a lease request and returns plain copies: a non-empty name and owner, and a TTL that is a positive
 * integer of milliseconds. `options` without `owner` (a renewal) checks only the TTL, unless `requireOwner`.
 * @example const checked = validateLeaseRequest(name, options, { requireOwner: true }); if (!checked.success) return checked;
 */
export function validateLeaseRequest(
  name: string,
  options: { owner?: string; ttlMs: number },
  check: { requireOwner?: boolean } = {},
): ApiResult<{ name: string; owner?: string; ttlMs: number }> {
  const issues: FieldIssue[] = [];
  if (!isNonEmptyString(name)) issues.push({ field: 'name', message: NON_EMPTY });
  const read = readFields(options, ['owner', 'ttlMs'], 'options', issues);
  let hasOwner = check.requireOwner === true;
  if (read) {
    try {
      hasOwner ||= 'owner' in options;
    } catch {
      issues.push({ field: 'options.owner', message: UNREADABLE });
    }
    if (hasOwner && !isNonEmptyString(read.owner)) issues.push({ field: 'owner', message: NON_EMPTY });
    if (!Number.isSafeInteger(read.ttlMs) || (read.ttlMs as number) <= 0) {
      issues.push({ field: 'ttlMs', message: 'must be a positive integer (milliseconds)' });
    }
  }
  if (issues.length > 0) return failure('lease request', issues);
  return ok({
    name,
    ...(hasOwner && { owner: read?.owner as string }),
    ttlMs: read?.ttlMs as number,
  });
}

/**
 * Checks a lease handed back to renew or release it, and returns a plain copy: `name` and `token` non-empty.
 * @example const held = validateLease(lease); if (!held.success) return held;
 */
export function validateLease(lease: Lease): ApiResult<Pick<Lease, 'name' | 'token'>> {
  return validateNames(lease, ['name', 'token'], 'lease', 'lease');
}

const RUN_STATUSES: readonly string[] = ['succeeded', 'failed'];

/** How a run finished, as `finishRun` takes it. */
type RunOutcomeInput = { status: 'succeeded' | 'failed'; counts: RunCounts; lastErrorCode?: string | null };
/** How a run finished, checked and copied. */
type RunOutcome = { status: 'succeeded' | 'failed'; counts: RunCounts; lastErrorCode: string | null };
const COUNT_KEYS = ['created', 'updated', 'unchanged', 'failed'] as const;

/**
 * Checks how a run finished and returns a plain copy: `status` `succeeded` or `failed`, four non-negative integer
 * counts, and `lastErrorCode` a string, null or absent.
 * @example const checked = validateRunOutcome(outcome); if (!checked.success) return checked;
 */
export function validateRunOutcome(outcome: RunOutcomeInput): ApiResult<RunOutcome> {
  const issues: FieldIssue[] = [];
  const read = readFields(outcome, ['status', 'counts', 'lastErrorCode'], 'outcome', issues);
  if (!read) return failure('run outcome', issues);
  if (typeof read.status !== 'string' || !RUN_STATUSES.includes(read.status)) {
    issues.push({ field: 'outcome.status', message: 'must be succeeded or failed' });
  }
  const counts = readFields(read.counts, COUNT_KEYS, 'outcome.counts', issues);
  for (const key of counts ? COUNT_KEYS : []) {
    const count = counts?.[key];
    if (!Number.isSafeInteger(count) || (count as number) < 0) {
      issues.push({ field: `outcome.counts.${key}`, message: 'must be a non-negative integer' });
    }
  }
  if (read.lastErrorCode !== undefined && !isNullableString(read.lastErrorCode)) {
    issues.push({ field: 'outcome.lastErrorCode', message: 'must be a string or null' });
  }
  if (issues.length > 0) return failure('run outcome', issues);
  return ok({
    status: read.status as 'succeeded' | 'failed',
    counts: {
      created: counts?.created as number,
      updated: counts?.updated as number,
      unchanged: counts?.unchanged as number,
      failed: counts?.failed as number,
    },
    lastErrorCode: (read.lastErrorCode as string | null | undefined) ?? null,
  });
}

/**
 * Checks a `finishRun` call: `id` a non-empty string, then `outcome` as {@link validateRunOutcome}; returns plain
 * copies of both.
 * @example const checked = validateRunFinish(id, outcome); if (!checked.success) return checked;
 */
export function validateRunFinish(
  id: string,
  outcome: RunOutcomeInput,
): ApiResult<{ id: string; outcome: RunOutcome }> {
  const checkedId = validateName(id, 'id');
  if (!checkedId.success) return checkedId;
  const checked = validateRunOutcome(outcome);
  return checked.success ? ok({ id: checkedId.data, outcome: checked.data }) : checked;
}

/**
 * Reads a positive integer option (`limit`, `pageSize`) from an options object a caller passed, `fallback`
 * when it is absent: `VALIDATION_ERROR` naming it for options that are not an object or a value that is not a
 * positive integer.
 * @example const limit = validateLimitOption(options, 'limit', 20); if (!limit.success) return limit;
 */
export function validateLimitOption(options: unknown, key: string, fallback: number): ApiResult<number> {
  const read = readOptions(options, [key]);
  if (!read.success) return read;
  const value = read.data[key] ?? fallback;
  if (Number.isSafeInteger(value) && (value as number) > 0) return ok(value as number);
  return failure(key, [{ field: key, message: 'must be a positive integer' }]);
}

/** Most credentials one configuration row holds. */
export const MAX_SECRETS_PER_CONFIG = 50;
/** Longest stored ciphertext of one secret (an OAuth2 token set, encrypted, is a few kilobytes). */
const MAX_CIPHERTEXT_LENGTH = 100_000;
/** Longest sync mode name. */
export const MAX_SYNC_MODE_LENGTH = 100;
const SECRET_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** What a secret (credential) name must look like, for messages. */
export const SECRET_NAME_RULE = 'letters, digits and _, starting with a letter, at most 64 characters';

/**
 * True for a name a configuration's secret can have: letters, digits and `_`, starting with a letter, at most 64
 * characters (`apiKey`, `client_secret`). Names become JSON keys and environment variable suffixes, so nothing
 * else is allowed.
 */
export const isSecretName = (value: unknown): value is string =>
  typeof value === 'string' && SECRET_NAME.test(value);

/**
 * True for a sync mode as stores keep it: a non-empty string of at most 100 characters, without surrounding
 * spaces. What modes exist is the connector's business, not the store's.
 */
export const isSyncModeName = (value: unknown): value is string =>
  typeof value === 'string' &&
  value.length > 0 &&
  value.length <= MAX_SYNC_MODE_LENGTH &&
  value.trim() === value;

const CONFIG_KEYS = ['baseUrl', 'secrets', 'enabled', 'syncMode', 'settings'] as const;

/**
 * Checks a configuration row write and returns plain copies: `integration` a non-empty string, `input` an
 * object whose fields have their stored types (`secrets` an object of at most 50 names, each a ciphertext or
 * `null`; `syncMode` any mode name; `settings` a JSON object, copied), `userId` a string or null. Issues name
 * the field (`input.secrets.apiKey`), never a value.
 * @example const checked = validateConfigRowInput(integration, input, userId); if (!checked.success) return checked;
 */
export function validateConfigRowInput(
  integration: string,
  input: StoredIntegrationConfigInput,
  userId: string | null,
): ApiResult<{ integration: string; input: StoredIntegrationConfigInput; userId: string | null }> {
  const issues: FieldIssue[] = [];
  if (!isNonEmptyString(integration)) issues.push({ field: 'integration', message: NON_EMPTY });
  if (userId !== undefined && !isNullableString(userId)) {
    issues.push({ field: 'userId', message: 'must be a string or null' });
  }
  const read = readFields(input, CONFIG_KEYS, 'input', issues);
  const copy: StoredIntegrationConfigInput = {};
  if (read) {
    if (read.baseUrl !== undefined && !isNullableString(read.baseUrl)) {
      issues.push({ field: 'input.baseUrl', message: 'must be a string or null' });
    } else if (read.baseUrl !== undefined) copy.baseUrl = read.baseUrl;
    if (read.secrets !== undefined) {
      const secrets = validateSecretsPatch(read.secrets, issues);
      if (secrets) copy.secrets = secrets;
    }
    if (read.enabled !== undefined && typeof read.enabled !== 'boolean') {
      issues.push({ field: 'input.enabled', message: 'must be true or false' });
    } else if (read.enabled !== undefined) copy.enabled = read.enabled;
    if (read.syncMode !== undefined && !isSyncModeName(read.syncMode)) {
      issues.push({
        field: 'input.syncMode',
        message: `must be a non-empty string of at most ${MAX_SYNC_MODE_LENGTH} characters, without surrounding spaces`,
      });
    } else if (read.syncMode !== undefined) copy.syncMode = read.syncMode as string;
    if (read.settings !== undefined) {
      const settings = jsonObjectCopy(read.settings);
      if (settings === undefined) {
        issues.push({ field: 'input.settings', message: 'must be a JSON-serializable object' });
      } else copy.settings = settings;
    }
  }
  if (issues.length > 0) return failure('configuration', issues);
  return ok({ integration, input: copy, userId: userId ?? null });
}

// The secrets of a row write, copied: name → ciphertext or null. A bad name is reported without quoting it
// (a key pasted where a name belongs would otherwise be echoed); a bad value names its secret, never the value.
function validateSecretsPatch(
  value: unknown,
  issues: FieldIssue[],
): Record<string, string | null> | undefined {
  if (isArraySafe(value)) {
    issues.push({ field: 'input.secrets', message: 'must be an object of name → ciphertext or null' });
    return undefined;
  }
  const before = issues.length;
  const read = readOwnFields(value, 'input.secrets', issues);
  if (!read) return undefined;
  const names = Object.keys(read);
  if (names.length > MAX_SECRETS_PER_CONFIG) {
    issues.push({ field: 'input.secrets', message: `must hold at most ${MAX_SECRETS_PER_CONFIG} names` });
    return undefined;
  }
  const copy: Record<string, string | null> = {};
  for (const name of names) {
    if (!isSecretName(name)) {
      issues.push({ field: 'input.secrets', message: `has a name that is not ${SECRET_NAME_RULE}` });
      continue;
    }
    const ciphertext = read[name];
    if (ciphertext === null || (isNonEmptyString(ciphertext) && ciphertext.length <= MAX_CIPHERTEXT_LENGTH)) {
      copy[name] = ciphertext;
    } else {
      issues.push({
        field: `input.secrets.${name}`,
        message: `must be a ciphertext (a non-empty string of at most ${MAX_CIPHERTEXT_LENGTH} characters) or null`,
      });
    }
  }
  return issues.length === before ? copy : undefined;
}

// A deep copy through JSON, so what is stored is what any adapter would read back; undefined when it cannot be.
function jsonObjectCopy(value: unknown): Record<string, unknown> | undefined {
  try {
    const copy: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
    return isPlainObject(copy) ? copy : undefined;
  } catch {
    return undefined;
  }
}
