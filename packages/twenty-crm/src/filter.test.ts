import { cyclic, hostileValues, throwingProxy, withThrowingGetter } from '@patchbay/core/testing';
import { describe, expect, it } from 'vitest';
import { serializeFilter } from './filter.ts';

describe('serializeFilter', () => {
  it('writes one condition, nested fields and quoted strings', () => {
    expect(serializeFilter({ 'emails.primaryEmail': { eq: 'ada@example.com' } })).toBe(
      'emails.primaryEmail[eq]:"ada@example.com"',
    );
    expect(serializeFilter({ employees: { gte: 10 } })).toBe('employees[gte]:10');
    expect(serializeFilter({ idealCustomerProfile: { eq: true } })).toBe('idealCustomerProfile[eq]:true');
  });

  it('ANDs several conditions and several fields', () => {
    expect(serializeFilter({ employees: { gte: 10, lt: 50 }, city: { eq: 'Paris' } })).toBe(
      'and(employees[gte]:10,employees[lt]:50,city[eq]:"Paris")',
    );
  });

  it('writes in-lists, IS NULL and groups', () => {
    expect(serializeFilter({ externalId: { in: ['a', 'b'] } })).toBe('externalId[in]:["a","b"]');
    expect(serializeFilter({ companyId: { is: 'NULL' } })).toBe('companyId[is]:NULL');
    expect(
      serializeFilter({ or: [{ city: { eq: 'Paris' } }, { not: { jobTitle: { ilike: '%cto%' } } }] }),
    ).toBe('or(city[eq]:"Paris",not(jobTitle[ilike]:"%cto%"))');
  });

  it('uses single quotes for a value with a double quote', () => {
    expect(serializeFilter({ name: { eq: 'The "Best" Co' } })).toBe(`name[eq]:'The "Best" Co'`);
  });

  it('passes a raw string through', () => {
    expect(serializeFilter('id[eq]:"x"')).toBe('id[eq]:"x"');
  });

  it.each([
    [{ externalId: { in: ['a,b'] } }, 'filter.externalId'],
    [{ externalId: { in: [] } }, 'filter.externalId'],
    [{ name: { eq: 'a (b)' } }, 'filter.name'],
    [{ name: { eq: `it's "x"` } }, 'filter.name'],
    [{ companyId: { is: 'nothing' as 'NULL' } }, 'filter.companyId'],
    [{ 'bad field': { eq: 'x' } }, 'filter.bad field'],
    [{ and: [] }, 'filter.and'],
    [{}, 'filter.filter'],
  ])('refuses what Twenty would misread: %o', (filter, field) => {
    expect(() => serializeFilter(filter)).toThrowError(
      expect.objectContaining({ code: 'VALIDATION_ERROR', field }),
    );
  });
});

describe('serializeFilter with values no typed caller would pass', () => {
  const thrownBy = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it.each(hostileValues().filter(([label]) => label !== 'an empty string'))(
    'throws only a VALIDATION_ERROR naming the filter for %s',
    (_, value) => {
      const thrown = thrownBy(() => serializeFilter(value as never));
      expect(thrown).toMatchObject({ name: 'IntegrationError', code: 'VALIDATION_ERROR' });
      expect((thrown as { field?: string }).field).toMatch(/^filter/);
    },
  );

  it.each([
    ['a throwing condition getter', withThrowingGetter({}, 'city'), 'filter.city'],
    ['a throwing Proxy condition', { city: throwingProxy() }, 'filter.city.toJSON'],
    ['a cyclic group', { and: [cyclic()] }, 'filter.and.0.self'],
    ['a BigInt value', { employees: { gte: 10n } }, 'filter.employees.gte'],
    ['a condition that is not an object', { city: 'Paris' }, 'filter.city'],
    ['a group member that is not an object', { or: [1] }, 'filter'],
  ])('names %s', (_, value, field) => {
    expect(thrownBy(() => serializeFilter(value as never))).toMatchObject({
      code: 'VALIDATION_ERROR',
      field,
    });
  });

  it('reads a Date as its ISO string', () => {
    expect(serializeFilter({ createdAt: { gte: new Date('2026-01-01T00:00:00Z') as never } })).toBe(
      'createdAt[gte]:"2026-01-01T00:00:00.000Z"',
    );
  });
});
