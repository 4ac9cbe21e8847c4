// The configuration as the admin API shows it: the connector's own fields, each credential by name (a secret one
// only as `{ set }`, never a character of it), settings where the connector declares them, and the audit fields.
import type { Connector, IntegrationConfig } from '@patchbay/core';
import type { StoredIntegrationConfig } from '@patchbay/core/store';

/**
 * One integration's configuration as the admin API shows it. Besides the fields below, each credential of the
 * connector appears under its name: a secret one as `{ set: boolean }`, any other as its value or `null`.
 */
export interface AdminConfigView {
  baseUrl: string | null;
  enabled: boolean;
  syncMode: string;
  /** Present when the connector declares a settings schema: the saved settings. */
  settings?: Record<string, unknown>;
  createdBy: string | null;
  updatedBy: string | null;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
  /**
   * Present when the secret key no longer decrypts what is saved (it was rotated): the non-secret credentials
   * that could not be shown (as `null`). Saving them again fixes it.
   */
  unreadable?: string[];
  [credential: string]: unknown;
}

/** Field names of the view that a credential must not take. */
export const VIEW_FIELDS: ReadonlySet<string> = new Set([
  'baseUrl',
  'enabled',
  'syncMode',
  'settings',
  'createdBy',
  'updatedBy',
  'createdAt',
  'updatedAt',
  'unreadable',
]);

/** The view of a decrypted configuration. */
export function viewOfConfig(connector: Connector, config: IntegrationConfig): AdminConfigView {
  const credentials: Record<string, unknown> = {};
  for (const [name, credential] of Object.entries(connector.credentials)) {
    const value = Object.hasOwn(config.secrets, name) ? config.secrets[name] : undefined;
    credentials[name] = credential.secret ? { set: value !== undefined } : (value?.reveal() ?? null);
  }
  return view(connector, config, credentials);
}

/**
 * The view of a raw row, from its ciphertexts alone: which secrets are set needs no key, so it still answers
 * after the secret key was rotated. Non-secret credentials are shown from `values` (decrypted elsewhere); those
 * stored but missing from it are `null` and listed in `unreadable`.
 */
export function viewOfRow(
  connector: Connector,
  row: StoredIntegrationConfig,
  values?: Readonly<Record<string, string>>,
): AdminConfigView {
  const credentials: Record<string, unknown> = {};
  const unreadable: string[] = [];
  const secrets = isRecord(row.secrets) ? row.secrets : {};
  for (const [name, credential] of Object.entries(connector.credentials)) {
    const stored = Object.hasOwn(secrets, name) && typeof secrets[name] === 'string';
    if (credential.secret) credentials[name] = { set: stored };
    else if (values && Object.hasOwn(values, name)) credentials[name] = values[name];
    else {
      credentials[name] = null;
      if (stored) unreadable.push(name);
    }
  }
  return { ...view(connector, row, credentials), ...(unreadable.length > 0 && { unreadable }) };
}

type Saved = Pick<
  StoredIntegrationConfig,
  'baseUrl' | 'enabled' | 'syncMode' | 'settings' | 'createdBy' | 'updatedBy' | 'createdAt' | 'updatedAt'
>;

function view(connector: Connector, saved: Saved, credentials: Record<string, unknown>): AdminConfigView {
  return {
    baseUrl: saved.baseUrl,
    ...credentials,
    enabled: saved.enabled,
    syncMode: saved.syncMode,
    ...(connector.settings && { settings: isRecord(saved.settings) ? saved.settings : {} }),
    createdBy: saved.createdBy,
    updatedBy: saved.updatedBy,
    createdAt: new Date(saved.createdAt).toISOString(),
    updatedAt: new Date(saved.updatedAt).toISOString(),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
