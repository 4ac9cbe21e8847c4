import {
  type ConfigRowStore,
  err,
  IntegrationError,
  ok,
  type StoredIntegrationConfig,
  type StoredIntegrationConfigInput,
  validateConfigRowInput,
  validateName,
} from '@patchbay/core';
import type { SqliteContext } from './context.ts';

interface ConfigRow {
  integration: string;
  base_url: string | null;
  api_key_ciphertext: string | null;
  enabled: number;
  sync_mode: StoredIntegrationConfig['syncMode'];
  settings: string;
  created_by: string | null;
  updated_by: string | null;
  created_at: number;
  updated_at: number;
}

const toConfig = (row: ConfigRow): StoredIntegrationConfig => ({
  integration: row.integration,
  baseUrl: row.base_url,
  apiKeyCiphertext: row.api_key_ciphertext,
  enabled: row.enabled === 1,
  syncMode: row.sync_mode,
  settings: JSON.parse(row.settings) as Record<string, unknown>,
  createdBy: row.created_by,
  updatedBy: row.updated_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

// Input field → column and how its value is stored. The update statement is built from this list only,
// never from caller-supplied names.
const COLUMNS: {
  [K in keyof Required<StoredIntegrationConfigInput>]: {
    column: string;
    toSql: (value: StoredIntegrationConfigInput[K]) => string | number | null;
  };
} = {
  baseUrl: { column: 'base_url', toSql: (value) => value ?? null },
  apiKeyCiphertext: { column: 'api_key_ciphertext', toSql: (value) => value ?? null },
  enabled: { column: 'enabled', toSql: (value) => (value ? 1 : 0) },
  syncMode: { column: 'sync_mode', toSql: (value) => value ?? 'disabled' },
  settings: { column: 'settings', toSql: (value) => JSON.stringify(value ?? {}) },
};
const FIELDS = Object.keys(COLUMNS) as (keyof StoredIntegrationConfigInput)[];

const sqlValue = <K extends keyof StoredIntegrationConfigInput>(
  field: K,
  input: StoredIntegrationConfigInput,
): string | number | null => COLUMNS[field].toSql(input[field]);

/** Configuration rows on the `integration_configs` table; the API key arrives and leaves encrypted. */
export function createSqliteConfigs(ctx: SqliteContext): ConfigRowStore {
  const { db } = ctx;
  const select = () => db.prepare('SELECT * FROM integration_configs WHERE integration = ?');

  return {
    async get(integrationValue) {
      const checked = validateName(integrationValue, 'integration');
      if (!checked.success) return checked;
      const integration = checked.data;
      return ctx.attempt('configs.get', () => {
        const row = select().get(integration) as ConfigRow | undefined;
        return ok(row ? toConfig(row) : null);
      });
    },

    async create(integrationValue, inputValue, userIdValue) {
      const checked = validateConfigRowInput(integrationValue, inputValue, userIdValue);
      if (!checked.success) return checked;
      const { integration, input, userId } = checked.data;
      return ctx.attempt('configs.create', () => {
        const at = ctx.now();
        const given = FIELDS.filter((field) => input[field] !== undefined);
        const columns = ['integration', ...given.map((f) => COLUMNS[f].column)];
        columns.push('created_by', 'updated_by', 'created_at', 'updated_at');
        const values = [integration, ...given.map((f) => sqlValue(f, input)), userId, userId, at, at];
        // DO NOTHING + RETURNING: an existing row comes back as "no row", a precise CONFLICT, without
        // relying on the text of a constraint error.
        const row = db
          .prepare(
            `INSERT INTO integration_configs (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
             ON CONFLICT (integration) DO NOTHING RETURNING *`,
          )
          .get(...values) as ConfigRow | undefined;
        if (!row) {
          return err(
            new IntegrationError('CONFLICT', `Integration ${integration} already has a configuration`),
          );
        }
        return ok(toConfig(row));
      });
    },

    async update(integrationValue, inputValue, userIdValue) {
      const checked = validateConfigRowInput(integrationValue, inputValue, userIdValue);
      if (!checked.success) return checked;
      const { integration, input, userId } = checked.data;
      return ctx.attempt('configs.update', () => {
        const given = FIELDS.filter((field) => input[field] !== undefined);
        const assignments = [
          ...given.map((f) => `${COLUMNS[f].column} = ?`),
          'updated_by = ?',
          'updated_at = ?',
        ];
        const values = [...given.map((f) => sqlValue(f, input)), userId, ctx.now(), integration];
        const row = db
          .prepare(
            `UPDATE integration_configs SET ${assignments.join(', ')} WHERE integration = ? RETURNING *`,
          )
          .get(...values) as ConfigRow | undefined;
        if (!row) {
          return err(new IntegrationError('NOT_FOUND', `Integration ${integration} has no configuration`));
        }
        return ok(toConfig(row));
      });
    },

    async exists(integrationValue) {
      const checked = validateName(integrationValue, 'integration');
      if (!checked.success) return checked;
      const integration = checked.data;
      return ctx.attempt('configs.exists', () =>
        ok(
          db.prepare('SELECT 1 FROM integration_configs WHERE integration = ?').get(integration) !==
            undefined,
        ),
      );
    },
  };
}
