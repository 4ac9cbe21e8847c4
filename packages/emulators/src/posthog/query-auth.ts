// PostHog's API errors and personal API key authentication, as the Django app answers them.
// - Bodies: drf-exceptions-hog `exception_handler` (PostHog/drf-exceptions-hog `exceptions_hog/handler.py`) renders
//   every DRF exception as `{ type, code, detail, attr }` and adds `Retry-After` only when the exception has a `wait`.
// - The key (PostHog/posthog `posthog/auth.py`, `PersonalAPIKeyAuthentication.find_key_with_source`): the
//   `Authorization: Bearer …` header first (an OAuth `pha_` token is left to another authenticator), then a
//   `personal_api_key` in the body, then in the query string. A key that matches none is `AuthenticationFailed`
//   "Personal API key found in request {source} is invalid."; no key at all is DRF's `NotAuthenticated`.
// - The status: DRF's `APIView.handle_exception` answers 401 only when the view's first authenticator names a
//   `WWW-Authenticate` challenge, else 403. Viewsets with sharing (`sharing_enabled_actions`, the query and insight
//   viewsets) put `SharingPasswordProtectedAuthentication` first, which names none (`posthog/api/routing.py`
//   `get_authenticators`), so they answer 403; the others 401.

/** A DRF error as PostHog renders it. */
export interface DrfErrorBody {
  type: string;
  code: string;
  detail: string;
  attr: string | null;
}

/**
 * A PostHog API error response: `{ type, code, detail, attr }` with `status`.
 * @example drfError(404, 'invalid_request', 'not_found', 'Not found.');
 */
export function drfError(
  status: number,
  type: string,
  code: string,
  detail: string,
  options: { attr?: string | null; headers?: Record<string, string> } = {},
): Response {
  const body: DrfErrorBody = { type, code, detail, attr: options.attr ?? null };
  return Response.json(body, { status, headers: options.headers ?? {} });
}

/** Where a personal API key was found (`find_key_with_source`'s source names). */
export type PersonalKeySource = 'Authorization header' | 'body' | 'query string';

/**
 * The personal API key a request carries and where, or undefined: the Bearer header (not an OAuth `pha_` token),
 * then `personal_api_key` in the parsed body, then in the query string.
 */
export function findPersonalKey(
  request: Request,
  body: unknown,
): { key: string; source: PersonalKeySource } | undefined {
  const authorization = request.headers.get('authorization');
  const match = authorization === null ? null : /^Bearer\s+(\S.*)$/s.exec(authorization);
  if (match) {
    const key = (match[1] as string).trim();
    if (!key.startsWith('pha_')) return { key, source: 'Authorization header' };
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'personal_api_key' in body) {
    const key = (body as { personal_api_key: unknown }).personal_api_key;
    return { key: typeof key === 'string' ? key : String(key), source: 'body' };
  }
  const fromQuery = new URL(request.url).searchParams.get('personal_api_key');
  if (fromQuery !== null) return { key: fromQuery, source: 'query string' };
  return undefined;
}

/**
 * The refusal for a request without the right personal API key, or undefined when it carries it. `status` is what
 * the viewset answers (403 for the query and insight viewsets, 401 elsewhere; see the top of this file).
 * @example const refused = checkPersonalKey(request, body, 'phx_key', 403); if (refused) return refused;
 */
export function checkPersonalKey(
  request: Request,
  body: unknown,
  expected: string,
  status: 401 | 403,
): Response | undefined {
  const found = findPersonalKey(request, body);
  if (found === undefined) {
    return drfError(
      status,
      'authentication_error',
      'not_authenticated',
      'Authentication credentials were not provided.',
    );
  }
  if (found.key !== expected) {
    return drfError(
      status,
      'authentication_error',
      'authentication_failed',
      `Personal API key found in request ${found.source} is invalid.`,
    );
  }
  return undefined;
}
