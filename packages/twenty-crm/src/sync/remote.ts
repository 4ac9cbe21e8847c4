import { type ApiResult, ok } from '@patchbay/core';
import type { RemoteMatch, SyncRemote, SyncWriteResult } from '@patchbay/sync';
import type { TwentyClient } from '../client.ts';
import { companyInputSchema } from '../company.ts';
import { personInputSchema } from '../person.ts';
import { COMPANIES, createRecordResource, PEOPLE, type RecordResource } from '../records.ts';
import { EXTERNAL_ID_FIELD, remoteCompanySchema, remotePersonSchema } from './records.ts';

type TwentyRecord = Record<string, unknown>;

// Ids Twenty's filter parser would split or misread are not looked up: the upsert still matches them.
const SAFE_IN_VALUE = /^[^,()[\]"']+$/;
// One lookup asks for at most a batch of ids of a unique field, so its matches fit in one page of 200: a server
// that still says another page follows after the second is broken, and the lookup stops there instead of
// walking core's default 2 000 pages for every chunk.
const LOOKUP_PAGE_SIZE = 200;
const LOOKUP_MAX_PAGES = 2;

/**
 * The sync engine's remote for Twenty: lookups by `externalId[in]`, writes through the batch upsert, which
 * matches on the unique `externalId` (so a resent record updates instead of duplicating).
 */
export function createTwentyRemote(options: { client: () => TwentyClient; batchSize: number }): SyncRemote {
  let resources: Record<string, RecordResource<TwentyRecord, TwentyRecord>> | undefined;
  // Built on first use: a disabled sync never builds its client.
  const resourceOf = (type: string) => {
    const context = { http: options.client().http, batchSize: options.batchSize };
    resources ??= {
      person: createRecordResource(context, PEOPLE, { record: remotePersonSchema, input: personInputSchema }),
      company: createRecordResource(context, COMPANIES, {
        record: remoteCompanySchema,
        input: companyInputSchema,
      }),
    };
    return resources[type]!;
  };

  return {
    maxBatchSize: options.batchSize,
    async find(type, externalIds): Promise<ApiResult<Map<string, RemoteMatch>>> {
      const found = new Map<string, RemoteMatch>();
      const safe = externalIds.filter((id) => SAFE_IN_VALUE.test(id));
      if (safe.length === 0) return ok(found);
      const listed = await resourceOf(type).listAll({
        filter: { [EXTERNAL_ID_FIELD]: { in: safe } },
        pageSize: LOOKUP_PAGE_SIZE,
        maxPages: LOOKUP_MAX_PAGES,
      });
      if (!listed.success) return listed;
      for (const record of listed.data) {
        const id = record[EXTERNAL_ID_FIELD];
        if (typeof id === 'string') found.set(id, { remoteId: String(record.id), record });
      }
      return ok(found);
    },
    async upsert(type, items): Promise<ApiResult<SyncWriteResult>> {
      const written = await resourceOf(type).upsertMany(
        items.map((item) => item.input as TwentyRecord),
        { validate: false },
      );
      if (!written.success) return written;
      const outcomes: SyncWriteResult = new Map();
      for (const record of written.data) {
        const id = record[EXTERNAL_ID_FIELD];
        if (typeof id !== 'string') continue;
        // Twenty sets createdAt and updatedAt to one instant on insert; an update moves updatedAt.
        const created =
          typeof record.createdAt === 'string' && typeof record.updatedAt === 'string'
            ? record.createdAt === record.updatedAt
            : undefined;
        outcomes.set(id, { remoteId: String(record.id), ...(created !== undefined && { created }) });
      }
      return ok(outcomes);
    },
  };
}
