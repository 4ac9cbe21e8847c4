// Record generator for benches and tests: N contacts, companies, deals or tickets with realistic, deterministic
// property values (a seeded PRNG). Contacts get unique e-mails (the upsert key) and a company name whose domain
// matches a generated company's, so a sync can associate them.

import { createRandom } from '../kit/random.ts';

/** Options of {@link generateHubSpotRecords}. */
export interface GenerateHubSpotRecordsOptions {
  type: 'contacts' | 'companies' | 'deals' | 'tickets';
  count: number;
  /** PRNG seed. Default 1. */
  seed?: number;
  /** Index of the first record (e-mails and domains are numbered from it). Default 0. */
  startAt?: number;
  /** Companies contacts are spread over (`company{n}.example`). Default `max(1, count / 10)`. */
  companyCount?: number;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Linus'];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Hamilton',
  'Torvalds',
];
const CITIES = ['Paris', 'Berlin', 'Lisbon', 'Boston', 'Dublin', 'Tokyo', 'Toronto', 'Madrid'];
const INDUSTRIES = [
  'COMPUTER_SOFTWARE',
  'RETAIL',
  'FINANCIAL_SERVICES',
  'HOSPITALITY',
  'EDUCATION_MANAGEMENT',
];
const STAGES = [
  'lead',
  'subscriber',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
];

/**
 * Generates the `properties` of `count` records of a type, ready for `batch/create` or `batch/upsert` inputs (or
 * `emulator.seedRecords`). Throws a RangeError for a count that is not a non-negative integer.
 * @example
 * const contacts = generateHubSpotRecords({ type: 'contacts', count: 10_000, companyCount: 1_000 });
 * emulator.seedRecords('contacts', contacts);
 */
export function generateHubSpotRecords(options: GenerateHubSpotRecordsOptions): Record<string, string>[] {
  const { type, count } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  const random = createRandom(options.seed ?? 1);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const start = options.startAt ?? 0;
  const companies = options.companyCount ?? Math.max(1, Math.floor(count / 10));
  return Array.from({ length: count }, (_, offset): Record<string, string> => {
    const n = start + offset;
    switch (type) {
      case 'contacts': {
        const first = pick(FIRST);
        const last = pick(LAST);
        const company = n % companies;
        return {
          email: `${first}.${last}.${n}@company${company}.example`.toLowerCase(),
          firstname: first,
          lastname: last,
          company: `Company ${company}`,
          phone: `+1555${String(n).padStart(7, '0')}`,
          city: pick(CITIES),
          lifecyclestage: pick(STAGES),
        };
      }
      case 'companies':
        return {
          name: `Company ${n}`,
          domain: `company${n}.example`,
          city: pick(CITIES),
          industry: pick(INDUSTRIES),
          numberofemployees: String(1 + Math.floor(random() * 5000)),
        };
      case 'deals':
        return {
          dealname: `Deal ${n}`,
          amount: String(Math.round(random() * 100_000) / 100),
          pipeline: 'default',
          dealstage: 'appointmentscheduled',
        };
      default:
        return {
          subject: `Ticket ${n}`,
          content: `Generated ticket ${n}`,
          hs_pipeline: '0',
          hs_pipeline_stage: '1',
          hs_ticket_priority: pick(['LOW', 'MEDIUM', 'HIGH']),
        };
    }
  });
}
