// The HubSpot emulator in its own process (startHubSpotEmulator: a Free/Starter private app, 100 requests per
// 10 s, the 429 policy HubSpot answers), with `patchbay_external_id` a unique company property so both clients
// can upsert companies by it. Answers the parent over IPC with its counters and what it holds.
import { startHubSpotEmulator } from '@patchbay/emulators';
import { answerParent } from '../shared/emulator-child.ts';
import { COMPANY_ID_PROPERTY } from './records.ts';

/** What the emulator saw and holds. */
export interface EmulatorSummary {
  /** Every request since the last reset. */
  requests: number;
  /** Requests per route key (`POST /crm/v3/objects/contacts/batch/upsert`) and outcome (`'200'`, `'429'`…). */
  byRoute: Record<string, { total: number; byOutcome: Record<string, number> }>;
  contacts: { records: number; distinctKeys: number };
  companies: { records: number; distinctKeys: number };
  /** Each contact's email → the `patchbay_external_id` of every company it is associated with. */
  contactCompanies: Record<string, string[]>;
}

const running = await startHubSpotEmulator({
  seed: 17,
  uniqueProperties: { companies: [COMPANY_ID_PROPERTY] },
});
const { emulator } = running;

function summary(): EmulatorSummary {
  const snapshot = emulator.counters.snapshot();
  const contacts = emulator.listRecords('contacts');
  const companies = emulator.listRecords('companies');
  const companyKey = new Map(
    companies.map((company) => [company.id, company.properties[COMPANY_ID_PROPERTY]]),
  );
  const contactCompanies: Record<string, string[]> = {};
  for (const contact of contacts) {
    const email = contact.properties.email ?? `#${contact.id}`;
    contactCompanies[email] = emulator.associations
      .list('0-1', contact.id, '0-2')
      .map((to) => companyKey.get(to.toObjectId) ?? `#${to.toObjectId}`);
  }
  return {
    requests: snapshot.total,
    byRoute: snapshot.byRoute,
    contacts: {
      records: contacts.length,
      distinctKeys: new Set(contacts.map((contact) => contact.properties.email)).size,
    },
    companies: {
      records: companies.length,
      distinctKeys: new Set(companies.map((company) => company.properties[COMPANY_ID_PROPERTY])).size,
    },
    contactCompanies,
  };
}

// A reset empties records, associations, counters and limiter windows.
answerParent<'summary' | 'reset', EmulatorSummary>(running.url, running.close, (op) => {
  if (op === 'reset') emulator.reset();
  return summary();
});
