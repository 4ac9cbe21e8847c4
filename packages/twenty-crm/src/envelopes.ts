import * as z from 'zod/mini';

/** Twenty's cursor page info on list responses. */
export const pageInfoSchema = z.looseObject({
  hasNextPage: z.optional(z.boolean()),
  hasPreviousPage: z.optional(z.boolean()),
  startCursor: z.optional(z.nullable(z.string())),
  endCursor: z.optional(z.nullable(z.string())),
});

/** `{ data: { people: [...] }, totalCount, pageInfo }` */
export const listEnvelope = <T extends z.ZodMiniType>(plural: string, record: T) =>
  z.looseObject({
    data: z.looseObject({ [plural]: z.array(record) }),
    totalCount: z.optional(z.number()),
    pageInfo: z.optional(pageInfoSchema),
  });

/** `{ data: { <key>: record } }`: find one (`person`), create (`createPerson`), update (`updatePerson`). */
export const oneEnvelope = <T extends z.ZodMiniType>(key: string, record: T) =>
  z.looseObject({ data: z.looseObject({ [key]: record }) });

/**
 * Batch create: `{ data: { createPeople: [...] } }`; some server versions answer `{ data: { people: [...] } }`.
 * Either is accepted.
 */
export const batchEnvelope = <T extends z.ZodMiniType>(
  plural: string,
  pluralCapitalized: string,
  record: T,
) =>
  z.pipe(
    z.looseObject({
      data: z.union([
        z.looseObject({ [`create${pluralCapitalized}`]: z.array(record) }),
        z.looseObject({ [plural]: z.array(record) }),
      ]),
    }),
    z.transform((body) => {
      const data = body.data as Record<string, unknown>;
      return (data[`create${pluralCapitalized}`] ?? data[plural]) as z.output<T>[];
    }),
  );
