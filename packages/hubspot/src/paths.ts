import { type ApiResult, encodePathSegment, ok } from '@patchbay/core';

/** The API versions this client speaks: a dated release (default `2026-03`) or the semantic-version `v3` paths. */
export type HubSpotApiVersion = '2026-03' | 'v3';

/** The API versions accepted by `apiVersion`. */
export const HUBSPOT_API_VERSIONS: readonly HubSpotApiVersion[] = ['2026-03', 'v3'];

/** The default API version: HubSpot's dated paths (the `v3`/`v4` paths stop being supported in September 2027). */
export const DEFAULT_HUBSPOT_API_VERSION: HubSpotApiVersion = '2026-03';

/** Where one API version keeps the CRM's objects and associations. */
export interface HubSpotPaths {
  /** `/crm/objects/2026-03/{type}` or `/crm/v3/objects/{type}`; a type that is no path segment is refused. */
  objects(type: unknown, field?: string): ApiResult<string>;
  /** `/crm/associations/2026-03/{from}/{to}` or `/crm/v4/associations/{from}/{to}`. */
  associations(fromType: unknown, toType: unknown): ApiResult<string>;
}

/**
 * The path builders of an API version. A type name is checked and encoded as one path segment (a
 * `VALIDATION_ERROR` naming the field otherwise), so a caller's type id can never reach another route.
 * @example hubspotPaths('2026-03').objects('contacts') // ok('/crm/objects/2026-03/contacts')
 */
export function hubspotPaths(version: HubSpotApiVersion): HubSpotPaths {
  const dated = version !== 'v3';
  return {
    objects(type, field = 'type') {
      const segment = encodePathSegment(type, { field, maxLength: 100 });
      if (!segment.success) return segment;
      return ok(dated ? `/crm/objects/${version}/${segment.data}` : `/crm/v3/objects/${segment.data}`);
    },
    associations(fromType, toType) {
      const from = encodePathSegment(fromType, { field: 'fromType', maxLength: 100 });
      if (!from.success) return from;
      const to = encodePathSegment(toType, { field: 'toType', maxLength: 100 });
      if (!to.success) return to;
      return ok(
        dated
          ? `/crm/associations/${version}/${from.data}/${to.data}`
          : `/crm/v4/associations/${from.data}/${to.data}`,
      );
    },
  };
}
