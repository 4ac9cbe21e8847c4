// Record generator for benches and tests: N persons or organizations as v2 create bodies, with deterministic values
// (a seeded PRNG). Persons get unique e-mails and, when asked, an external id in a custom field (the key the sync
// matches on), spread over `organizationCount` organizations (`org_id` 1..n, the ids a fresh emulator hands out).

import { createRandom } from '../kit/random.ts';

/** Options of {@link generatePipedriveRecords}. */
export interface GeneratePipedriveRecordsOptions {
  entity: 'person' | 'organization';
  count: number;
  /** PRNG seed. Default 1. */
  seed?: number;
  /** Index of the first record (e-mails, names and external ids are numbered from it). Default 0. */
  startAt?: number;
  /** The 40-hex key of an external-id custom field to fill with `ext-{n}`. */
  externalIdKey?: string;
  /** Organizations persons are linked to (`org_id` 1..n); 0 for none. Default 0. */
  organizationCount?: number;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Linus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton'];
const CITIES = ['Tallinn', 'Berlin', 'Lisbon', 'Boston', 'Dublin', 'Tokyo', 'Toronto', 'Madrid'];

/**
 * Generates `count` v2 create bodies, ready for `POST /api/v2/persons` (or `emulator.seed`). Throws a RangeError for a
 * count that is not a non-negative integer.
 * @example
 * const persons = generatePipedriveRecords({ entity: 'person', count: 10_000, organizationCount: 1_000 });
 * emulator.seed('person', persons);
 */
export function generatePipedriveRecords(
  options: GeneratePipedriveRecordsOptions,
): Record<string, unknown>[] {
  const { entity, count } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  const random = createRandom(options.seed ?? 1);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const start = options.startAt ?? 0;
  const organizations = options.organizationCount ?? 0;
  return Array.from({ length: count }, (_, offset) => {
    const n = start + offset;
    const custom = options.externalIdKey ? { custom_fields: { [options.externalIdKey]: `ext-${n}` } } : {};
    if (entity === 'organization') {
      return { name: `Company ${n}`, address: { value: `${n} Main Street, ${pick(CITIES)}` }, ...custom };
    }
    const first = pick(FIRST);
    const last = pick(LAST);
    return {
      name: `${first} ${last}`,
      emails: [{ value: `${first}.${last}.${n}@example.com`.toLowerCase(), primary: true, label: 'work' }],
      phones: [{ value: `+372555${String(n).padStart(6, '0')}`, primary: true, label: 'mobile' }],
      ...(organizations > 0 ? { org_id: 1 + (n % organizations) } : {}),
      ...custom,
    };
  });
}
