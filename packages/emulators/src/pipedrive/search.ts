// `GET /api/v2/persons/search`, minimal: `term` ("Minimum 2 characters (or 1 if using exact_match)"), `fields`
// (custom_fields, email, notes, phone, name; default all), `exact_match` ("only full exact matches … not case
// sensitive"), `limit` and `cursor` (pipedrive/client-nodejs `src/versions/v2/api/persons-api.ts`, `searchPersons`).
// Only custom fields of the types address, varchar, text, varchar_auto, double, monetary and phone are searched
// (same doc). Items are `{ result_score, item: { id, type: 'person', name, phones, emails, visible_to, owner,
// organization, custom_fields, notes } }` with contacts and custom values as bare strings, without their keys
// (`get-person-search-response-all-of-data-items-inner-item.ts`; wire notes: "check which field matched"). The
// scores here (1 for an exact match, 0.5 otherwise) are made up; notes are not searched.

import { badRequest } from './errors.ts';
import type { FieldRegistry } from './fields.ts';
import type { PipedriveRecord } from './records.ts';

const SEARCHABLE_TYPES = new Set([
  'address',
  'varchar',
  'text',
  'varchar_auto',
  'double',
  'monetary',
  'phone',
]);
const FIELDS = new Set(['custom_fields', 'email', 'notes', 'phone', 'name']);

/** The search answer's `data` and next cursor. */
export function searchPersons(
  persons: PipedriveRecord[],
  organizations: (id: number) => PipedriveRecord | undefined,
  fields: FieldRegistry,
  params: URLSearchParams,
): { data: { items: unknown[] }; nextCursor: string | null } {
  const term = params.get('term');
  const exact = params.get('exact_match') === 'true';
  if (term === null || term.length < (exact ? 1 : 2)) {
    throw badRequest('term must be at least 2 characters long (1 with exact_match)');
  }
  const wanted = params
    .get('fields')
    ?.split(',')
    .map((f) => f.trim()) ?? [...FIELDS];
  const unknown = wanted.find((field) => !FIELDS.has(field));
  if (unknown !== undefined) throw badRequest(`fields: unknown field ${unknown}`);
  const rawLimit = params.get('limit');
  const limit = rawLimit === null ? 100 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw badRequest('limit must be an integer from 1 to 500');
  const rawCursor = params.get('cursor');
  const offset = rawCursor === null ? 0 : Number(Buffer.from(rawCursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('cursor is not a valid cursor');

  const needle = term.toLowerCase();
  const matches = (value: unknown): 'exact' | 'partial' | undefined => {
    if (value === null || value === undefined) return undefined;
    const text = String(
      typeof value === 'object' ? ((value as { value?: unknown }).value ?? '') : value,
    ).toLowerCase();
    if (text === needle) return 'exact';
    return !exact && text.includes(needle) ? 'partial' : undefined;
  };
  const searchableKeys = [...fields.custom('person').values()]
    .filter((field) => SEARCHABLE_TYPES.has(field.field_type))
    .map((field) => field.field_code);
  const contacts = (record: PipedriveRecord, key: 'emails' | 'phones') =>
    ((record[key] as { value: string }[] | undefined) ?? []).map((item) => item.value);

  const hits: { score: number; record: PipedriveRecord }[] = [];
  for (const record of persons) {
    const candidates: unknown[] = [];
    if (wanted.includes('name')) candidates.push(record.name);
    if (wanted.includes('email')) candidates.push(...contacts(record, 'emails'));
    if (wanted.includes('phone')) candidates.push(...contacts(record, 'phones'));
    if (wanted.includes('custom_fields'))
      candidates.push(...searchableKeys.map((key) => record.custom_fields[key]));
    const verdicts = candidates.map(matches);
    if (verdicts.includes('exact')) hits.push({ score: 1, record });
    else if (verdicts.includes('partial')) hits.push({ score: 0.5, record });
  }
  hits.sort((a, b) => b.score - a.score || a.record.id - b.record.id);
  const page = hits.slice(offset, offset + limit);
  const items = page.map(({ score, record }) => {
    const orgId = record.org_id as number | null;
    const org = orgId === null ? undefined : organizations(orgId);
    return {
      result_score: score,
      item: {
        id: record.id,
        type: 'person',
        name: record.name,
        phones: contacts(record, 'phones'),
        emails: contacts(record, 'emails'),
        visible_to: record.visible_to,
        owner: { id: record.owner_id },
        organization: org ? { id: org.id, name: org.name, address: null } : null,
        custom_fields: searchableKeys
          .map((key) => record.custom_fields[key])
          .filter((value) => value !== null && value !== undefined)
          .map(String),
        notes: [],
      },
    };
  });
  const more = offset + limit < hits.length;
  return {
    data: { items },
    nextCursor: more ? Buffer.from(String(offset + limit), 'utf8').toString('base64url') : null,
  };
}
