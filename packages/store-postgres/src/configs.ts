import {
  type ConfigRowStore,
  err,
  IntegrationError,
  ok,
  type StoredIntegrationConfig,
  type SyncMode,
  validateConfigRowInput,
  validateName,
} from '@patchbay/core';
import type { Database } from './database.ts';

interface ConfigRow {
  integration: string;
  base_url: string | null;
  api_key_ciphertext: string | null;
  enabled: boolean;
  sync_mode: SyncMode;
  settings: Record<string, unknown>;
  created_by: string | null;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const toConfig = (row: ConfigRow): StoredIntegrationConfig => ({
  integration: row.integration,
  baseUrl: row.base_url,
  apiKeyCiphertext: row.api_key_ciphertext,
  enabled: row.enabled,
  syncMode: row.sync_mode,
  settings: row.settings,
  createdBy: row.created_by,
  updatedBy: row.updated_by,
  createdAt: row.created_at.getTime(),
  updatedAt: row.updated_at.getTime(),
});

// `undefined` leaves a field as it is, `null` clears it: the statement gets a "was it given" flag per field.
// Settings go in as text cast to jsonb: a string parameter typed jsonb would be JSON-encoded a second time.
const given = (value: unknown): boolean => value !== undefined;

/** The raw configuration rows (one per integration); encryption is the core's `createConfigStore`'s job. */
export function createConfigRowStore(db: Database): ConfigRowStore {
  const { configs } = db.tables;
  return {
    async get(integrationValue) {
      const checked = validateName(integrationValue, 'integration');
      if (!checked.success) return checked;
      const integration = checked.data;
      return db.run('configs.get', async (sql) => {
        const [row] = await sql<ConfigRow[]>`select * from ${configs} where integration = ${integration}`;
        return row ? toConfig(row) : null;
      });
    },

    async create(integrationValue, inputValue, userIdValue) {
      const checked = validateConfigRowInput(integrationValue, inputValue, userIdValue);
      if (!checked.success) return checked;
      const { integration, input, userId } = checked.data;
      const created = await db.run('configs.create', async (sql) => {
        const [row] = await sql<ConfigRow[]>`
          insert into ${configs} (integration, base_url, api_key_ciphertext, enabled, sync_mode, settings,
            created_by, updated_by, created_at, updated_at)
          values (${integration}, ${input.baseUrl ?? null}, ${input.apiKeyCiphertext ?? null},
            ${input.enabled ?? false}, ${input.syncMode ?? 'disabled'}, ${JSON.stringify(input.settings ?? {})}::text::jsonb,
            ${userId}, ${userId}, clock_timestamp(), clock_timestamp())
          on conflict (integration) do nothing
          returning *`;
        return row ? toConfig(row) : null;
      });
      if (!created.success) return created;
      if (created.data === null) {
        return err(
          new IntegrationError('CONFLICT', `Integration "${integration}" already has a configuration`, {
            retryable: false,
          }),
        );
      }
      return ok(created.data);
    },

    async update(integrationValue, inputValue, userIdValue) {
      const checked = validateConfigRowInput(integrationValue, inputValue, userIdValue);
      if (!checked.success) return checked;
      const { integration, input, userId } = checked.data;
      const updated = await db.run('configs.update', async (sql) => {
        const [row] = await sql<ConfigRow[]>`
          update ${configs} set
            base_url = case when ${given(input.baseUrl)} then ${input.baseUrl ?? null} else base_url end,
            api_key_ciphertext = case when ${given(input.apiKeyCiphertext)}
              then ${input.apiKeyCiphertext ?? null} else api_key_ciphertext end,
            enabled = case when ${given(input.enabled)} then ${input.enabled ?? false} else enabled end,
            sync_mode = case when ${given(input.syncMode)} then ${input.syncMode ?? 'disabled'} else sync_mode end,
            settings = case when ${given(input.settings)}
              then ${JSON.stringify(input.settings ?? {})}::text::jsonb else settings end,
            updated_by = ${userId},
            updated_at = clock_timestamp()
          where integration = ${integration}
          returning *`;
        return row ? toConfig(row) : null;
      });
      if (!updated.success) return updated;
      if (updated.data === null) {
        return err(
          new IntegrationError('NOT_FOUND', `Integration "${integration}" has no configuration`, {
            retryable: false,
          }),
        );
      }
      return ok(updated.data);
    },

    async exists(integrationValue) {
      const checked = validateName(integrationValue, 'integration');
      if (!checked.success) return checked;
      const integration = checked.data;
      return db.run('configs.exists', async (sql) => {
        const [row] = await sql<{ found: boolean }[]>`
          select exists (select 1 from ${configs} where integration = ${integration}) as found`;
        return row?.found ?? false;
      });
    },
  };
}
