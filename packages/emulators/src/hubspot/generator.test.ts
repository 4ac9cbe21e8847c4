import { describe, expect, it } from 'vitest';
import { createHubSpotEmulator } from './emulator.ts';
import { generateHubSpotRecords } from './generator.ts';

describe('generateHubSpotRecords', () => {
  it('generates deterministic contacts with unique e-mails spread over company domains', () => {
    const contacts = generateHubSpotRecords({ type: 'contacts', count: 200, companyCount: 20 });
    expect(contacts).toHaveLength(200);
    expect(new Set(contacts.map((c) => c.email)).size).toBe(200);
    expect(contacts[21]!.email).toMatch(/@company1\.example$/);
    expect(generateHubSpotRecords({ type: 'contacts', count: 200, companyCount: 20 })).toEqual(contacts);
    expect(generateHubSpotRecords({ type: 'contacts', count: 5, seed: 2 })).not.toEqual(contacts.slice(0, 5));
  });

  it('generates every standard type, which the emulator accepts', () => {
    const hubspot = createHubSpotEmulator();
    for (const type of ['contacts', 'companies', 'deals', 'tickets'] as const) {
      const records = generateHubSpotRecords({ type, count: 10, startAt: 5 });
      expect(hubspot.seedRecords(type, records)).toHaveLength(10);
    }
    expect(generateHubSpotRecords({ type: 'companies', count: 1, startAt: 7 })[0]!.domain).toBe(
      'company7.example',
    );
    expect(() => generateHubSpotRecords({ type: 'deals', count: -1 })).toThrow(RangeError);
  });
});
