// The two ways of syncing the same records, behind one face so the bench drives them alike.
// - Patchbay: createPipedriveSync on a SQLite store, told the plan (Ultimate) and the id field's name: setup() (finds
//   the field), then upsertMany('organization', …) and upsertMany('person', …) with each person's organization id.
// - The official `pipedrive` SDK's v2 classes as its README shows them (`new Configuration({ apiKey, basePath })`,
//   `new PersonsApi(config)`), in the per-record loop its docs imply: sequential, `addOrganization` for each
//   organization, then `addPerson` for each person with `org_id` from the map the loop keeps and the id in
//   `custom_fields`. A next run updates every record whose Pipedrive id the loop kept (`updateOrganization`,
//   `updatePerson`): it has no change detection. The SDK has no retry or 429 handling, and rejects with the
//   response body alone (its axios error interceptor drops status and headers, `x-ratelimit-reset` with them), so
//   the loop does what a user would: wait 2 s and try again, up to 5 attempts.
import { setTimeout as sleep } from 'node:timers/promises';
import { createPipedriveSync } from '@patchbay/pipedrive';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { Configuration, OrganizationsApi, PersonsApi } from 'pipedrive/v2';
import { type BenchOrganization, type BenchPerson, ID_FIELD_KEYS, ID_FIELD_NAME } from './records.ts';

/** Which client. */
export type ClientName = 'patchbay' | 'pipedrive-sdk';
/** Both, in the order every table shows them. */
export const CLIENTS: readonly ClientName[] = ['patchbay', 'pipedrive-sdk'];
/** How each is named in the tables. */
export const CLIENT_LABELS: Record<ClientName, string> = {
  patchbay: '@patchbay/pipedrive (createPipedriveSync)',
  'pipedrive-sdk': 'pipedrive (official SDK, per-record loop)',
};

/** What one sync of both entities reported, as the client tells it. */
export interface SyncOutcome {
  /** Records the client reported written (created or updated). */
  written: number;
  /** Records it reported unchanged, not sent (Patchbay only). */
  unchanged: number;
  /** Records it reported failed, or gave up on. */
  failed: number;
  /** Attempts the SDK's loop made again after a rejection (its 2-s waits). */
  retries: number;
  /** The first error seen, for the log. */
  firstError?: string;
}

/** A client that syncs the same records run after run, as one application would. */
export interface BenchClient {
  /** One run: organizations, then persons. */
  sync(organizations: readonly BenchOrganization[], persons: readonly BenchPerson[]): Promise<SyncOutcome>;
}

/** Where a client sends, and Patchbay's store. */
export interface SyncTarget {
  url: string;
  token: string;
  /** Patchbay's SQLite file: every run opens it anew, as a next process would. */
  sqlitePath: string;
}

/** The chosen client, aimed at `target`. */
export function createBenchClient(name: ClientName, target: SyncTarget): BenchClient {
  return name === 'patchbay' ? patchbayClient(target) : sdkClient(target);
}

function patchbayClient(target: SyncTarget): BenchClient {
  return {
    async sync(organizations, persons) {
      const store = createSqliteStore({ path: target.sqlitePath });
      const outcome: SyncOutcome = { written: 0, unchanged: 0, failed: 0, retries: 0 };
      try {
        const sync = createPipedriveSync({
          baseUrl: target.url,
          apiToken: target.token,
          store,
          rateLimit: { plan: 'ultimate' },
          personIdField: ID_FIELD_NAME,
          organizationIdField: ID_FIELD_NAME,
        });
        const setup = await sync.setup();
        if (!setup.success) outcome.firstError = `setup: ${setup.error.code}: ${setup.error.message}`;
        const runs = [
          await sync.upsertMany('organization', organizations),
          await sync.upsertMany('person', persons),
        ];
        for (const run of runs) {
          if (!run.success) {
            outcome.firstError ??= `${run.error.code}: ${run.error.message}`;
            continue;
          }
          outcome.written += run.data.created + run.data.updated;
          outcome.unchanged += run.data.unchanged;
          outcome.failed += run.data.failed;
          const failure = run.data.failures[0];
          if (failure) outcome.firstError ??= `${failure.error.code}: ${failure.error.message}`;
        }
      } finally {
        await store.close();
      }
      return outcome;
    },
  };
}

const ATTEMPTS = 5;
const RETRY_WAIT_MS = 2_000;

function sdkClient(target: SyncTarget): BenchClient {
  const config = new Configuration({ apiKey: target.token, basePath: `${target.url}/api/v2` });
  const organizationsApi = new OrganizationsApi(config);
  const personsApi = new PersonsApi(config);
  // The Pipedrive id of each record, by your id: the column a user's table would keep after the first run.
  const organizationIds = new Map<string, number>();
  const personIds = new Map<string, number>();
  return {
    async sync(organizations, persons) {
      const outcome: SyncOutcome = { written: 0, unchanged: 0, failed: 0, retries: 0 };
      const attempt = async (
        call: () => Promise<{ data?: { id?: number } }>,
      ): Promise<number | undefined> => {
        for (let tries = 1; ; tries++) {
          try {
            const response = await call();
            outcome.written++;
            return response.data?.id;
          } catch (error) {
            if (tries < ATTEMPTS) {
              outcome.retries++;
              await sleep(RETRY_WAIT_MS);
              continue;
            }
            outcome.failed++;
            outcome.firstError ??= describe(error);
            return undefined;
          }
        }
      };
      for (const org of organizations) {
        const body = {
          name: org.name,
          custom_fields: { [ID_FIELD_KEYS.organization]: org.externalId },
        };
        const known = organizationIds.get(org.externalId);
        const id = await attempt(() =>
          known === undefined
            ? organizationsApi.addOrganization({ AddOrganizationRequest: body })
            : organizationsApi.updateOrganization({ id: known, UpdateOrganizationRequest: body }),
        );
        if (id !== undefined) organizationIds.set(org.externalId, id);
      }
      for (const person of persons) {
        const orgId = organizationIds.get(person.organizationExternalId);
        const body = {
          name: person.name,
          emails: [{ value: person.email, primary: true, label: 'work' }],
          phones: [{ value: person.phone, primary: true, label: 'work' }],
          ...(orgId === undefined ? {} : { org_id: orgId }),
          custom_fields: { [ID_FIELD_KEYS.person]: person.externalId },
        };
        const known = personIds.get(person.externalId);
        const id = await attempt(() =>
          known === undefined
            ? personsApi.addPerson({ AddPersonRequest: body })
            : personsApi.updatePerson({ id: known, UpdatePersonRequest: body }),
        );
        if (id !== undefined) personIds.set(person.externalId, id);
      }
      return outcome;
    },
  };
}

// What the SDK rejects with: the response body (`{ success: false, error }`), or axios's error without one.
function describe(error: unknown): string {
  if (error instanceof Error) return error.message.slice(0, 200);
  const body = error as { error?: unknown } | null;
  return typeof body?.error === 'string' ? body.error : JSON.stringify(error).slice(0, 200);
}
