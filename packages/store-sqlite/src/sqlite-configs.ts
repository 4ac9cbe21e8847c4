import { err, IntegrationError, ok } from '@patchbay/core';
import {
  type ConfigRowStore,
  type IntegrationConfigRow,
  integrationConfigFromRow,
  type StoredIntegrationConfigInput,
  validateConfigRowInput,
  validateName,
} from '@patchbay/core/store';
import type { SqliteContext } from './context.ts';

// Input field → column and how its value is stored. The statements are built from this list only, never from
// caller-supplied names. Secrets go in as one JSON object: on create the row's, on update a merge patch.
const COLUMNS: {
  [K in keyof Required<StoredIntegrationConfigInput>]: {
    column: string;
    toSql: (value: StoredIntegrationConfigInput[K]) => string | number | null;
  };
} = {
  baseUrl: { column: 'base_url', toSql: (value) => value ?? null },
  secrets: { column: 'secrets', toSql: (value) => JSON.stringify(value ?? {}) },
  enabled: { column: 'enabled', toSql: (value) => (value ? 1 : 0) },
  syncMode: { column: 'sync_mode', toSql: (value) => value ?? 'disabled' },
  settings: { column: 'settings', toSql: (value) => JSON.stringify(value ?? {}) },
};
const FIELDS = Object.keys(COLUMNS) as (keyof StoredIntegrationConfigInput)[];

const sqlValue = <K extends keyof StoredIntegrationConfigInput>(
  field: K,
  input: StoredIntegrationConfigInput,
): string | number | null => COLUMNS[field].toSql(input[field]);

// What a new row stores of the secrets: a null (a removal) has nothing to remove yet.
const withoutRemovals = (secrets: Record<string, string | null>): Record<string, string> =>
  Object.fromEntries(Object.entries(secrets).filter((entry): entry is [string, string] => entry[1] !== null));

/** Configuration rows on the `integration_configs` table; secrets arrive and leave encrypted. */
export function createSqliteConfigs(ctx: SqliteContext): ConfigRowStore {
  const { db } = ctx;
  const select = () => db.prepare('SELECT * FROM integration_configs WHERE integration = ?');

  return {
    async get(integrationValue) {
      const checked = validateName(integrationValue, 'integration');
      if (!checked.success) return checked;
      const integration = checked.data;
      return ctx.attempt('configs.get', () => {
        const row = select().get(integration) as IntegrationConfigRow | undefined;
        return ok(row ? integrationConfigFromRow(row) : null);
      });
    },

    async create(integrationValue, inputValue, userIdValue) {
      const checked = validateConfigRowInput(integrationValue, inputValue, userIdValue);
      if (!checked.success) return checked;
      const { integration, userId } = checked.data;
      const input = { ...checked.data.input };
      if (input.secrets) input.secrets = withoutRemovals(input.secrets);
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
          .get(...values) as IntegrationConfigRow | undefined;
        if (!row) {
          return err(
            new IntegrationError('CONFLICT', `Integration ${integration} already has a configuration`),
          );
        }
        return ok(integrationConfigFromRow(row));
      });
    },

    async update(integrationValue, inputValue, userIdValue) {
      const checked = validateConfigRowInput(integrationValue, inputValue, userIdValue);
      if (!checked.success) return checked;
      const { integration, input, userId } = checked.data;
      return ctx.attempt('configs.update', () => {
        const given = FIELDS.filter((field) => input[field] !== undefined);
        // json_patch is RFC 7396 merge: a name with a ciphertext is set, a name with null removed, the others
        // kept, all in this one statement, so two writers of different secrets cannot undo each other.
        const assignments = [
          ...given.map((f) =>
            f === 'secrets' ? 'secrets = json_patch(secrets, ?)' : `${COLUMNS[f].column} = ?`,
          ),
          'updated_by = ?',
          'updated_at = ?',
        ];
        const values = [...given.map((f) => sqlValue(f, input)), userId, ctx.now(), integration];
        const row = db
          .prepare(
            `UPDATE integration_configs SET ${assignments.join(', ')} WHERE integration = ? RETURNING *`,
          )
          .get(...values) as IntegrationConfigRow | undefined;
        if (!row) {
          return err(new IntegrationError('NOT_FOUND', `Integration ${integration} has no configuration`));
        }
        return ok(integrationConfigFromRow(row));
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
