import * as z from 'zod/mini';
import { type ConfigSource, envSource, type ResolvedConfig, resolveConfig } from './config.ts';
import { booleanFromEnv, httpUrl, secretString } from './config-schemas.ts';
import { type ConfigStore, syncModeSchema } from './config-store.ts';
import type { ApiResult } from './result.ts';
import type { Secret } from './secret.ts';
import type { SyncMode } from './store.ts';

// A disabled integration may be half-configured (no URL or key yet) without failing the app's start; an
// enabled one must have both. `when` runs the check even when other fields failed, so every bad field is
// reported at once; the values it sees may then be raw, hence the strict `=== true`.
const requiredWhenEnabled = (field: 'baseUrl' | 'apiKey') =>
  z.refine<{ enabled?: unknown; baseUrl?: unknown; apiKey?: unknown }>(
    (config) => config.enabled !== true || config[field] !== undefined,
    { path: [field], message: 'required when the integration is enabled', when: () => true },
  );

/** The resolved configuration of one integration: what a client needs to connect and how to sync. */
export const resolvedIntegrationConfigSchema = z
  .object({
    baseUrl: z.optional(httpUrl),
    apiKey: z.optional(secretString),
    enabled: booleanFromEnv,
    syncMode: syncModeSchema,
    settings: z.record(z.string(), z.unknown()),
  })
  .check(requiredWhenEnabled('baseUrl'), requiredWhenEnabled('apiKey'));

/** One integration's resolved configuration; `baseUrl` and `apiKey` are always set when `enabled`. */
export type ResolvedIntegrationConfig = z.output<typeof resolvedIntegrationConfigSchema> & {
  integration: string;
};

/** Fallback values, used when neither the database nor the environment has a field. */
export interface IntegrationConfigDefaults {
  baseUrl?: string;
  apiKey?: string | Secret;
  enabled?: boolean;
  syncMode?: SyncMode;
  settings?: Record<string, unknown>;
}

/** Options of {@link resolveIntegrationConfig}. */
export interface ResolveIntegrationConfigOptions {
  /** The integration's name, the key of its database row, e.g. `twenty-crm`. */
  integration: string;
  /** The database layer; without it only env and defaults are read. */
  store?: ConfigStore;
  /** The environment, e.g. `process.env`; core never reads it by itself. */
  env: Record<string, string | undefined>;
  /** Prefix of the variables: `TWENTY_CRM` reads `TWENTY_CRM_BASE_URL`, `_API_KEY`, `_ENABLED`, `_SYNC_MODE`. */
  envPrefix: string;
  defaults?: IntegrationConfigDefaults;
}

const BUILT_IN_DEFAULTS = { enabled: false, syncMode: 'disabled', settings: {} } as const;

/**
 * One integration's configuration, field by field from the database row, then the environment
 * (`${envPrefix}_BASE_URL`, `_API_KEY`, `_ENABLED`, `_SYNC_MODE`), then `defaults` (then `enabled: false`,
 * `syncMode: 'disabled'`). A database row's `enabled: false` wins over env `true`: the row has priority for
 * every field it holds. Every invalid field is reported in one `CONFIG_ERROR`, named with where its value
 * came from; a database failure (or a key that does not decrypt) is returned as is, never papered over by env.
 * @example
 * const result = await resolveIntegrationConfig({ integration: 'twenty-crm', store: configs, env: process.env, envPrefix: 'TWENTY_CRM' });
 * if (result.success && result.data.config.enabled) connect(result.data.config.baseUrl, result.data.config.apiKey);
 */
export async function resolveIntegrationConfig(
  options: ResolveIntegrationConfigOptions,
): Promise<ApiResult<ResolvedConfig<ResolvedIntegrationConfig>>> {
  const { integration, store, env, envPrefix, defaults = {} } = options;

  let row: Record<string, unknown> | null = null;
  if (store) {
    const stored = await store.getConfig(integration);
    if (!stored.success) return stored;
    if (stored.data) {
      const { baseUrl, apiKey, enabled, syncMode, settings } = stored.data;
      // An empty settings object is what a row holds when nobody set any: let the defaults' show through.
      const hasSettings = Object.keys(settings).length > 0;
      row = { baseUrl, apiKey, enabled, syncMode, settings: hasSettings ? settings : undefined };
    }
  }

  const sources: ConfigSource[] = [
    {
      name: 'database',
      values: row,
      describe: () => `database row '${integration}'`,
    },
    envSource(env, {
      baseUrl: `${envPrefix}_BASE_URL`,
      apiKey: `${envPrefix}_API_KEY`,
      enabled: `${envPrefix}_ENABLED`,
      syncMode: `${envPrefix}_SYNC_MODE`,
    }),
    { name: 'defaults', values: { ...BUILT_IN_DEFAULTS, ...withoutUndefined(defaults) } },
  ];

  const resolved = await resolveConfig({ schema: resolvedIntegrationConfigSchema, sources });
  if (!resolved.success) return resolved;
  return {
    success: true,
    data: { config: { integration, ...resolved.data.config }, origins: resolved.data.origins },
  };
}

const withoutUndefined = (values: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
