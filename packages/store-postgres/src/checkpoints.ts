import { type SyncStateStore, validateCheckpoint, validateName } from '@patchbay/core/store';
import type { Database } from './database.ts';

/** Named checkpoints (e.g. a change cursor), last write wins. */
export function createCheckpoints(db: Database): Pick<SyncStateStore, 'getCheckpoint' | 'setCheckpoint'> {
  const { checkpoints } = db.tables;
  return {
    async getCheckpoint(nameValue) {
      const checked = validateName(nameValue, 'name');
      if (!checked.success) return checked;
      const name = checked.data;
      return db.run('syncState.getCheckpoint', async (sql) => {
        const [row] = await sql<{ value: string }[]>`select value from ${checkpoints} where name = ${name}`;
        return row ? row.value : null;
      });
    },

    async setCheckpoint(nameValue, checkpointValue) {
      const checked = validateCheckpoint(nameValue, checkpointValue);
      if (!checked.success) return checked;
      const { name, value } = checked.data;
      return db.run('syncState.setCheckpoint', async (sql) => {
        await sql`
          insert into ${checkpoints} (name, value, updated_at) values (${name}, ${value}, clock_timestamp())
          on conflict (name) do update set value = excluded.value, updated_at = excluded.updated_at`;
      });
    },
  };
}
