import { describe, expect, it } from 'vitest';
import { createPipedriveEmulator } from './emulator.ts';
import { generatePipedriveRecords } from './generator.ts';

describe('generatePipedriveRecords', () => {
  it('makes deterministic, valid person and organization bodies', () => {
    const key = 'f'.repeat(40);
    const persons = generatePipedriveRecords({
      entity: 'person',
      count: 50,
      organizationCount: 5,
      externalIdKey: key,
    });
    expect(
      generatePipedriveRecords({ entity: 'person', count: 50, organizationCount: 5, externalIdKey: key }),
    ).toEqual(persons);
    expect(new Set(persons.map((p) => (p.emails as { value: string }[])[0]!.value)).size).toBe(50);
    expect(persons[7]).toMatchObject({ org_id: 3, custom_fields: { [key]: 'ext-7' } });
    const emulator = createPipedriveEmulator({
      rateLimit: false,
      customFields: { person: [{ name: 'Ext', type: 'varchar', key }] },
    });
    emulator.seed('organization', generatePipedriveRecords({ entity: 'organization', count: 5 }));
    expect(emulator.seed('person', persons)).toHaveLength(50);
  });
  it('refuses a bad count', () => {
    expect(() => generatePipedriveRecords({ entity: 'person', count: -1 })).toThrow(RangeError);
  });
});
