// What every connector's `resolve<X>Config` and `create<X>ClientFromEnv` do with the caller's options: read them
// once (a getter or Proxy that throws is a CONFIG_ERROR, never a throw), resolve the connector's configuration,
// and refuse a credential configured nowhere by its variable's name before any client is built.

import type { ResolvedConfig } from '../config/config.ts';
import type { ConfigStore } from '../config/config-store.ts';
import { readOptions, readOwnFields } from '../input/caller-input.ts';
import { type FieldIssue, IntegrationError, isIntegrationError } from '../result/errors.ts';
import { type ApiResult, err, ok } from '../result/result.ts';
import type {
  Connector,
  ConnectorConfig,
  CredentialDefinitions,
  CredentialValues,
} from './define-connector.ts';
import {
  asConfigError,
  type ConnectorConfigDefaults,
  checkEnv,
  configError,
  resolveConnectorConfig,
} from './resolve-connector-config.ts';

/** A caller's `{ env, store, defaults }`: what a connector's `resolve<X>Config` takes. */
export interface ConnectorOptions<
  C extends CredentialDefinitions = CredentialDefinitions,
  M extends string = string,
> {
  /** The environment, e.g. `process.env`. */
  env: Record<string, string | undefined>;
  /** The database layer (`createConfigStore`); the connector's row wins over the environment field by field. */
  store?: ConfigStore;
  /** Used where neither the database nor the environment has a value. */
  defaults?: ConnectorConfigDefaults<C, M>;
}

/** Settings of {@link resolveConnectorFromOptions}. */
export interface ConnectorFromOptionsSettings {
  /** Rewrites the (checked) environment before it is read, e.g. to honour a vendor's other variable names. */
  mapEnv?: (env: Record<string, string | undefined>) => Record<string, string | undefined>;
}

/**
 * A connector's configuration from a caller's `{ env, store, defaults }` (each read once; unreadable options or
 * an `env` that is no object is a `CONFIG_ERROR` naming it), through {@link resolveConnectorConfig}. Never throws.
 * @example const resolved = await resolveConnectorFromOptions(acmeConnector, { env: process.env, store: configs });
 */
export async function resolveConnectorFromOptions<C extends CredentialDefinitions, S, M extends string>(
  connector: Connector<C, S, M>,
  options: unknown,
  settings: ConnectorFromOptionsSettings = {},
): Promise<ApiResult<ResolvedConfig<ConnectorConfig<C, S, M>>>> {
  const read = readOptions(options, ['env', 'store', 'defaults']);
  if (!read.success) return err(asConfigError(read.error));
  const { store, defaults } = read.data;
  const checked = checkEnv(read.data.env);
  if (!checked.success) return checked;
  let env = checked.data;
  if (settings.mapEnv) {
    try {
      env = settings.mapEnv(env);
    } catch {
      // A hostile env (a Proxy whose traps throw) fails in the mapping: the caller's input, not a bug here.
      return err(configError('env', 'could not be read (a getter or Proxy threw)'));
    }
  }
  return resolveConnectorConfig({
    connector,
    env,
    ...(store === undefined ? {} : { store: store as ConfigStore }),
    ...(defaults === undefined ? {} : { defaults: defaults as ConnectorConfigDefaults<C, M> }),
  });
}

/**
 * Splits a caller's options into the listed fields and the rest (every own field read once), for a
 * `create<X>ClientFromEnv` that passes the rest on to its client; unreadable options are a `CONFIG_ERROR`.
 * @example const split = splitConnectorOptions(options, ['env', 'store']); // split.data.rest: the client's options
 */
export function splitConnectorOptions<K extends string>(
  options: unknown,
  keys: readonly K[],
): ApiResult<{ picked: { [P in K]?: unknown }; rest: Record<string, unknown> }> {
  const issues: FieldIssue[] = [];
  const copy = readOwnFields(options, '', issues);
  if (copy === undefined || issues.length > 0) {
    return err(configError('options', 'could not be read: must be an object whose fields can be read'));
  }
  const picked: { [P in K]?: unknown } = {};
  for (const key of keys) {
    if (copy[key] !== undefined) picked[key] = copy[key];
    delete copy[key];
  }
  return ok({ picked, rest: copy });
}

/** The credentials `N` of a configuration, each known to be set. */
export type RequiredCredentials<C extends CredentialDefinitions, N extends keyof C> = {
  [K in N]-?: NonNullable<CredentialValues<C>[K]>;
};

/**
 * The named credentials of a resolved configuration, or a `CONFIG_ERROR` naming the first one configured nowhere
 * and where to set it: "<displayName> <name> is not configured: set <VARIABLE> or save it in the '<integration>'
 * configuration". Never holds a value.
 * @example const creds = requireConnectorCredentials(acmeConnector, resolved.data.config, ['apiKey']);
 */
export function requireConnectorCredentials<
  C extends CredentialDefinitions,
  S,
  M extends string,
  N extends keyof C & string,
>(
  connector: Connector<C, S, M>,
  config: Pick<ConnectorConfig<C, S, M>, 'credentials' | 'integration'>,
  names: readonly N[],
): ApiResult<RequiredCredentials<C, N>> {
  const found: Partial<Record<N, unknown>> = {};
  for (const name of names) {
    const value = config.credentials[name];
    if (value === undefined) {
      const variable = connector.env.credentials[name];
      return err(
        new IntegrationError(
          'CONFIG_ERROR',
          `${connector.displayName} ${name} is not configured: set ${variable} or save it in the '${config.integration}' configuration`,
          { field: name, retryable: false },
        ),
      );
    }
    found[name] = value;
  }
  return ok(found as RequiredCredentials<C, N>);
}

/** Settings of {@link createFromConnectorOptions}. */
export interface CreateFromConnectorOptionsSettings<
  C extends CredentialDefinitions,
  S,
  M extends string,
  N extends keyof C & string,
  T,
> extends ConnectorFromOptionsSettings {
  /** The option that holds the configuration store. Default `store`. */
  storeKey?: string;
  /** The credentials the client cannot work without. */
  require: readonly N[];
  /**
   * Builds the client from the configuration, the required credentials and the caller's other options. A throw is
   * answered: an IntegrationError as is, anything else as a `CONFIG_ERROR` naming `options`.
   */
  build: (
    config: ConnectorConfig<C, S, M>,
    credentials: RequiredCredentials<C, N>,
    rest: Record<string, unknown>,
  ) => T;
}

/**
 * What a connector's `create<X>ClientFromEnv` does: splits `{ env, store, ...rest }`, resolves the configuration
 * ({@link resolveConnectorFromOptions}), refuses a credential configured nowhere
 * ({@link requireConnectorCredentials}), then builds the client from the rest. Never throws or rejects.
 * @example return createFromConnectorOptions(acmeConnector, options, { require: ['apiKey'], build: (config, { apiKey }, rest) => createAcmeClient({ ...rest, apiKey }) });
 */
export async function createFromConnectorOptions<
  C extends CredentialDefinitions,
  S,
  M extends string,
  N extends keyof C & string,
  T,
>(
  connector: Connector<C, S, M>,
  options: unknown,
  settings: CreateFromConnectorOptionsSettings<C, S, M, N, T>,
): Promise<ApiResult<T>> {
  const { storeKey = 'store', require, build, mapEnv } = settings;
  const split = splitConnectorOptions(options, ['env', storeKey]);
  if (!split.success) return split;
  const { env, [storeKey]: store } = split.data.picked;
  const resolved = await resolveConnectorFromOptions(
    connector,
    { env, ...(store === undefined ? {} : { store }) },
    mapEnv ? { mapEnv } : {},
  );
  if (!resolved.success) return resolved;
  const required = requireConnectorCredentials(connector, resolved.data.config, require);
  if (!required.success) return required;
  try {
    return ok(build(resolved.data.config, required.data, split.data.rest));
  } catch (error) {
    if (isIntegrationError(error)) return err(error);
    return err(configError('options', `could not build the ${connector.displayName} client from them`));
  }
}
