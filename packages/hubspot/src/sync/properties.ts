import { type ApiResult, err, IntegrationError, ok } from '@patchbay/core';
import * as z from 'zod/mini';
import type { HubSpotClient } from '../client.ts';

/** What {@link ensureUniqueProperty} creates. */
export interface UniquePropertySpec {
  /** `contacts`, `companies`… */
  objectType: string;
  name: string;
  label: string;
  /** The property group; every account has `contactinformation` and `companyinformation`. */
  groupName: string;
  description?: string;
  /** The option that named the property, for the error when it exists without unique values. */
  field?: string;
}

const propertySchema = /* @__PURE__ */ (() =>
  z.looseObject({ name: z.string(), hasUniqueValue: z.optional(z.boolean()) }))();

// The properties API: `/crm/properties/2026-03/{objectType}` (dated) or `/crm/v3/properties/{objectType}`.
const propertiesPath = (client: HubSpotClient, objectType: string) =>
  client.apiVersion === 'v3'
    ? `/crm/v3/properties/${encodeURIComponent(objectType)}`
    : `/crm/properties/${client.apiVersion}/${encodeURIComponent(objectType)}`;

/**
 * Makes sure a text property with unique values exists (what `idProperty` upserts need): created when missing;
 * HubSpot's 409 for a name taken means it exists, and it is then read to check it is unique (one that is not
 * would make every upsert fail, so it is a `CONFIG_ERROR` naming the property).
 */
export async function ensureUniqueProperty(
  client: HubSpotClient,
  spec: UniquePropertySpec,
): Promise<ApiResult<{ created: boolean }>> {
  const path = propertiesPath(client, spec.objectType);
  const created = await client.http.post(path, {
    json: {
      name: spec.name,
      label: spec.label,
      type: 'string',
      fieldType: 'text',
      groupName: spec.groupName,
      hasUniqueValue: true,
      ...(spec.description === undefined ? {} : { description: spec.description }),
    },
    schema: propertySchema,
    // A create sent twice answers 409 the second time, which reads as "exists": safe to retry.
    idempotent: true,
  });
  if (created.success) return ok({ created: true });
  if (created.error.code !== 'CONFLICT') return created;
  const existing = await client.http.get(`${path}/${encodeURIComponent(spec.name)}`, {
    schema: propertySchema,
  });
  if (!existing.success) return existing;
  if (existing.data.hasUniqueValue !== true) {
    return err(
      new IntegrationError(
        'CONFIG_ERROR',
        `The ${spec.objectType} property ${spec.name} exists but does not have unique values; upserts need a unique property (choose another name)`,
        { field: spec.field ?? spec.name, retryable: false },
      ),
    );
  }
  return ok({ created: false });
}
