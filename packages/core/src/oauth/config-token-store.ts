// A connection's OAuth2 token set kept in its stored configuration: one encrypted secret (the set as JSON, named
// `oauth2` by default), written back through the configuration's per-name merge, so a rotated token set replaces
// that one secret in one statement and leaves the other credentials of the row as they are.

import * as z from 'zod/mini';
import type { ConfigStore } from '../config/config-store.ts';
import { IntegrationError } from '../result/errors.ts';
import { err, ok } from '../result/result.ts';
import { settle } from '../result/settle.ts';
import { Secret } from '../secrets/secret.ts';
import { readOAuthOptions } from './options.ts';
import { isOAuth2TokenSet, parseOAuth2TokenSet, serializeOAuth2TokenSet } from './token-set.ts';
import { notATokenSet, type OAuth2TokenStore } from './token-store.ts';

/** Options of {@link createConfigOAuth2TokenStore}. */
export interface ConfigOAuth2TokenStoreOptions {
  /** The configuration service: `createConfigStore({ rows: store.configs, secretKey })`. */
  configs: ConfigStore;
  /** The configuration row holding the connection's credentials. */
  integration: string;
  /** Name of the secret holding the token set. Default `oauth2`. */
  secretName?: string;
  /** Recorded as the row's `updatedBy` when a refresh writes the set. Default `null`. */
  userId?: string | null;
}

const hasConfigMethods = (value: unknown): value is ConfigStore => {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      ['getConfig', 'createConfig', 'updateConfig'].every(
        (method) => typeof (value as Record<string, unknown>)[method] === 'function',
      )
    );
  } catch {
    return false;
  }
};

const schema = z.strictObject({
  configs: z.custom<ConfigStore>(hasConfigMethods, {
    error: 'must be a ConfigStore (createConfigStore: getConfig, createConfig, updateConfig)',
  }),
  integration: z.string({ error: 'must be a string' }).check(z.minLength(1, 'must not be empty')),
  // The configuration's rule for secret names.
  secretName: z.optional(
    z
      .string({ error: 'must be a string' })
      .check(
        z.regex(
          /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
          'must be letters, digits and _, starting with a letter, at most 64 characters',
        ),
      ),
  ),
  userId: z.optional(z.nullable(z.string({ error: 'must be a string or null' }))),
});

/**
 * A token store over a configuration's secrets: the set is one encrypted secret of the `integration`'s row
 * (created when the row does not exist yet). Share the `configs` of one database between processes and they
 * share the tokens. Invalid options throw `CONFIG_ERROR`; the methods never throw or reject.
 * @example
 * const configs = createConfigStore({ rows: store.configs, secretKey: env.PATCHBAY_SECRET_KEY });
 * const tokens = createConfigOAuth2TokenStore({ configs, integration: 'erp:tenant-42' });
 * await tokens.write(unwrap(await exchangeCode({ ... })));
 */
export function createConfigOAuth2TokenStore(options: ConfigOAuth2TokenStoreOptions): OAuth2TokenStore {
  const read = readOAuthOptions(schema, options, 'config token store options', 'CONFIG_ERROR');
  if (!read.success) throw read.error;
  const { configs, integration } = read.data;
  const name = read.data.secretName ?? 'oauth2';
  const userId = read.data.userId ?? null;

  return {
    read: () =>
      settle('tokens.read', async () => {
        const config = await configs.getConfig(integration);
        if (!config.success) return config;
        const secret = config.data?.secrets[name];
        if (secret === undefined) return ok(null);
        if (!(secret instanceof Secret)) return err(unreadable());
        return parseOAuth2TokenSet(secret.reveal());
      }),
    write: (set) =>
      settle('tokens.write', async () => {
        if (!isOAuth2TokenSet(set)) return err(notATokenSet());
        const input = { secrets: { [name]: new Secret(serializeOAuth2TokenSet(set)) } };
        // The merge replaces this one secret; the row's other credentials and settings stay as they are.
        let saved = await configs.updateConfig(integration, input, userId);
        if (!saved.success && saved.error.code === 'NOT_FOUND') {
          saved = await configs.createConfig(integration, input, userId);
          // Another process created the row meanwhile: update it.
          if (!saved.success && saved.error.code === 'CONFLICT')
            saved = await configs.updateConfig(integration, input, userId);
        }
        return saved.success ? ok(undefined) : saved;
      }),
  };
}

const unreadable = () =>
  new IntegrationError('OPERATION_FAILED', 'The configuration store answered a secret that is not a Secret', {
    field: 'tokens',
    retryable: false,
  });
