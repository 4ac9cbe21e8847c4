// The two ways of syncing the same records, behind one face so the bench drives them alike.
// - Patchbay: createHubSpotSync on a SQLite store, defaults (chunks of 100, 2 in flight, its limiter at 100 per
//   10 s fed by HubSpot's rate-limit headers, core's retry): companies, then contacts with their company.
// - @hubspot/api-client as its README suggests: `new Client({ accessToken, basePath, numberOfApiCallRetries: 3,
//   limiterOptions: DEFAULT_LIMITER_OPTIONS })` (Bottleneck: 9 requests per second, 6 at once; retries wait 10 s on
//   a TEN_SECONDLY_ROLLING 429), every chunk of 100 handed to `crm.{companies,contacts}.batchApi.upsert` at once
//   (the limiter spaces them), then each contact chunk's companies associated through
//   `crm.associations.v4.batchApi.createDefault`, as the sync does: the same work on both sides.
import { Client, DEFAULT_LIMITER_OPTIONS } from '@hubspot/api-client';
import { createHubSpotSync } from '@patchbay/hubspot';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { type BenchCompany, type BenchContact, COMPANY_ID_PROPERTY } from './records.ts';

/** Which client. */
export type ClientName = 'patchbay' | 'hubspot-api-client';
/** Both, in the order every table shows them. */
export const CLIENTS: readonly ClientName[] = ['patchbay', 'hubspot-api-client'];
/** How each is named in the tables. */
export const CLIENT_LABELS: Record<ClientName, string> = {
  patchbay: '@patchbay/hubspot (createHubSpotSync)',
  'hubspot-api-client': '@hubspot/api-client',
};

/** Where a sync sends, and Patchbay's store. */
export interface SyncTarget {
  url: string;
  token: string;
  /** Patchbay's SQLite file: the second run opens the same one, as a next process would. */
  sqlitePath: string;
}

/** What one sync of both types reported, as the client tells it. */
export interface SyncOutcome {
  /** Records the client reported written (created or updated). */
  written: number;
  /** Records it reported unchanged, not sent (Patchbay only). */
  unchanged: number;
  /** Records it reported failed, or lost with a chunk that threw. */
  failed: number;
  /** Contact → company associations it reported written. */
  associated: number;
  /** The first error seen, for the log. */
  firstError?: string;
}

const CHUNK = 100;

/** Syncs the records with the chosen client (one run: companies, then contacts). */
export function syncWith(
  name: ClientName,
  target: SyncTarget,
  companies: readonly BenchCompany[],
  contacts: readonly BenchContact[],
): Promise<SyncOutcome> {
  return name === 'patchbay'
    ? syncPatchbay(target, companies, contacts)
    : syncApiClient(target, companies, contacts);
}

async function syncPatchbay(
  target: SyncTarget,
  companies: readonly BenchCompany[],
  contacts: readonly BenchContact[],
): Promise<SyncOutcome> {
  const store = createSqliteStore({ path: target.sqlitePath });
  const sync = createHubSpotSync({ accessToken: target.token, baseUrl: target.url, store });
  const outcome: SyncOutcome = { written: 0, unchanged: 0, failed: 0, associated: 0 };
  try {
    const runs = [
      await sync.upsertMany(
        'company',
        companies.map((company) => ({
          externalId: company.externalId,
          name: company.name,
          domain: company.domain,
        })),
      ),
      await sync.upsertMany('contact', contacts),
    ];
    for (const run of runs) {
      if (!run.success) {
        outcome.firstError ??= `${run.error.code}: ${run.error.message}`;
        continue;
      }
      outcome.written += run.data.created + run.data.updated;
      outcome.unchanged += run.data.unchanged;
      outcome.failed += run.data.failed;
      outcome.associated += run.data.associationsCreated;
      const failure = run.data.failures[0];
      if (failure) outcome.firstError ??= `${failure.error.code}: ${failure.error.message}`;
    }
  } finally {
    await store.close();
  }
  return outcome;
}

const chunks = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

async function syncApiClient(
  target: SyncTarget,
  companies: readonly BenchCompany[],
  contacts: readonly BenchContact[],
): Promise<SyncOutcome> {
  const client = new Client({
    accessToken: target.token,
    basePath: target.url,
    numberOfApiCallRetries: 3,
    limiterOptions: DEFAULT_LIMITER_OPTIONS,
  });
  const outcome: SyncOutcome = { written: 0, unchanged: 0, failed: 0, associated: 0 };
  const fail = (count: number, error: unknown) => {
    outcome.failed += count;
    outcome.firstError ??= error instanceof Error ? error.message.slice(0, 200) : String(error);
  };
  const companyIds = new Map<string, string>();
  await Promise.all(
    chunks(companies).map(async (chunk) => {
      try {
        const response = await client.crm.companies.batchApi.upsert({
          inputs: chunk.map((company) => ({
            id: company.externalId,
            idProperty: COMPANY_ID_PROPERTY,
            properties: { name: company.name, domain: company.domain },
          })),
        });
        // A 207 resolves like a 200: its errors are for the caller to notice.
        const errors = 'errors' in response ? (response.errors ?? []) : [];
        if (errors.length > 0) fail(errors.length, new Error(errors[0]?.message));
        for (const record of response.results) {
          const key = record.properties[COMPANY_ID_PROPERTY];
          if (key) companyIds.set(key, record.id);
        }
        outcome.written += response.results.length;
      } catch (error) {
        fail(chunk.length, error);
      }
    }),
  );
  await Promise.all(
    chunks(contacts).map(async (chunk) => {
      try {
        const response = await client.crm.contacts.batchApi.upsert({
          inputs: chunk.map((contact) => ({
            id: contact.email,
            idProperty: 'email',
            properties: {
              email: contact.email,
              firstname: contact.firstName,
              lastname: contact.lastName,
              phone: contact.phone,
            },
          })),
        });
        const errors = 'errors' in response ? (response.errors ?? []) : [];
        if (errors.length > 0) fail(errors.length, new Error(errors[0]?.message));
        outcome.written += response.results.length;
        const companyOf = new Map(chunk.map((contact) => [contact.email, contact.companyExternalId]));
        const inputs = response.results.flatMap((record) => {
          const company = companyIds.get(companyOf.get(record.properties.email ?? '') ?? '');
          return company ? [{ _from: { id: record.id }, to: { id: company } }] : [];
        });
        if (inputs.length === 0) return;
        // The answer may list each pair both ways (the emulator does): the pairs sent are what was written.
        await client.crm.associations.v4.batchApi.createDefault('contacts', 'companies', { inputs });
        outcome.associated += inputs.length;
      } catch (error) {
        fail(chunk.length, error);
      }
    }),
  );
  return outcome;
}
