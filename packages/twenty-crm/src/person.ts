import * as z from 'zod/mini';
import { baseRecordShape, emailsSchema, fullNameSchema, linksSchema } from './records-schema.ts';

const text = z.optional(z.nullable(z.string()));

/** A person record as Twenty returns it; custom fields stay on the object. */
export const personSchema = z.looseObject({
  ...baseRecordShape,
  name: z.optional(z.nullable(fullNameSchema)),
  emails: z.optional(z.nullable(emailsSchema)),
  phones: z.optional(z.nullable(z.looseObject({}))),
  linkedinLink: z.optional(z.nullable(linksSchema)),
  xLink: z.optional(z.nullable(linksSchema)),
  jobTitle: text,
  city: text,
  avatarUrl: text,
  companyId: text,
});

/** A person record from Twenty. */
export type Person = z.infer<typeof personSchema>;

/** What you may send to create or update a person: Twenty's writable fields plus custom fields. */
export const personInputSchema = z.looseObject({
  id: z.optional(z.string().check(z.minLength(1))),
  name: z.optional(z.object({ firstName: z.optional(z.string()), lastName: z.optional(z.string()) })),
  emails: z.optional(
    z.object({
      primaryEmail: z.optional(z.nullable(z.email())),
      additionalEmails: z.optional(z.nullable(z.array(z.email()))),
    }),
  ),
  jobTitle: z.optional(z.nullable(z.string())),
  city: z.optional(z.nullable(z.string())),
  avatarUrl: z.optional(z.nullable(z.string())),
  companyId: z.optional(z.nullable(z.string())),
});

/** Input for creating or updating a person. */
export type PersonInput = z.input<typeof personInputSchema>;
