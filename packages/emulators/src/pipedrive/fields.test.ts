import { describe, expect, it } from 'vitest';
import { createFieldRegistry } from './fields.ts';

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
});
