import { describe, expect, it } from 'vitest';
import { generateExactRecords } from './generator.ts';

describe('generateExactRecords', () => {
  it('makes deterministic accounts and contacts spread over accounts', () => {
    const accounts = generateExactRecords({ entity: 'account', count: 3, startAt: 10 });
    expect(accounts.map((a) => [a.Code, a.Name])).toEqual([
      ['11', 'Bedrijf 10'],
      ['12', 'Bedrijf 11'],
      ['13', 'Bedrijf 12'],
    ]);
    expect(generateExactRecords({ entity: 'account', count: 3, startAt: 10 })).toEqual(accounts);
    const contacts = generateExactRecords({ entity: 'contact', count: 4, accountIds: ['a', 'b'] });
    expect(contacts.map((c) => c.Account)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('refuses bad counts and contacts without accounts', () => {
    expect(() => generateExactRecords({ entity: 'account', count: -1 })).toThrow(RangeError);
    expect(() => generateExactRecords({ entity: 'contact', count: 1 })).toThrow(/accountIds/);
  });
});
