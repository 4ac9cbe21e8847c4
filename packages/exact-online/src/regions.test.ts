import { describe, expect, it } from 'vitest';
import {
  EXACT_REGIONS,
  exactAuthorizationUrl,
  exactBaseUrl,
  exactTokenUrl,
  isExactRegion,
} from './regions.ts';

describe('regions', () => {
  it('maps every region to its start.exactonline site', () => {
    expect(EXACT_REGIONS.map(exactBaseUrl)).toEqual([
      'https://start.exactonline.nl',
      'https://start.exactonline.be',
      'https://start.exactonline.de',
      'https://start.exactonline.co.uk',
      'https://start.exactonline.com',
      'https://start.exactonline.fr',
      'https://start.exactonline.es',
    ]);
    expect(exactTokenUrl('co.uk')).toBe('https://start.exactonline.co.uk/api/oauth2/token');
    expect(exactAuthorizationUrl('nl')).toBe('https://start.exactonline.nl/api/oauth2/auth');
  });

  it('knows a region from anything else', () => {
    expect(isExactRegion('de')).toBe(true);
    for (const value of ['NL', 'uk', 'nl.evil', '', null, 1, {}]) expect(isExactRegion(value)).toBe(false);
  });
});
