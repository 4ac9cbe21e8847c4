import { describe, expect, it } from 'vitest';
import { pageOf, parseListQuery } from './list-params.ts';
import type { PipedriveRecord } from './records.ts';

const q = (text: string) => parseListQuery(new URLSearchParams(text));
const rec = (id: number, update: string): PipedriveRecord => ({
  id,
  add_time: `2026-01-0${id}T00:00:00Z`,
  update_time: update,
  is_deleted: false,
  custom_fields: {},
});
const records = [
  rec(1, '2026-01-05T10:00:00Z'),
  rec(2, '2026-01-05T09:00:00Z'),
  rec(3, '2026-01-05T11:00:00Z'),
];

describe('parseListQuery', () => {
  it('defaults to 100 by id ascending', () => {
    expect(q('')).toEqual({ limit: 100, sortBy: 'id', direction: 'asc' });
  });
  it.each([
    ['limit=501', /limit/],
    ['limit=0', /limit/],
    ['sort_by=name', /sort_by/],
    ['sort_direction=up', /sort_direction/],
    ['updated_since=2026-01-05', /RFC 3339/],
    [`ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`, /100/],
    ['ids=a,b', /integers/],
    [`custom_fields=${Array.from({ length: 16 }, (_, i) => i).join(',')}`, /15/],
    ['cursor=nope', /cursor/],
  ])('refuses %s with a 400', (text, message) => {
    expect(() => q(text)).toThrow(message);
  });
});

describe('pageOf', () => {
  it('pages with a cursor until next_cursor is null', () => {
    const first = pageOf(records, q('limit=2'));
    expect(first.items.map((r) => r.id)).toEqual([1, 2]);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = pageOf(records, q(`limit=2&cursor=${first.nextCursor}`));
    expect(second).toEqual({ items: [records[2]], nextCursor: null });
  });
  it('keeps its place when a record is added between pages', () => {
    const first = pageOf(records, q('limit=1&sort_by=update_time'));
    expect(first.items[0]!.id).toBe(2);
    const later = [...records, rec(4, '2026-01-05T08:00:00Z')];
    expect(
      pageOf(later, q(`limit=5&sort_by=update_time&cursor=${first.nextCursor}`)).items.map((r) => r.id),
    ).toEqual([1, 3]);
  });
  it('filters by a linked id where the entity has that field', () => {
    const linked = [
      { ...rec(1, '2026-01-05T10:00:00Z'), org_id: 5 },
      { ...rec(2, '2026-01-05T10:00:00Z'), org_id: 6 },
    ];
    expect(pageOf(linked, q('org_id=5')).items.map((r) => r.id)).toEqual([1]);
    expect(pageOf(linked, q('deal_id=5')).items).toHaveLength(2);
    expect(() => q('owner_id=me')).toThrow(/owner_id/);
  });
  it('filters updated_since inclusive and updated_until exclusive, by ids, and sorts descending', () => {
    const since = pageOf(records, q('updated_since=2026-01-05T10:00:00Z&updated_until=2026-01-05T11:00:00Z'));
    expect(since.items.map((r) => r.id)).toEqual([1]);
    expect(pageOf(records, q('ids=3,1,99&sort_direction=desc')).items.map((r) => r.id)).toEqual([3, 1]);
  });
});
