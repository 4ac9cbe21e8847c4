import { err, IntegrationError, ok } from '@patchbay/core';
import {
  type ConfigRowStore,
  type IntegrationConfigRow,
  integrationConfigFromRow,
  validateConfigRowInput,
  validateName,
} from '@patchbay/core/store';
import type { Database } from './database.ts';

// `undefined` leaves a field as it is, `null` clears it: the statement gets a "was it given" flag per field.
// JSON goes in as text cast to jsonb: a string parameter typed jsonb would be JSON-encoded a second time.
const given = (value: unknown): boolean => value !== undefined;

// What a new row stores of the secrets: a null (a removal) has nothing to remove yet.
const withoutRemovals = (secrets: Record<string, string | null> | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(secrets ?? {}).filter((entry): entry is [string, string] => entry[1] !== null),
  );

/** The raw configuration rows (one per integration); encryption is the core's `createConfigStore`'s job. */
export function createConfigRowStore(db: Database): ConfigRowStore {
  const { configs } = db.tables;
  return {
    async get(integrationValue) {
      const checked = validateName(integrationValue, 'integration');
      if (!checked.success) return checked;
      const integration = checked.data;
      return db.run('configs.get', async (sql) => {
        const [row] = await sql<IntegrationConfigRow[]>`
          select * from ${configs} where integration = ${integration}`;
        return row ? integrationConfigFromRow(row) : null;
      });
    },

    async create(integrationValue, inputValue, userIdValue) {
      const checked = validateConfigRowInput(integrationValue, inputValue, userIdValue);
      if (!checked.success) return checked;
      const { integration, input, userId } = checked.data;
      const created = await db.run('configs.create', async (sql) => {
        const [row] = await sql<IntegrationConfigRow[]>`
          insert into ${configs} (integration, base_url, secrets, enabled, sync_mode, settings,
            created_by, updated_by, created_at, updated_at)
          values (${integration}, ${input.baseUrl ?? null},
            ${JSON.stringify(withoutRemovals(input.secrets))}::text::jsonb,
            ${input.enabled ?? false}, ${input.syncMode ?? 'disabled'}, ${JSON.stringify(input.settings ?? {})}::text::jsonb,
            ${userId}, ${userId}, clock_timestamp(), clock_timestamp())
          on conflict (integration) do nothing
          returning *`;
        return row ? integrationConfigFromRow(row) : null;
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
        // Secrets merge in this one statement: `||` sets the names given (a removal as a JSON null), and
        // jsonb_strip_nulls drops those nulls, so two writers of different secrets cannot undo each other.
        // Stored values are never null, so nothing else is stripped.
        const [row] = await sql<IntegrationConfigRow[]>`
          update ${configs} set
            base_url = case when ${given(input.baseUrl)} then ${input.baseUrl ?? null} else base_url end,
            secrets = case when ${given(input.secrets)}
              then jsonb_strip_nulls(secrets || ${JSON.stringify(input.secrets ?? {})}::text::jsonb)
              else secrets end,
            enabled = case when ${given(input.enabled)} then ${input.enabled ?? false} else enabled end,
            sync_mode = case when ${given(input.syncMode)} then ${input.syncMode ?? 'disabled'} else sync_mode end,
            settings = case when ${given(input.settings)}
              then ${JSON.stringify(input.settings ?? {})}::text::jsonb else settings end,
            updated_by = ${userId},
            updated_at = clock_timestamp()
          where integration = ${integration}
          returning *`;
        return row ? integrationConfigFromRow(row) : null;
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
