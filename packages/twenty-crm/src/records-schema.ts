import * as z from 'zod/mini';

// Twenty returns every field, null when empty, and custom fields at the top level: records are loose
// objects whose known fields are optional and nullable, so a workspace with extra or missing fields
// still parses.
const text = z.optional(z.nullable(z.string()));

/** Fields every Twenty record has. */
export const baseRecordShape = {
  id: z.string(),
  createdAt: text,
  updatedAt: text,
  deletedAt: text,
  position: z.optional(z.nullable(z.number())),
};

/** Twenty's LINKS composite field. */
export const linksSchema = z.looseObject({
  primaryLinkUrl: text,
  primaryLinkLabel: text,
  secondaryLinks: z.optional(z.nullable(z.array(z.unknown()))),
});

/** Twenty's EMAILS composite field. */
export const emailsSchema = z.looseObject({
  primaryEmail: text,
  additionalEmails: z.optional(z.nullable(z.array(z.string()))),
});

/** Twenty's FULL_NAME composite field. */
export const fullNameSchema = z.looseObject({ firstName: text, lastName: text });

/** Twenty's CURRENCY composite field (amounts in micros). */
export const currencySchema = z.looseObject({
  amountMicros: z.optional(z.nullable(z.union([z.number(), z.string()]))),
  currencyCode: text,
});
