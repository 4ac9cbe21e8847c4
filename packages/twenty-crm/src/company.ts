import * as z from 'zod/mini';
import { baseRecordShape, currencySchema, linksSchema } from './records-schema.ts';

/** A company record as Twenty returns it; custom fields stay on the object. */
export const companySchema = z.looseObject({
  ...baseRecordShape,
  name: z.optional(z.nullable(z.string())),
  domainName: z.optional(z.nullable(linksSchema)),
  employees: z.optional(z.nullable(z.number())),
  linkedinLink: z.optional(z.nullable(linksSchema)),
  xLink: z.optional(z.nullable(linksSchema)),
  annualRecurringRevenue: z.optional(z.nullable(currencySchema)),
  address: z.optional(z.nullable(z.looseObject({}))),
  idealCustomerProfile: z.optional(z.nullable(z.boolean())),
  accountOwnerId: z.optional(z.nullable(z.string())),
});

/** A company record from Twenty. */
export type Company = z.infer<typeof companySchema>;

/** What you may send to create or update a company: Twenty's writable fields plus custom fields. */
export const companyInputSchema = z.looseObject({
  id: z.optional(z.string().check(z.minLength(1))),
  name: z.optional(z.string()),
  domainName: z.optional(
    z.object({
      primaryLinkUrl: z.optional(z.nullable(z.string())),
      primaryLinkLabel: z.optional(z.nullable(z.string())),
    }),
  ),
  employees: z.optional(z.nullable(z.int().check(z.minimum(0)))),
  idealCustomerProfile: z.optional(z.nullable(z.boolean())),
  accountOwnerId: z.optional(z.nullable(z.string())),
});

/** Input for creating or updating a company. */
export type CompanyInput = z.input<typeof companyInputSchema>;
