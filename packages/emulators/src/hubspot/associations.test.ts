import { describe, expect, it } from 'vitest';
import { createHubSpotAssociations } from './associations.ts';

describe('createHubSpotAssociations', () => {
  it('knows the HubSpot-defined type ids and their inverses', () => {
    const associations = createHubSpotAssociations();
    expect(associations.defaultType('0-1', '0-2')).toEqual({
      category: 'HUBSPOT_DEFINED',
      typeId: 279,
      label: null,
    });
    expect(associations.defaultType('0-2', '0-1').typeId).toBe(280);
    expect(associations.defaultType('0-3', '0-1').typeId).toBe(3);
    expect(associations.defaultType('0-1', '0-3').typeId).toBe(4);
    expect(associations.defaultType('0-5', '0-2').typeId).toBe(339);
    expect(associations.findType('0-1', '0-2', 1)?.label).toBe('Primary');
    expect(associations.typeFrom('0-3', 341)).toMatchObject({ to: '0-2' });
    expect(associations.typeFrom('0-1', 999_999)).toBeUndefined();
  });

  it('keeps both directions, adds the unlabeled type under a label, and removes both ways', () => {
    const associations = createHubSpotAssociations();
    associations.associate('0-1', '10', '0-2', '20', [1]);
    expect(associations.list('0-1', '10', '0-2')).toEqual([
      {
        toObjectId: '20',
        associationTypes: [
          { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
          { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
        ],
      },
    ]);
    expect(associations.list('0-2', '20', '0-1')[0]?.associationTypes.map((t) => t.typeId)).toEqual([2, 280]);
    associations.remove('0-2', '20', '0-1', '10');
    expect(associations.list('0-1', '10', '0-2')).toEqual([]);
    expect(() => associations.associate('0-1', '10', '0-2', '20', [3])).toThrow(RangeError);
  });

  it('gives custom pairs a default type and user-defined labels, stable until clear', () => {
    const associations = createHubSpotAssociations();
    const type = associations.defaultType('0-1', '2-7');
    expect(associations.defaultType('0-1', '2-7')).toEqual(type);
    const label = associations.defineLabel('0-1', '0-2', 'Billing');
    expect(associations.defineLabel('0-1', '0-2', 'Billing')).toBe(label);
    expect(associations.findType('0-1', '0-2', label)).toEqual({
      category: 'USER_DEFINED',
      typeId: label,
      label: 'Billing',
    });
    associations.associate('0-1', '1', '0-2', '2', [label]);
    associations.clear();
    expect(associations.list('0-1', '1', '0-2')).toEqual([]);
    expect(associations.findType('0-1', '0-2', label)).toBeUndefined();
  });
});
