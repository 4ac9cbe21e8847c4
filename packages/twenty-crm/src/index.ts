export {
  type CompanyField,
  createTwentyClient,
  type PersonField,
  TWENTY_RATE_LIMIT,
  type TwentyClient,
  type TwentyClientOptions,
} from './client.ts';
export { type Company, type CompanyInput, companySchema } from './company.ts';
export { isReachable, type TwentyConnectionTest, testConnection } from './connection.ts';
export { type Comparator, type FieldCondition, serializeFilter, type TwentyFilter } from './filter.ts';
export type { FieldMetadata, FieldSpec, MetadataResource, ObjectMetadata } from './metadata.ts';
export { type Person, type PersonInput, personSchema } from './person.ts';
export type { BatchOptions, ListOptions, RecordResource, WriteOptions } from './records.ts';
export { type TwentyWebhook, verifyTwentyWebhook } from './webhook.ts';
