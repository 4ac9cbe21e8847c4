import { describe, expect, it } from 'vitest';
import { createFieldRegistry } from './fields.ts';
import { applyValues, type PipedriveRecord } from './records.ts';
import { searchPersons } from './search.ts';

const fields = createFieldRegistry(() => 'c'.repeat(40));
const ext = fields.define('person', { name: 'External id', type: 'varchar' }).field_code;
const stamp = (id: number) => ({ id, now: '2026-01-05T12:00:00Z', customKeys: [ext] });
const person = (id: number, values: Record<string, unknown>, externalId: string | null = null) => {
  const record = applyValues('person', undefined, values, stamp(id));
  record.custom_fields[ext] = externalId;
  return record;
};
const org = applyValues('organization', undefined, { name: 'Acme' }, stamp(1));
const persons = [
  person(1, { name: 'Ada Lovelace', emails: [{ value: 'ada@acme.example' }], org_id: 1 }, 'ext-1'),
  person(2, { name: 'Adam Smith', phones: [{ value: '+1555' }] }),
  person(3, { name: 'Grace' }, 'ada'),
];
interface Hit {
  result_score: number;
  item: Record<string, unknown> & { id: number };
}
const run = (query: string) =>
  searchPersons(
    persons,
    (id) => (id === 1 ? (org as PipedriveRecord) : undefined),
    fields,
    new URLSearchParams(query),
  );

describe('searchPersons', () => {
  it('finds by name, e-mail and custom field, exact matches first, values without keys', () => {
    const { data, nextCursor } = run('term=ada');
    expect(data.items.map((i) => [(i as Hit).item.id, (i as Hit).result_score])).toEqual([
      [3, 1],
      [1, 0.5],
      [2, 0.5],
    ]);
    expect(nextCursor).toBeNull();
    expect((data.items[1] as Hit).item).toMatchObject({
      type: 'person',
      emails: ['ada@acme.example'],
      organization: { id: 1, name: 'Acme' },
      custom_fields: ['ext-1'],
    });
  });
  it('matches whole values only with exact_match, in the fields asked', () => {
    expect(run('term=EXT-1&exact_match=true&fields=custom_fields').data.items).toHaveLength(1);
    expect(run('term=ada&fields=email').data.items).toHaveLength(1);
    expect(run('term=ad&exact_match=true').data.items).toHaveLength(0);
  });
  it('pages with a cursor', () => {
    const first = run('term=ada&limit=2');
    expect(first.nextCursor).not.toBeNull();
    expect(run(`term=ada&limit=2&cursor=${first.nextCursor}`).data.items).toHaveLength(1);
  });
  it.each([
    ['term=a', /2 characters/],
    ['', /term/],
    ['term=ada&fields=city', /unknown field/],
    ['term=ada&limit=900', /limit/],
  ])('refuses %s with a 400', (query, message) => {
    expect(() => run(query)).toThrow(message);
  });
});
