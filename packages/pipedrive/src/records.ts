import * as z from 'zod/mini';

// API v2 record shapes, read from pipedrive/client-nodejs `src/versions/v2/models/*-item.ts` (PersonItem,
// OrganizationItem, DealItem, ActivityItem). Read loosely: Pipedrive adds fields, and nullable ones arrive as
// null; only `id` is required, as every call keys on it.
const id = z.int();
const time = z.optional(z.nullable(z.string()));
const ref = z.optional(z.nullable(z.int()));
const contact = z.looseObject({
  value: z.string(),
  primary: z.optional(z.nullable(z.boolean())),
  label: z.optional(z.nullable(z.string())),
});
/** The raw `custom_fields` of a v2 record: values keyed by the field's 40-character hash. */
export const customFieldsSchema = z.optional(z.nullable(z.record(z.string(), z.unknown())));

/** A person as API v2 answers it. */
export const pipedrivePersonSchema = z.looseObject({
  id,
  name: z.optional(z.nullable(z.string())),
  first_name: z.optional(z.nullable(z.string())),
  last_name: z.optional(z.nullable(z.string())),
  owner_id: ref,
  org_id: ref,
  emails: z.optional(z.nullable(z.array(contact))),
  phones: z.optional(z.nullable(z.array(contact))),
  label_ids: z.optional(z.nullable(z.array(z.int()))),
  visible_to: z.optional(z.nullable(z.int())),
  is_deleted: z.optional(z.nullable(z.boolean())),
  add_time: time,
  update_time: time,
  custom_fields: customFieldsSchema,
});

/** An organization as API v2 answers it. */
export const pipedriveOrganizationSchema = z.looseObject({
  id,
  name: z.optional(z.nullable(z.string())),
  owner_id: ref,
  label_ids: z.optional(z.nullable(z.array(z.int()))),
  visible_to: z.optional(z.nullable(z.int())),
  address: z.optional(z.nullable(z.looseObject({ value: z.optional(z.nullable(z.string())) }))),
  is_deleted: z.optional(z.nullable(z.boolean())),
  add_time: time,
  update_time: time,
  custom_fields: customFieldsSchema,
});

/** A deal as API v2 answers it. */
export const pipedriveDealSchema = z.looseObject({
  id,
  title: z.optional(z.nullable(z.string())),
  owner_id: ref,
  person_id: ref,
  org_id: ref,
  pipeline_id: ref,
  stage_id: ref,
  value: z.optional(z.nullable(z.number())),
  currency: z.optional(z.nullable(z.string())),
  status: z.optional(z.nullable(z.string())),
  probability: z.optional(z.nullable(z.number())),
  expected_close_date: time,
  is_deleted: z.optional(z.nullable(z.boolean())),
  add_time: time,
  update_time: time,
  custom_fields: customFieldsSchema,
});

/** An activity as API v2 answers it. */
export const pipedriveActivitySchema = z.looseObject({
  id,
  subject: z.optional(z.nullable(z.string())),
  type: z.optional(z.nullable(z.string())),
  owner_id: ref,
  deal_id: ref,
  person_id: ref,
  org_id: ref,
  lead_id: z.optional(z.nullable(z.string())),
  due_date: time,
  due_time: time,
  duration: time,
  done: z.optional(z.nullable(z.boolean())),
  note: time,
  is_deleted: z.optional(z.nullable(z.boolean())),
  add_time: time,
  update_time: time,
});

/** A value of a custom field as the caller reads and writes it (an enum by its label, a set by labels). */
export type PipedriveCustomValue =
  | string
  | number
  | boolean
  | null
  | readonly string[]
  | { readonly value: number; readonly currency: string }
  | { readonly [key: string]: unknown };

/** Custom field values by the names the caller chose in `customFields`. */
export type PipedriveCustomValues<N extends string = string> = { [K in N]?: PipedriveCustomValue };

/** A person (v2), with `custom` by the caller's names. */
export type PipedrivePerson<N extends string = string> = z.output<typeof pipedrivePersonSchema> & {
  custom: PipedriveCustomValues<N>;
};
/** An organization (v2), with `custom` by the caller's names. */
export type PipedriveOrganization<N extends string = string> = z.output<
  typeof pipedriveOrganizationSchema
> & {
  custom: PipedriveCustomValues<N>;
};
/** A deal (v2), with `custom` by the caller's names. */
export type PipedriveDeal<N extends string = string> = z.output<typeof pipedriveDealSchema> & {
  custom: PipedriveCustomValues<N>;
};
/** An activity (v2). Pipedrive has no activity custom fields in v2, so `custom` is always empty. */
export type PipedriveActivity = z.output<typeof pipedriveActivitySchema> & { custom: PipedriveCustomValues };

const contactInput = z.object({
  value: z.string().check(z.minLength(1), z.maxLength(1_000)),
  primary: z.optional(z.boolean()),
  label: z.optional(z.string().check(z.maxLength(100))),
});
const idInput = z.optional(z.nullable(z.int().check(z.minimum(1))));
const text = (max: number) => z.string().check(z.maxLength(max));
const dateText = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'));
const customInput = z.optional(z.record(z.string().check(z.minLength(1), z.maxLength(200)), z.unknown()));

/** What a person create takes (v2 `POST /persons`); `custom` by the caller's names. */
export const personCreateSchema = z.object({
  name: text(500).check(z.minLength(1, 'must not be empty')),
  owner_id: idInput,
  org_id: idInput,
  emails: z.optional(z.array(contactInput).check(z.maxLength(100))),
  phones: z.optional(z.array(contactInput).check(z.maxLength(100))),
  label_ids: z.optional(z.array(z.int()).check(z.maxLength(100))),
  visible_to: z.optional(z.int()),
  custom: customInput,
});
/** What an organization create takes (v2 `POST /organizations`). */
export const organizationCreateSchema = z.object({
  name: text(500).check(z.minLength(1, 'must not be empty')),
  owner_id: idInput,
  label_ids: z.optional(z.array(z.int()).check(z.maxLength(100))),
  visible_to: z.optional(z.int()),
  custom: customInput,
});
/** What a deal create takes (v2 `POST /deals`). */
export const dealCreateSchema = z.object({
  title: text(500).check(z.minLength(1, 'must not be empty')),
  owner_id: idInput,
  person_id: idInput,
  org_id: idInput,
  pipeline_id: idInput,
  stage_id: idInput,
  value: z.optional(z.number().check(z.refine(Number.isFinite, 'must be a finite number'))),
  currency: z.optional(z.string().check(z.regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code'))),
  status: z.optional(z.enum(['open', 'won', 'lost'])),
  expected_close_date: z.optional(z.nullable(dateText)),
  visible_to: z.optional(z.int()),
  custom: customInput,
});
/** What an activity create takes (v2 `POST /activities`). */
export const activityCreateSchema = z.object({
  subject: text(500).check(z.minLength(1, 'must not be empty')),
  type: z.optional(text(100)),
  owner_id: idInput,
  deal_id: idInput,
  person_id: idInput,
  org_id: idInput,
  due_date: z.optional(z.nullable(dateText)),
  due_time: z.optional(z.nullable(z.string().check(z.regex(/^\d{2}:\d{2}(:\d{2})?$/, 'must be HH:MM')))),
  duration: z.optional(z.nullable(z.string().check(z.regex(/^\d{2}:\d{2}(:\d{2})?$/, 'must be HH:MM')))),
  done: z.optional(z.boolean()),
  note: z.optional(text(100_000)),
});

/** A person to create. */
export type PipedrivePersonInput = z.input<typeof personCreateSchema>;
/** An organization to create. */
export type PipedriveOrganizationInput = z.input<typeof organizationCreateSchema>;
/** A deal to create. */
export type PipedriveDealInput = z.input<typeof dealCreateSchema>;
/** An activity to create. */
export type PipedriveActivityInput = z.input<typeof activityCreateSchema>;
