import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { batchEnvelope, listEnvelope, oneEnvelope } from './envelopes.ts';

const record = z.looseObject({ id: z.string() });

describe('Twenty envelopes', () => {
  it('parses a list page', () => {
    const body = {
      data: { people: [{ id: 'a' }] },
      totalCount: 1,
      pageInfo: { hasNextPage: false, endCursor: 'c' },
    };
    expect(listEnvelope('people', record).parse(body)).toEqual(body);
  });

  it('parses one record under its key', () => {
    expect(
      oneEnvelope('createPerson', record).parse({ data: { createPerson: { id: 'a' } } }).data.createPerson,
    ).toEqual({
      id: 'a',
    });
    expect(oneEnvelope('person', record).safeParse({ data: { people: [] } }).success).toBe(false);
  });

  it('accepts both batch shapes', () => {
    const envelope = batchEnvelope('people', 'People', record);
    expect(envelope.parse({ data: { createPeople: [{ id: 'a' }] } })).toEqual([{ id: 'a' }]);
    expect(envelope.parse({ data: { people: [{ id: 'b' }] } })).toEqual([{ id: 'b' }]);
    expect(envelope.safeParse({ data: { createPeople: [{ nope: 1 }] } }).success).toBe(false);
  });
});
