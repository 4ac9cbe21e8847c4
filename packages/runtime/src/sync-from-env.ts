// The factory every connector's `create<Vendor>SyncFromEnv` is a front over: the store from a URL, the
// connector's configuration from that store (secrets decrypted), then the environment, then defaults, and the
// connector's sync built from both. A connector supplies only how to build its sync.
import {
  type ApiResult,
  type ConfigStore,
  type Connector,
  type ConnectorConfig,
  type ConnectorConfigDefaults,
  type CredentialDefinitions,
  createConfigStore,
  err,
  IntegrationError,
  isConnector,
  isIntegrationError,
  ok,
  optionsObject,
  readOptions,
  resolveConnectorConfig,
  reviseError,
  type Secret,
  settle,
} from '@patchbay/core';
import { guardStore, type IntegrationStore } from '@patchbay/core/store';
import { openStore } from './open-store.ts';

/** The variable naming the database, read when neither `store` nor `storeUrl` is given. */
export const DATABASE_URL_VARIABLE = 'PATCHBAY_DATABASE_URL';
/** The variable holding the key that encrypts secrets at rest, read when `secretKey` is not given. */
export const SECRET_KEY_VARIABLE = 'PATCHBAY_SECRET_KEY';
/** The database opened when nothing names one: a SQLite file in the working directory. */
export const DEFAULT_DATABASE_URL = 'file:./patchbay.db';

/** Options of {@link createSyncFromEnv}. */
export interface SyncFromEnvOptions<
  TSync,
  C extends CredentialDefinitions = CredentialDefinitions,
  S = Record<string, unknown>,
  M extends string = string,
> {
  /** What `defineConnector` returned. */
  connector: Connector<C, S, M>;
  /** Builds the connector's sync. A throw is a `CONFIG_ERROR` (its own IntegrationError as it is). */
  createSync: (config: ConnectorConfig<C, S, M>, store: IntegrationStore) => TSync | Promise<TSync>;
  /** The environment. Default `process.env` where it exists. */
  env?: Record<string, string | undefined>;
  /** A store to use (yours to close) instead of opening one. */
  store?: IntegrationStore;
  /** The database to open (see `openStore`). Default `PATCHBAY_DATABASE_URL`, else `file:./patchbay.db`. */
  storeUrl?: string;
  /** Decrypts the stored secrets (≥ 16 characters). Default `PATCHBAY_SECRET_KEY`. */
  secretKey?: string | Secret;
  /** The configuration row's key. Default the connector's id. */
  integration?: string;
  /** Values used when neither the database nor the environment has one. */
  defaults?: ConnectorConfigDefaults<C, M>;
}

/** What {@link createSyncFromEnv} built. */
export interface SyncFromEnv<
  TSync,
  C extends CredentialDefinitions = CredentialDefinitions,
  S = Record<string, unknown>,
  M extends string = string,
> {
  sync: TSync;
  /** The store it opened (close it when done), or the one given. */
  store: IntegrationStore;
  config: ConnectorConfig<C, S, M>;
  /** Where each field came from: `database`, `env` or `defaults`. */
  origins: Record<string, string>;
}

/**
 * Builds a connector's sync from configuration: opens the store `storeUrl` or `PATCHBAY_DATABASE_URL` names
 * (`file:./patchbay.db` by default; see `openStore`), resolves the connector's configuration with
 * `resolveConnectorConfig` (the database row, its secrets decrypted with `secretKey` or `PATCHBAY_SECRET_KEY`,
 * wins; then `${envPrefix}_*` variables; then `defaults`), and calls `createSync(config, store)`. A row stored
 * without a secret key to read it is a `CONFIG_ERROR` naming the key. Never throws or rejects: every failure is a
 * typed error (every invalid setting named in one `CONFIG_ERROR`, never its value), and a store it opened is
 * closed again on failure.
 * @example
 * const built = await createSyncFromEnv({
 *   connector: acmeConnector,
 *   createSync: (config, store) =>
 *     createAcmeSync({ ...config, store, mode: config.enabled ? config.syncMode : 'disabled' }),
 * });
 * if (built.success) await built.data.sync.upsertMany('person', users);
 */
export function createSyncFromEnv<TSync, C extends CredentialDefinitions, S, M extends string>(
  options: SyncFromEnvOptions<TSync, C, S, M>,
): Promise<ApiResult<SyncFromEnv<TSync, C, S, M>>> {
  // Resolves whatever it is given: options it cannot read are a CONFIG_ERROR, never a rejection.
  return settle('createSyncFromEnv', () => build(options)) as Promise<ApiResult<SyncFromEnv<TSync, C, S, M>>>;
}

async function build(options: unknown): Promise<ApiResult<SyncFromEnv<unknown>>> {
  const plain = optionsObject(options, { label: 'sync-from-env options' });
  const { connector, createSync, store: given } = plain;
  if (!isConnector(connector))
    return err(configError('connector', 'must be a connector made by defineConnector'));
  if (typeof createSync !== 'function') return err(configError('createSync', 'must be a function'));
  if (given !== undefined && !isStoreLike(given)) {
    return err(configError('store', 'must be an IntegrationStore'));
  }
  if (plain.storeUrl !== undefined && typeof plain.storeUrl !== 'string') {
    return err(configError('storeUrl', 'must be a string'));
  }

  // The variables read, copied once: a Proxy or a getter that throws is named (`env.ACME_API_KEY`), not thrown.
  const names = [
    DATABASE_URL_VARIABLE,
    SECRET_KEY_VARIABLE,
    connector.env.baseUrl,
    connector.env.enabled,
    connector.env.syncMode,
    ...Object.values(connector.env.credentials),
  ];
  const read = readOptions(plain.env ?? processEnv(), names, 'env');
  if (!read.success) return err(reviseError(read.error, { code: 'CONFIG_ERROR' }));
  const env = read.data as Record<string, string | undefined>;

  let opened: IntegrationStore;
  if (given) opened = given as IntegrationStore;
  else {
    const url = (plain.storeUrl as string | undefined) ?? env[DATABASE_URL_VARIABLE] ?? DEFAULT_DATABASE_URL;
    const field = plain.storeUrl === undefined ? DATABASE_URL_VARIABLE : 'storeUrl';
    const result = await openStore(url, { field });
    if (!result.success) return result;
    opened = result.data;
  }
  // Read here through a guard: a caller's store that throws gives a typed failure (a sync guards its own).
  const store = guardStore(opened);
  const fail = async (error: IntegrationError): Promise<ApiResult<never>> => {
    if (!given) await store.close();
    return err(error);
  };

  const integration = plain.integration ?? connector.id;
  let configs: ConfigStore | undefined;
  const keyField = plain.secretKey === undefined ? SECRET_KEY_VARIABLE : 'secretKey';
  const secretKey = plain.secretKey ?? env[SECRET_KEY_VARIABLE];
  if (secretKey !== undefined && secretKey !== '') {
    try {
      configs = createConfigStore({ rows: store.configs, secretKey: secretKey as string | Secret });
    } catch {
      return fail(configError(keyField, 'must be a string of at least 16 characters'));
    }
  } else {
    // Without a key, a stored configuration cannot be read: falling back to env would silently ignore it.
    const stored = typeof integration === 'string' ? await store.configs.exists(integration) : ok(false);
    if (!stored.success) return fail(stored.error);
    if (stored.data) {
      return fail(
        new IntegrationError(
          'CONFIG_ERROR',
          `The database holds a ${connector.displayName} configuration: set ${SECRET_KEY_VARIABLE} to read its secrets`,
          { field: keyField },
        ),
      );
    }
  }

  const resolved = await resolveConnectorConfig({
    connector,
    integration: integration as string,
    store: configs,
    env,
    defaults: plain.defaults as ConnectorConfigDefaults | undefined,
  });
  if (!resolved.success) return fail(resolved.error);
  const { config, origins } = resolved.data;
  try {
    const sync = await (createSync as (config: ConnectorConfig, store: IntegrationStore) => unknown)(
      config,
      opened,
    );
    return ok({ sync, store: opened, config, origins });
  } catch (error) {
    // Only an IntegrationError's words are kept: anything else thrown could quote a credential.
    return fail(
      isIntegrationError(error) ? error : new IntegrationError('CONFIG_ERROR', 'Could not build the sync'),
    );
  }
}

function isStoreLike(value: unknown): boolean {
  try {
    const configs = (value as IntegrationStore | null)?.configs;
    return typeof configs === 'object' && configs !== null;
  } catch {
    return false;
  }
}

function processEnv(): Record<string, string | undefined> {
  const holder = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return holder.process?.env ?? {};
}

const configError = (field: string, message: string): IntegrationError =>
  new IntegrationError('CONFIG_ERROR', `Invalid ${field}: ${message}`, {
    field,
    issues: [{ field, message }],
  });
