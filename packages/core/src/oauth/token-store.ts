// Where a connection's OAuth2 token set lives between requests and processes. The token manager reads it before
// every refresh and writes the rotated set back before using it, so a store shared by several processes (the
// configuration store over SQLite or PostgreSQL) lets them all follow one chain of refresh tokens.

import { IntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import {
  isOAuth2TokenSet,
  type OAuth2TokenSet,
  parseOAuth2TokenSet,
  serializeOAuth2TokenSet,
} from './token-set.ts';

/**
 * One connection's OAuth2 token set. `read` answers `null` when none is stored yet; `write` replaces the set as a
 * whole (one atomic write: a reader sees the old set or the new one, never half of each).
 */
export interface OAuth2TokenStore {
  read(): Promise<ApiResult<OAuth2TokenSet | null>>;
  write(set: OAuth2TokenSet): Promise<ApiResult<void>>;
}

/** The error of a `write` given something that is not a token set (internal). */
export const notATokenSet = (): IntegrationError =>
  new IntegrationError(
    'VALIDATION_ERROR',
    'Invalid input: set: must be an OAuth2 token set (tokens as Secrets)',
    {
      field: 'set',
      issues: [{ field: 'set', message: 'must be an OAuth2 token set (tokens as Secrets)' }],
      retryable: false,
    },
  );

/**
 * A token store in this process's memory, optionally holding `initial` already: for tests and single-process
 * apps. It keeps a serialized copy, so changing a set after writing it (or after reading it) changes nothing stored.
 * An `initial` that is not a token set throws `CONFIG_ERROR`; `write` answers `VALIDATION_ERROR` (`set`) for one.
 * @example const tokens = createMemoryOAuth2TokenStore(await exchangeCode(...).then(unwrap));
 */
export function createMemoryOAuth2TokenStore(initial?: OAuth2TokenSet): OAuth2TokenStore {
  if (initial !== undefined && !isOAuth2TokenSet(initial)) {
    throw new IntegrationError(
      'CONFIG_ERROR',
      'Invalid memory token store options: initial: must be an OAuth2 token set',
      {
        field: 'initial',
        issues: [{ field: 'initial', message: 'must be an OAuth2 token set' }],
        retryable: false,
      },
    );
  }
  let stored = initial === undefined ? null : serializeOAuth2TokenSet(initial);
  return {
    async read() {
      return stored === null ? ok(null) : parseOAuth2TokenSet(stored);
    },
    async write(set) {
      if (!isOAuth2TokenSet(set)) return err(notATokenSet());
      stored = serializeOAuth2TokenSet(set);
      return ok(undefined);
    },
  };
}
