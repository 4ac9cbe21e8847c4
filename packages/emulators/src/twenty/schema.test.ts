import { describe, expect, it } from 'vitest';
import { TwentyError } from './errors.ts';
import { createSchema, readPath, stableUuid } from './schema.ts';

describe('createSchema', () => {
  it('serves people and companies by plural, singular and id', () => {
    const schema = createSchema();
    const people = schema.byPlural('people')!;
    expect(people.nameSingular).toBe('person');
    expect(schema.bySingular('company')?.namePlural).toBe('companies');
    expect(schema.byId(people.id.toUpperCase())).toBe(people);
    expect(schema.byPlural('person')).toBeUndefined();
  });

  it('declares the unique constraints of current Twenty: id, person e-mail, company domain', () => {
    const schema = createSchema();
    expect(schema.byPlural('people')!.uniqueGroups).toEqual([
      { field: 'id', paths: ['id'] },
      { field: 'emails', paths: ['emails.primaryEmail'] },
    ]);
    expect(schema.byPlural('companies')!.uniqueGroups).toEqual([
      { field: 'id', paths: ['id'] },
      { field: 'domainName', paths: ['domainName.primaryLinkUrl'] },
    ]);
  });

  it('maps join columns to their relation', () => {
    const people = createSchema().byPlural('people')!;
    expect(people.joinColumns.get('companyId')?.name).toBe('company');
  });

  it('adds a custom unique field, with its own unique group', () => {
    const schema = createSchema();
    const people = schema.byPlural('people')!;
    const field = schema.addField(
      people.id,
      { name: 'externalId', label: 'External', type: 'TEXT', isUnique: true },
      'now',
    );
    expect(field).toMatchObject({ name: 'externalId', isCustom: true, isUnique: true, isNullable: true });
    expect(people.fieldsByName.get('externalId')).toBe(field);
    expect(people.uniqueGroups).toContainEqual({ field: 'externalId', paths: ['externalId'] });
    expect(schema.fieldById(field.id)?.field).toBe(field);
  });

  it('refuses a taken, reserved or malformed name and an unknown object', () => {
    const schema = createSchema();
    const people = schema.byPlural('people')!;
    const add =
      (name: string, objectId = people.id) =>
      () =>
        schema.addField(objectId, { name, label: name, type: 'TEXT' }, 'now');
    expect(add('city')).toThrow(
      'Name "city" is not available, check that it is not duplicating another field\'s name.',
    );
    expect(add('companyId')).toThrow(/is not available/);
    expect(add('Bad Name')).toThrow(TwentyError);
    expect(add('ok', stableUuid('nope'))).toThrow(/Object metadata does not exist/);
  });

  it('removes custom fields only', () => {
    const schema = createSchema();
    const people = schema.byPlural('people')!;
    const field = schema.addField(people.id, { name: 'tmp', label: 'Tmp', type: 'TEXT' }, 'now');
    expect(schema.removeField(people.fieldsByName.get('city')!.id)).toBeUndefined();
    expect(schema.removeField(field.id)?.field).toBe(field);
    expect(people.fieldsByName.has('tmp')).toBe(false);
  });
});

describe('stableUuid', () => {
  it('derives the same v4-shaped UUID from the same name', () => {
    expect(stableUuid('a')).toBe(stableUuid('a'));
    expect(stableUuid('a')).not.toBe(stableUuid('b'));
    expect(stableUuid('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('readPath', () => {
  it('reads top-level and composite paths', () => {
    const record = { city: 'Paris', emails: { primaryEmail: 'a@b.c' }, name: null };
    expect(readPath(record, 'city')).toBe('Paris');
    expect(readPath(record, 'emails.primaryEmail')).toBe('a@b.c');
    expect(readPath(record, 'name.firstName')).toBeUndefined();
  });
});
