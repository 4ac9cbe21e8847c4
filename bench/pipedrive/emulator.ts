// The Pipedrive emulator in its own process (startPipedriveEmulator: an Ultimate company, 120 requests per 2 s for
// an API token, the daily token budget), with the "Patchbay external ID" varchar field defined on persons and
// organizations, as an account set up once would have it. Answers the parent over IPC with its counters, the
// tokens left today, and what it holds.
import { startPipedriveEmulator } from '@patchbay/emulators';
import type { RouteCounts } from '../shared/counters.ts';
import { answerParent } from '../shared/emulator-child.ts';
import { PLAN, SEATS } from './account.ts';
import { ID_FIELD_KEYS, ID_FIELD_NAME } from './records.ts';

/** What the emulator saw and holds. */
export interface EmulatorSummary {
  /** Requests per route key (`PATCH /api/v2/persons/:id`) and answer, since the last reset. */
  byRoute: RouteCounts;
  /** Tokens left of today's budget. */
  dailyTokensRemaining: number;
  persons: { records: number; distinctKeys: number };
  organizations: { records: number; distinctKeys: number };
  /** Each person's external id → its organization's external id (`null`: none, `#<id>`: one without an id). */
  personOrganization: Record<string, string | null>;
}

const running = await startPipedriveEmulator({
  seed: 18,
  plan: PLAN.name,
  seats: SEATS,
  customFields: {
    person: [{ name: ID_FIELD_NAME, type: 'varchar', key: ID_FIELD_KEYS.person }],
    organization: [{ name: ID_FIELD_NAME, type: 'varchar', key: ID_FIELD_KEYS.organization }],
  },
});
const { emulator } = running;

function summary(): EmulatorSummary {
  const persons = emulator.list('person');
  const organizations = emulator.list('organization');
  const orgKey = new Map(
    organizations.map((org) => [org.id, org.custom_fields[ID_FIELD_KEYS.organization] as string | undefined]),
  );
  const personOrganization: Record<string, string | null> = {};
  for (const person of persons) {
    const key = (person.custom_fields[ID_FIELD_KEYS.person] as string | undefined) ?? `#${person.id}`;
    const orgId = typeof person.org_id === 'number' ? person.org_id : null;
    personOrganization[key] = orgId === null ? null : (orgKey.get(orgId) ?? `#${orgId}`);
  }
  const distinct = (records: typeof persons, key: string) =>
    new Set(records.map((record) => record.custom_fields[key]).filter((value) => value !== undefined)).size;
  return {
    byRoute: emulator.counters.snapshot().byRoute,
    dailyTokensRemaining: emulator.dailyTokensRemaining(),
    persons: { records: persons.length, distinctKeys: distinct(persons, ID_FIELD_KEYS.person) },
    organizations: {
      records: organizations.length,
      distinctKeys: distinct(organizations, ID_FIELD_KEYS.organization),
    },
    personOrganization,
  };
}

// A reset empties records, counters, limiter windows and the day's budget; the field definitions stay.
answerParent<'summary' | 'reset', EmulatorSummary>(running.url, running.close, (op) => {
  if (op === 'reset') emulator.reset();
  return summary();
});
