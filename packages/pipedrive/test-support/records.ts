// The records the sync contract and its worker processes sync: the same ids and contents in every process, so a
// resumed worker sends exactly what the killed one was sending.
import { organizations, persons } from './sync-fixtures.ts';

/** The contract's records of a type: persons spread over `counts.organization` organizations. */
export function pipedriveRecords(type: string, count: number, counts: Record<string, number>): unknown[] {
  return type === 'organization' ? organizations(count) : persons(count, counts.organization ?? 0);
}
