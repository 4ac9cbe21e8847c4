import { describe, expect, it } from 'vitest';
import {
  hubspotContactPropertiesSchema,
  hubspotPropertiesInputSchema,
  hubspotPropertiesSchema,
  hubspotRecordSchema,
} from './records.ts';

describe('record schemas', () => {
  const contact = hubspotRecordSchema(hubspotContactPropertiesSchema);

  it('reads a contact as HubSpot answers it, custom properties included', () => {
    const parsed = contact.parse({
      id: '51',
      properties: { email: 'ada@example.com', firstname: 'Ada', hs_object_id: '51', my_custom: null },
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-02T10:00:00.000Z',
      archived: false,
      url: 'https://app.hubspot.com/contacts/1/record/0-1/51',
    });
    expect(parsed.properties.email).toBe('ada@example.com');
    expect(parsed.properties.my_custom).toBeNull();
  });

  it('refuses a record without an id or with a property that is not a string', () => {
    expect(contact.safeParse({ properties: {} }).success).toBe(false);
    expect(contact.safeParse({ id: '1', properties: { email: 5 } }).success).toBe(false);
    expect(hubspotRecordSchema(hubspotPropertiesSchema).safeParse({ id: 1, properties: {} }).success).toBe(
      false,
    );
  });

  it('accepts scalar property inputs and refuses others', () => {
    expect(
      hubspotPropertiesInputSchema.safeParse({ email: 'a@b.c', amount: 12.5, optin: true, x: null }).success,
    ).toBe(true);
    expect(hubspotPropertiesInputSchema.safeParse({ amount: Number.NaN }).success).toBe(false);
    expect(hubspotPropertiesInputSchema.safeParse({ nested: { a: 1 } }).success).toBe(false);
    expect(hubspotPropertiesInputSchema.safeParse({ '': 'x' }).success).toBe(false);
  });
});
