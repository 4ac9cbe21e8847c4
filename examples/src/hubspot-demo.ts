// HubSpot end to end against the local emulator, no account needed: the sync creates its unique property, upserts
// 50 companies and 1 000 contacts (each associated with its company) in batches of 100 at HubSpot's 100 requests
// per 10 s, re-runs unchanged without a request, then a search pages the contacts back. Run it with
// `npm run demo:hubspot` from the repository root.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubSpotEmulator } from '@patchbay/emulators';
import { createHubSpotClient, createHubSpotSync } from '@patchbay/hubspot';
import { createSqliteStore } from '@patchbay/store-sqlite';
import { runMain } from './run-main.ts';

/** What the demo measured, for its test. */
export interface HubSpotDemoResult {
  companies: number;
  contacts: number;
  associations: number;
  firstRunRequests: number;
  unchangedRunRequests: number;
  searched: number;
}

const COMPANIES = 50;
const CONTACTS = 1_000;

export async function runDemo(print: (line: string) => void = console.log): Promise<HubSpotDemoResult> {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-hubspot-demo-'));
  const hubspot = await startHubSpotEmulator({ port: 0 });
  const store = createSqliteStore({ path: join(dir, 'patchbay.db') });
  try {
    print(`HubSpot emulator at ${hubspot.url} (100 requests per 10 s, like a Free or Starter private app)`);
    const client = createHubSpotClient({ accessToken: hubspot.token, baseUrl: hubspot.url });
    const sync = createHubSpotSync({ client, store });
    const setup = await sync.setup();
    if (!setup.success) throw setup.error;

    const companies = Array.from({ length: COMPANIES }, (_, i) => ({
      externalId: `company-${i + 1}`,
      name: `Company ${i + 1}`,
      domain: `company-${i + 1}.example.com`,
    }));
    const contacts = Array.from({ length: CONTACTS }, (_, i) => ({
      email: `person-${i + 1}@example.com`,
      name: `Person ${i + 1}`,
      companyExternalId: `company-${(i % COMPANIES) + 1}`,
    }));

    const requests = () => hubspot.emulator.counters.snapshot().total;
    const before = requests();
    const started = Date.now();
    const companyReport = await sync.upsertMany('company', companies);
    if (!companyReport.success) throw companyReport.error;
    const contactReport = await sync.upsertMany('contact', contacts);
    if (!contactReport.success) throw contactReport.error;
    const firstRunRequests = requests() - before;
    const { created, failed, associationsCreated } = contactReport.data;
    print(
      `first run: ${companyReport.data.created} companies and ${created} contacts created, ` +
        `${associationsCreated} associations, ${failed} failed, in ${firstRunRequests} requests ` +
        `(${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );

    const again = requests();
    const unchanged = await sync.upsertMany('contact', contacts);
    if (!unchanged.success) throw unchanged.error;
    const unchangedRunRequests = requests() - again;
    print(
      `unchanged re-run: ${unchanged.data.unchanged} contacts unchanged, ${unchangedRunRequests} requests`,
    );

    // Search pages past HubSpot's 10 000-result cap by keyset on hs_object_id; here it reads one company's people.
    let searched = 0;
    for await (const page of client.search('contacts', {
      filterGroups: [
        { filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@example.com' }] },
      ],
      properties: ['email', 'firstname'],
      limit: 200,
    })) {
      if (!page.success) throw page.error;
      searched += page.data.results.length;
    }
    print(`search: ${searched} contacts read back in pages of 200`);

    return {
      companies: companyReport.data.created,
      contacts: created,
      associations: associationsCreated ?? 0,
      firstRunRequests,
      unchangedRunRequests,
      searched,
    };
  } finally {
    store.close();
    await hubspot.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await runMain(import.meta.url, runDemo);
