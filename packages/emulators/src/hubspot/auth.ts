// Authentication and scopes. A missing or unknown Bearer token is a 401 `INVALID_AUTHENTICATION` reading
// "Authentication credentials not found. …" (body quoted in hubspot-api-nodejs #148 and #432, with the
// `X-HubSpot-Auth-Failure` header of hubspot-api-ruby #181). A token without the scope a call needs is a 403
// `MISSING_SCOPES` with the message, `errors: [{ message: 'One or more of the following scopes are required.',
// context: { requiredScopes } }]` and `links.scopes` of the body quoted in hubspot-api-nodejs #268 (granular scopes
// come as `requiredGranularScopes`, the name used here). Scope names per object are those of the objects specs'
// `security` (`crm.objects.contacts.read`, `…write`; tickets use `tickets`; custom objects `crm.objects.custom.*`).

import { HubSpotError } from './errors.ts';
import type { ObjectTypeDef } from './schema.ts';

const AUTH_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/** The Bearer token of a request, or '' when there is none. */
export function bearerToken(request: Request): string {
  const header = request.headers.get('authorization') ?? '';
  return /^Bearer\s+(\S+)\s*$/i.exec(header.trim())?.[1] ?? '';
}

/** What a token check answers: accepted, unknown, or an OAuth token past its expiry. */
export type TokenVerdict = boolean | 'expired';

/**
 * Throws the 401 unless the request carries an accepted token; answers the token. An expired OAuth token is a 401
 * `EXPIRED_AUTHENTICATION` ("The OAuth token used to make this call expired …", quoted in
 * segment-boneyard/segment-docs #6244).
 */
export function authenticate(request: Request, accepts: (token: string) => TokenVerdict): string {
  const token = bearerToken(request);
  const verdict = token === '' ? false : accepts(token);
  const headers = { 'X-HubSpot-Auth-Failure': '401 Unauthorized' };
  if (verdict === 'expired') {
    throw new HubSpotError(401, 'EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired.', {
      headers,
    });
  }
  if (verdict !== true) throw new HubSpotError(401, 'INVALID_AUTHENTICATION', AUTH_MESSAGE, { headers });
  return token;
}

/** The scopes any of which allows reading (or writing) records of a type. */
export function scopesFor(def: ObjectTypeDef, access: 'read' | 'write'): string[] {
  if (def.objectTypeId === '0-5') return ['tickets'];
  if (def.objectTypeId.startsWith('2-')) return [`crm.objects.custom.${access}`];
  return [`crm.objects.${def.name}.${access}`];
}

/** Throws the 403 when `granted` is a list and holds none of the scopes the call needs. */
export function requireScopes(granted: ReadonlySet<string> | undefined, needed: string[]): void {
  if (!granted || needed.some((scope) => granted.has(scope))) return;
  throw new HubSpotError(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: needed },
        },
      ],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}
