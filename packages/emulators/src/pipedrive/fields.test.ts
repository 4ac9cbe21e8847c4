import { describe, expect, it } from 'vitest';
import { createFieldRegistry, readV1FieldInput, V1_FIELD_TYPES, v1FieldView } from './fields.ts';

const hashes = () => {
  let n = 0;
  return () => (++n).toString(16).padStart(40, 'a');
};

describe('createFieldRegistry', () => {
  it('lists standard fields, then custom ones keyed by a 40-hex hash', () => {
    const fields = createFieldRegistry(hashes());
    const tier = fields.define('person', { name: 'Tier', type: 'enum', options: ['Gold', 'Silver'] });
    expect(tier.field_code).toMatch(/^[0-9a-f]{40}$/);
    expect(tier.options).toEqual([
      { id: 1, label: 'Gold' },
      { id: 2, label: 'Silver' },
    ]);
    const list = fields.list('person');
    expect(list[0]).toMatchObject({ field_code: 'name', is_custom_field: false, options: null });
    expect(list.at(-1)).toMatchObject({ field_name: 'Tier', field_type: 'enum', is_custom_field: true });
    expect(fields.list('organization').some((f) => f.is_custom_field)).toBe(false);
  });

  it('refuses a bad definition with a 400', () => {
    const fields = createFieldRegistry(hashes());
    expect(() => fields.define('person', { name: '', type: 'varchar' })).toThrow(/field_name/);
    expect(() => fields.define('person', { name: 'x', type: 'blob' as never })).toThrow(/field_type/);
    expect(() => fields.define('person', { name: 'x', type: 'set' })).toThrow(/options/);
    expect(() => fields.define('person', { name: 'x', type: 'int', key: 'short' })).toThrow(/40-character/);
  });

  it('checks values by type and refuses unknown keys', () => {
    const fields = createFieldRegistry(hashes());
    const ext = fields.define('person', { name: 'External id', type: 'varchar' });
    const score = fields.define('person', { name: 'Score', type: 'double' });
    const when = fields.define('person', { name: 'Since', type: 'date' });
    const tags = fields.define('person', { name: 'Tags', type: 'set', options: ['a', 'b'] });
    const ok = { [ext.field_code]: 'x-1', [score.field_code]: 1.5, [when.field_code]: '2026-01-02' };
    expect(fields.checkValues('person', { ...ok, [tags.field_code]: [tags.options![0]!.id] })).toEqual({
      ...ok,
      [tags.field_code]: [tags.options![0]!.id],
    });
    expect(fields.checkValues('person', { [ext.field_code]: null })).toEqual({ [ext.field_code]: null });
    expect(() => fields.checkValues('person', { [score.field_code]: '1.5' })).toThrow(/not a valid double/);
    expect(() => fields.checkValues('person', { [when.field_code]: '02/01/2026' })).toThrow(/date/);
    expect(() => fields.checkValues('person', { [tags.field_code]: [999] })).toThrow(/set/);
    expect(() => fields.checkValues('person', { ['f'.repeat(40)]: 1 })).toThrow(/unknown field key/);
    expect(() => fields.checkValues('person', [])).toThrow(/object/);
    expect(() => fields.checkValues('organization', { [ext.field_code]: 'x' })).toThrow(/unknown/);
  });

  it('gives custom fields v1 ids, and takes ranges as objects', () => {
    const fields = createFieldRegistry(hashes());
    const a = fields.define('person', { name: 'A', type: 'daterange' });
    const b = fields.define('organization', { name: 'B', type: 'timerange' });
    expect(fields.idOf('person', a.field_code)).toBeTypeOf('number');
    expect(fields.idOf('organization', b.field_code)).toBe(fields.idOf('person', a.field_code)! + 1);
    expect(fields.idOf('organization', a.field_code)).toBeUndefined();
    expect(fields.checkValues('person', { [a.field_code]: { start: '2026-01-01' } })).toBeTruthy();
    expect(() => fields.checkValues('person', { [a.field_code]: '2026-01-01' })).toThrow(/daterange/);
  });
});

describe('readV1FieldInput and v1FieldView', () => {
  it('reads a v1 create body', () => {
    expect(readV1FieldInput({ name: 'Tier', field_type: 'set', options: [{ label: 'a' }] })).toEqual({
      name: 'Tier',
      type: 'set',
      options: ['a'],
      addVisible: true,
    });
    expect(readV1FieldInput({ name: 'X', field_type: 'varchar', options: [{ label: 'a' }] })).toEqual({
      name: 'X',
      type: 'varchar',
      addVisible: true,
    });
    expect(V1_FIELD_TYPES).not.toContain('int');
  });

  it('refuses a bad body with a 400 naming the parameter', () => {
    const bad: [unknown, RegExp][] = [
      [undefined, /name/],
      [[], /name/],
      [{ name: '  ', field_type: 'varchar' }, /name/],
      [{ name: 'x'.repeat(256), field_type: 'varchar' }, /name/],
      [{ name: 'x', field_type: 'int' }, /field_type/],
      [{ name: 'x', field_type: 'visible_to' }, /field_type/],
      [{ name: 'x', field_type: 'enum', options: 'a,b' }, /options/],
      [{ name: 'x', field_type: 'enum', options: [{ label: 3 }] }, /options\[0\]\.label/],
      [{ name: 'x', field_type: 'enum', options: [null] }, /options\[0\]/],
      [{ name: 'x', field_type: 'varchar', add_visible_flag: 'yes' }, /add_visible_flag/],
    ];
    for (const [body, message] of bad) {
      expect(() => readV1FieldInput(body)).toThrow(message);
    }
  });

  it('answers a field as v1 does', () => {
    const fields = createFieldRegistry(hashes());
    const field = fields.define('deal', { name: 'Kind', type: 'enum', options: ['x'] });
    expect(
      v1FieldView(field, { id: 7, orderNr: 5, addTime: '2026-01-05 12:00:00', addVisible: false }),
    ).toMatchObject({
      id: 7,
      key: field.field_code,
      name: 'Kind',
      field_type: 'enum',
      order_nr: 5,
      add_time: '2026-01-05 12:00:00',
      add_visible_flag: false,
      active_flag: true,
      options: [{ id: 1, label: 'x' }],
    });
  });
});
