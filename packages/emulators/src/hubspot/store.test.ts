import { describe, expect, it } from 'vitest';
import { createHubSpotSchema } from './schema.ts';
import { createHubSpotStore } from './store.ts';

describe('createHubSpotStore', () => {
  const schema = createHubSpotSchema();
  const contacts = schema.resolve('contacts');
  const companies = schema.resolve('companies');

  it('hands out increasing numeric ids and stamps hs_object_id and the dates', () => {
    let now = Date.UTC(2026, 0, 1);
    const store = createHubSpotStore({ now: () => now, firstId: 7 });
    const a = store.create(contacts, { email: 'a@x.example' });
    now += 1000;
    const b = store.create(companies, { name: 'B' });
    expect([a.id, b.id]).toEqual(['7', '8']);
    expect(a.properties).toMatchObject({
      hs_object_id: '7',
      createdate: '2026-01-01T00:00:00.000Z',
      lastmodifieddate: '2026-01-01T00:00:00.000Z',
    });
    expect(b.properties.hs_lastmodifieddate).toBe('2026-01-01T00:00:01.000Z');
    now += 1000;
    store.update(contacts, a, { firstname: 'A', email: '' });
    expect(a.properties.email).toBeUndefined();
    expect(a.updatedAt).toBe(now);
  });

  it('finds by a property case-insensitively, following updates and archives', () => {
    const store = createHubSpotStore();
    const a = store.create(contacts, { email: 'a@x.example' });
    expect(store.findBy(contacts, 'email', 'A@X.example')?.id).toBe(a.id);
    store.update(contacts, a, { email: 'b@x.example' });
    expect(store.findBy(contacts, 'email', 'a@x.example')).toBeUndefined();
    expect(store.findBy(contacts, 'email', 'b@x.example')?.id).toBe(a.id);
    expect(store.archive(contacts, a.id)).toBe(true);
    expect(store.archive(contacts, a.id)).toBe(false);
    expect(store.findBy(contacts, 'email', 'b@x.example')).toBeUndefined();
    expect(store.get(contacts, a.id)).toBeUndefined();
    expect(store.get(contacts, a.id, { archived: true })?.archivedAt).toBeTypeOf('number');
    expect(store.list(contacts)).toEqual([]);
    expect(store.list(contacts, { archived: true })).toHaveLength(1);
  });

  it('counts live records per type and clears', () => {
    const store = createHubSpotStore();
    store.create(contacts, {});
    store.create(contacts, {});
    store.create(companies, {});
    expect(store.count(contacts)).toBe(2);
    store.clear();
    expect(store.count(contacts)).toBe(0);
    expect(store.create(contacts, {}).id).toBe('1001');
  });
});
