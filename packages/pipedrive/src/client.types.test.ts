// The caller's custom-field names type `custom` on reads and writes: no cast, no `any`.
import { describe, expectTypeOf, it } from 'vitest';
import { createPipedriveClient } from './client.ts';
import type { PipedriveCustomValue } from './records.ts';

describe('custom field names in types', () => {
  it('types custom by the names given, per record type', () => {
    const client = createPipedriveClient({
      companyDomain: 'acme',
      apiToken: 'token',
      customFields: { person: { externalId: 'External ID', tier: 'Tier' } },
    });
    type Person =
      Awaited<ReturnType<typeof client.persons.get>> extends infer R
        ? R extends { success: true; data: infer P }
          ? P
          : never
        : never;
    expectTypeOf<Person['custom']>().toEqualTypeOf<{
      externalId?: PipedriveCustomValue;
      tier?: PipedriveCustomValue;
    }>();
    expectTypeOf<Person['id']>().toEqualTypeOf<number>();
    expectTypeOf(client.persons.create).parameter(0).toHaveProperty('custom');
    // Never called (no request): only its type is checked.
    const _wrong = () =>
      // @ts-expect-error a name not given in customFields
      client.persons.create({ name: 'Ada', custom: { notGiven: 1 } });
    void _wrong;
    type Deal =
      Awaited<ReturnType<typeof client.deals.get>> extends infer R
        ? R extends { success: true; data: infer D }
          ? D
          : never
        : never;
    expectTypeOf<keyof Deal['custom']>().toEqualTypeOf<never>();
  });
});
