import {
  type ApiResult,
  type ConfigStore,
  createConfigStore,
  err,
  guardStore,
  IntegrationError,
  type IntegrationStore,
  ok,
  optionsObject,
  type ResolvedIntegrationConfig,
  readOptions,
  resolveIntegrationConfig,
  reviseError,
  settle,
} from '@patchbay/core';
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

const INTEGRATION = twentyConnector.id;

/**
 * Seed 001's factory: opens the store `PATCHBAY_DATABASE_URL` names (`file:./patchbay.db` by default →
 * SQLite; `postgres://…` → PostgreSQL), reads the Twenty configuration from it (decrypted with
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
  return settle('createTwentySyncFromEnv', () => buildFromEnv(options));
}

// The variables read, copied once from `env`: a Proxy or a getter that throws is named, not thrown.
const ENV_KEYS = [
  'PATCHBAY_DATABASE_URL',
  'PATCHBAY_SECRET_KEY',
  twentyConnector.env.baseUrl,
  twentyConnector.env.credentials.apiKey,
  twentyConnector.env.enabled,
  twentyConnector.env.syncMode,
];

async function buildFromEnv(options: unknown): Promise<ApiResult<TwentySyncFromEnv>> {
  const {
    env: envValue,
    store: given,
    ...syncOptions
  } = optionsObject(options, {
    label: 'Twenty sync-from-env options',
    optional: true,
  }) as TwentySyncFromEnvOptions;
  const read = readOptions(envValue ?? processEnv(), ENV_KEYS, 'env');
  if (!read.success) return err(reviseError(read.error, { code: 'CONFIG_ERROR' }));
  const env = read.data as Record<string, string | undefined>;
  const opened = given ? ok(given) : await openStore(env.PATCHBAY_DATABASE_URL ?? 'file:./patchbay.db');
  if (!opened.success) return opened;
  // Used here through a guard: a caller's store that throws gives a typed failure (the sync guards its own).
  const store = guardStore(opened.data);
  const fail = async (error: IntegrationError) => {
    if (!given) await store.close();
    return err(error);
  };

  let configs: ConfigStore | undefined;
  const secretKey = env.PATCHBAY_SECRET_KEY;
  if (secretKey) {
    try {
      configs = createConfigStore({ rows: store.configs, secretKey });
    } catch (error) {
      return fail(
        error instanceof IntegrationError
          ? error
          : new IntegrationError('CONFIG_ERROR', 'Invalid PATCHBAY_SECRET_KEY', {
              field: 'PATCHBAY_SECRET_KEY',
            }),
      );
    }
  } else {
    const stored = await store.configs.exists(INTEGRATION);
    if (!stored.success) return fail(stored.error);
    if (stored.data) {
      return fail(
        new IntegrationError(
          'CONFIG_ERROR',
          'The database holds a Twenty configuration: set PATCHBAY_SECRET_KEY to read its API key',
          {
            field: 'PATCHBAY_SECRET_KEY',
          },
        ),
      );
    }
  }

  // The connector names the variables (TWENTY_CRM_*) and checks the mode against Twenty's.
  const resolved = await resolveIntegrationConfig({
    integration: INTEGRATION,
    connector: twentyConnector,
    store: configs,
    env,
  });
  if (!resolved.success) return fail(resolved.error);
  const { config, origins } = resolved.data;
  // One of Twenty's modes: the connector checked it.
  const mode = (config.enabled ? config.syncMode : 'disabled') as TwentySyncOptions['mode'];
  try {
    const sync = createTwentySync({
      ...syncOptions,
      baseUrl: config.baseUrl ?? '',
      apiKey: config.apiKey ?? '',
      store: opened.data,
      mode,
    });
    return ok({ sync, store: opened.data, config, origins });
  } catch (error) {
    return fail(
      error instanceof IntegrationError
        ? error
        : new IntegrationError('CONFIG_ERROR', 'Could not build the sync'),
    );
  }
}

/** Opens the store a database URL names. */
export async function openStore(url: string): Promise<ApiResult<IntegrationStore>> {
  const field = 'PATCHBAY_DATABASE_URL';
  try {
    if (/^postgres(ql)?:\/\//i.test(url)) {
      const { createPostgresStore } =
        await importOptional<typeof import('@patchbay/store-postgres')>('@patchbay/store-postgres');
      return ok(createPostgresStore({ connectionString: url }));
    }
    if (url.startsWith('file:') || url === ':memory:') {
      const { createSqliteStore } =
        await importOptional<typeof import('@patchbay/store-sqlite')>('@patchbay/store-sqlite');
      return ok(createSqliteStore({ path: url === ':memory:' ? url : url.slice('file:'.length) }));
    }
  } catch (error) {
    if (error instanceof IntegrationError) return err(error);
    return err(new IntegrationError('CONFIG_ERROR', `Could not open the store ${field} names`, { field }));
  }
  return err(
    new IntegrationError('CONFIG_ERROR', `${field} must be file:<path>, :memory: or postgres://…`, { field }),
  );
}

async function importOptional<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch {
    throw new IntegrationError('CONFIG_ERROR', `${name} is not installed: npm install ${name}`, {
      field: 'PATCHBAY_DATABASE_URL',
    });
  }
}

function processEnv(): Record<string, string | undefined> {
  const holder = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return holder.process?.env ?? {};
}
