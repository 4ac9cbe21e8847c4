import { expect, it } from 'vitest';
import { fillTemplate, unknownPlaceholders } from './report-template.ts';

const now = new Date('2026-03-31T09:05:07.000Z');

it('fills every placeholder in UTC', () => {
  expect(
    fillTemplate('{id}_{date}T{time}_{from}_{to}.{ext}', {
      id: 'weekly',
      now,
      range: { from: '2026-03-24T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z' },
      ext: 'csv',
    }),
  ).toBe('weekly_2026-03-31T090507_2026-03-24_2026-03-31.csv');
  expect(fillTemplate('{from}-{to}', { id: 'x', now, range: undefined, ext: 'csv' })).toBe('-');
});

it('names unknown placeholders', () => {
  expect(unknownPlaceholders('{id}-{dat}-{}.{ext}')).toEqual(['dat', '']);
  expect(unknownPlaceholders('plain.csv')).toEqual([]);
});
