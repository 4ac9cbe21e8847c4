import { describe, expect, it } from 'vitest';
import { checkProperties } from './properties.ts';
import { createHubSpotSchema } from './schema.ts';

const schema = createHubSpotSchema();
const contacts = schema.resolve('contacts');

describe('checkProperties', () => {
  it('accepts strings, numbers, booleans and null (clearing), lowercasing a contact e-mail', () => {
    const checked = checkProperties(
      contacts,
      { email: ' Ada@Example.COM ', firstname: 7, website: true, lastname: null },
      1,
    );
    expect(checked).toEqual({
      ok: true,
      properties: { email: 'ada@example.com', firstname: '7', website: 'true', lastname: '' },
    });
    expect(checkProperties(contacts, undefined, 1)).toEqual({ ok: true, properties: {} });
  });

  it('lists every bad property in HubSpot message format', () => {
    const checked = checkProperties(contacts, { nope: 'x', email: 'no', firstname: { a: 1 } }, 42);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.error.status).toBe(400);
    expect(checked.error.category).toBe('VALIDATION_ERROR');
    const json = JSON.parse(checked.error.message.replace(/^Property values were not valid: /, ''));
    expect(json).toEqual([
      expect.objectContaining({
        isValid: false,
        error: 'PROPERTY_DOESNT_EXIST',
        name: 'nope',
        message: 'Property "nope" does not exist',
        portalId: 42,
      }),
      expect.objectContaining({
        error: 'INVALID_EMAIL',
        name: 'email',
        message: 'Email address no is invalid',
      }),
      expect.objectContaining({ error: 'INVALID_VALUE', name: 'firstname' }),
    ]);
  });

  it('refuses properties that are not an object', () => {
    for (const value of [[], 'x', 1, null]) expect(checkProperties(contacts, value, 1).ok).toBe(false);
  });
});
