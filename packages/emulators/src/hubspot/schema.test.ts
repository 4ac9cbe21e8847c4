import { describe, expect, it } from 'vitest';
import { HubSpotError } from './errors.ts';
import { createHubSpotSchema } from './schema.ts';

describe('createHubSpotSchema', () => {
  it('resolves standard types by plural, singular and type id', () => {
    const schema = createHubSpotSchema();
    expect(schema.resolve('contacts').objectTypeId).toBe('0-1');
    expect(schema.resolve('Company').objectTypeId).toBe('0-2');
    expect(schema.resolve('0-3').name).toBe('deals');
    expect(schema.resolve('tickets').objectTypeId).toBe('0-5');
    expect(schema.types().map((t) => t.name)).toEqual(['contacts', 'companies', 'deals', 'tickets']);
  });

  it('makes e-mail unique for contacts, and a company domain not unique', () => {
    const schema = createHubSpotSchema();
    expect([...schema.resolve('contacts').uniqueProperties]).toEqual(['email']);
    expect(schema.resolve('companies').uniqueProperties.has('domain')).toBe(false);
    expect(schema.resolve('contacts').modifiedProperty).toBe('lastmodifieddate');
    expect(schema.resolve('companies').modifiedProperty).toBe('hs_lastmodifieddate');
  });

  it('refuses an unknown type with HubSpot words', () => {
    const error = (() => {
      try {
        createHubSpotSchema().resolve('widgets');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(HubSpotError);
    expect(error).toMatchObject({
      status: 400,
      category: 'VALIDATION_ERROR',
      message: 'Unable to infer object type from: widgets',
    });
  });

  it('defines custom objects and properties, refusing bad or duplicate ones', () => {
    const schema = createHubSpotSchema();
    const cars = schema.defineObjectType({
      objectTypeId: '2-12345',
      name: 'cars',
      properties: ['model'],
      uniqueProperties: ['vin'],
    });
    expect(schema.resolve('2-12345')).toBe(cars);
    expect(cars.properties.has('vin') && cars.uniqueProperties.has('vin')).toBe(true);
    expect(cars.defaultProperties).toContain('model');
    expect(() => schema.defineObjectType({ objectTypeId: '2-12345', name: 'other' })).toThrow(RangeError);
    expect(() => schema.defineObjectType({ objectTypeId: '0-9', name: 'x' })).toThrow(RangeError);
    expect(() => schema.defineObjectType({ objectTypeId: '2-9', name: 'bad name' })).toThrow(RangeError);
    schema.defineProperty('companies', 'external_id', { unique: true });
    expect(schema.resolve('companies').uniqueProperties.has('external_id')).toBe(true);
    expect(() => schema.defineProperty('companies', 'Bad-Name')).toThrow(RangeError);
  });
});
