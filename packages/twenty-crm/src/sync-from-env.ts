import {
  type ApiResult,
  type IntegrationStore,
  ok,
  optionsObject,
  type ResolvedIntegrationConfig,
  settle,
} from '@patchbay/core';
import { createSyncFromEnv } from '@patchbay/runtime';
import { twentyConnector } from './connector.ts';
import { createTwentySync, type TwentySync, type TwentySyncOptions } from './sync.ts';

/** Options of `createTwentySyncFromEnv`. */
export interface TwentySyncFromEnvOptions
  extends Partial<Omit<TwentySyncOptions, 'baseUrl' | 'apiKey' | 'store' | 'mode'>> {
  /** The environment. Default `process.env` where it exists. */
  env?: Record<string, string | undefined>;
  /** A store to use instead of the one `PATCHBAY_DATABASE_URL` names. */
  store?: IntegrationStore;
}

/** What the factory built: the sync, the store it opened (close it when done) and the resolved config. */
export interface TwentySyncFromEnv {
  sync: TwentySync;
  store: IntegrationStore;
  config: ResolvedIntegrationConfig;
  /** Where each setting came from: `database`, `env` or `defaults`. */
  origins: Record<string, string>;
}

/**
 * Seed 001's factory, a front over `createSyncFromEnv` from `@patchbay/runtime`: opens the store
 * `PATCHBAY_DATABASE_URL` names (`file:./patchbay.db` by default → SQLite; `postgres://…` → PostgreSQL, each
 * store package installed beside it), reads the Twenty configuration from it (decrypted with
 * `PATCHBAY_SECRET_KEY`), falls back to `TWENTY_CRM_BASE_URL`, `TWENTY_CRM_API_KEY`, `TWENTY_CRM_ENABLED`,
 * `TWENTY_CRM_SYNC_MODE`, then defaults (disabled), and builds the sync. Database configuration wins over env.
 * @example
 * const built = await createTwentySyncFromEnv();
 * if (built.success) await built.data.sync.upsertManyPersons(users);
 */
export function createTwentySyncFromEnv(
  options: TwentySyncFromEnvOptions = {},
): Promise<ApiResult<TwentySyncFromEnv>> {
  // Resolves whatever it is given: options it cannot read are a CONFIG_ERROR, never a rejection.
  return settle('createTwentySyncFromEnv', async () => {
    const { env, store, ...syncOptions } = optionsObject(options, {
      label: 'Twenty sync-from-env options',
      optional: true,
    }) as TwentySyncFromEnvOptions;
    const built = await createSyncFromEnv({
      connector: twentyConnector,
      env,
      store,
      createSync: (config, opened) =>
        createTwentySync({
          ...syncOptions,
          baseUrl: config.baseUrl ?? '',
          apiKey: config.credentials.apiKey ?? '',
          store: opened,
          // A disabled integration syncs nothing whatever its mode says.
          mode: config.enabled ? config.syncMode : 'disabled',
        }),
    });
    if (!built.success) return built;
    const { config } = built.data;
    const { apiKey } = config.credentials;
    return ok({ ...built.data, config: { ...config, ...(apiKey && { apiKey }) } });
  });
}
